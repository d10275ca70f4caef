import { CUSTOMER } from '../../records/customer';
import { getOperation } from '../shared/operations';

export const { option, description, execute } = getOperation(CUSTOMER, {
	option: {
		name: 'Get',
		description: 'Get one customer by ID or customer number',
		action: 'Get a customer',
	},
	locator: 'The customer to get: pick it from the list, or give its ID or customer number',
});

import { customerLocator } from '../common/descriptions';
import { getOperation } from '../common/recordOperations';
import { CUSTOMER } from '../common/records';

export const { description, execute } = getOperation({
	resource: 'customer',
	type: CUSTOMER,
	locator: customerLocator('The customer to get: pick it from the list, or give its ID or customer number'),
});

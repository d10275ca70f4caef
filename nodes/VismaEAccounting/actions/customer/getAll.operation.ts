import { CUSTOMER } from '../../records/customer';
import { nameNumberActiveFilters } from '../shared/filters';
import { getManyOperation } from '../shared/operations';

export const { option, description, execute } = getManyOperation(CUSTOMER, {
	option: {
		name: 'Get Many',
		description:
			'List customers, optionally filtered by name, customer number, active state or last change. Returns one item per customer.',
		action: 'Get many customers',
	},
	...nameNumberActiveFilters(CUSTOMER, 'Customer Number'),
});

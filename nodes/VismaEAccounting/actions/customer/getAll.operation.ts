import { nameNumberActiveFilters } from '../common/filters';
import { getManyOperation } from '../common/recordOperations';
import { CUSTOMER } from '../common/records';

export const { description, execute } = getManyOperation({
	resource: 'customer',
	path: '/customers',
	simplify: 'customer',
	...nameNumberActiveFilters({
		plural: 'customers',
		numberLabel: 'Customer Number',
		numberField: 'CustomerNumber',
		checkNumber: CUSTOMER.checkNumber!,
	}),
});

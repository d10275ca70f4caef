import { customerLocator } from '../common/descriptions';
import { deleteOperation } from '../common/recordOperations';
import { CUSTOMER } from '../common/records';

export const { description, execute } = deleteOperation({
	resource: 'customer',
	type: CUSTOMER,
	locator: customerLocator(
		'The customer to delete. eAccounting refuses to delete a customer with invoices or drafts: deactivate it with Update (Active off) instead.',
	),
});

import { CUSTOMER } from '../../records/customer';
import { deleteOperation } from '../shared/operations';

export const { option, description, execute } = deleteOperation(CUSTOMER, {
	option: {
		name: 'Delete',
		description:
			'Delete a customer by ID or customer number. A customer with invoices or drafts cannot be deleted; deactivate it with Update instead.',
		action: 'Delete a customer',
	},
	locator:
		'The customer to delete. eAccounting refuses to delete a customer with invoices or drafts: deactivate it with Update (Active off) instead.',
});

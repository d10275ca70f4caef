import { INVOICE } from '../../records/invoice';
import { getOperation } from '../shared/operations';

export const { option, description, execute } = getOperation(INVOICE, {
	option: {
		name: 'Get',
		description:
			'Get one booked customer invoice by ID or invoice number, with amounts and payment status',
		action: 'Get an invoice',
	},
	locator: 'The invoice to get: pick it from the list, or give its ID or invoice number',
});

import { invoiceLocator } from '../common/descriptions';
import { getOperation } from '../common/recordOperations';
import { INVOICE } from '../common/records';

export const { description, execute } = getOperation({
	resource: 'customerInvoice',
	type: INVOICE,
	locator: invoiceLocator('The invoice to get: pick it from the list, or give its ID or invoice number'),
});

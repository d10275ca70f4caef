import { draftLocator } from '../common/descriptions';
import { deleteOperation } from '../common/recordOperations';
import { DRAFT } from '../common/records';

export const { description, execute } = deleteOperation({
	resource: 'customerInvoiceDraft',
	type: DRAFT,
	locator: draftLocator('The draft invoice to delete: pick it from the list, or give its ID'),
});

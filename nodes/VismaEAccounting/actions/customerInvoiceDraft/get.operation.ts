import { draftLocator } from '../common/descriptions';
import { getOperation } from '../common/recordOperations';
import { DRAFT } from '../common/records';

export const { description, execute } = getOperation({
	resource: 'customerInvoiceDraft',
	type: DRAFT,
	locator: draftLocator('The draft invoice to get: pick it from the list, or give its ID'),
});

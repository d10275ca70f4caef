import { DRAFT } from '../../records/draft';
import { deleteOperation } from '../shared/operations';

export const { option, description, execute } = deleteOperation(DRAFT, {
	option: {
		name: 'Delete',
		description: 'Delete a draft invoice by ID',
		action: 'Delete a draft invoice',
	},
	locator: 'The draft invoice to delete: pick it from the list, or give its ID',
});

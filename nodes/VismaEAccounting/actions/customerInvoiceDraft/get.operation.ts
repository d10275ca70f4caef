import { DRAFT } from '../../records/draft';
import { getOperation } from '../shared/operations';

export const { option, description, execute } = getOperation(DRAFT, {
	option: {
		name: 'Get',
		description: 'Get one draft invoice by ID, with its rows and totals',
		action: 'Get a draft invoice',
	},
	locator: 'The draft invoice to get: pick it from the list, or give its ID',
});

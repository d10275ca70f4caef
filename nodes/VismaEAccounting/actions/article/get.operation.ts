import { ARTICLE } from '../../records/article';
import { getOperation } from '../shared/operations';

export const { option, description, execute } = getOperation(ARTICLE, {
	option: {
		name: 'Get',
		description: 'Get one article by ID or article number',
		action: 'Get an article',
	},
	locator: 'The article to get: pick it from the list, or give its ID or article number',
});

import { articleLocator } from '../common/descriptions';
import { getOperation } from '../common/recordOperations';
import { ARTICLE } from '../common/records';

export const { description, execute } = getOperation({
	resource: 'article',
	type: ARTICLE,
	locator: articleLocator('The article to get: pick it from the list, or give its ID or article number'),
});

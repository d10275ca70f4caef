import { nameNumberActiveFilters } from '../common/filters';
import { getManyOperation } from '../common/recordOperations';
import { ARTICLE } from '../common/records';

export const { description, execute } = getManyOperation({
	resource: 'article',
	path: '/articles',
	simplify: 'article',
	...nameNumberActiveFilters({
		plural: 'articles',
		numberLabel: 'Article Number',
		numberField: 'Number',
		checkNumber: ARTICLE.checkNumber!,
	}),
});

import { ARTICLE } from '../../records/article';
import { nameNumberActiveFilters } from '../shared/filters';
import { getManyOperation } from '../shared/operations';

export const { option, description, execute } = getManyOperation(ARTICLE, {
	option: {
		name: 'Get Many',
		description:
			'List articles, optionally filtered by name, article number, active state or last change. Returns one item per article.',
		action: 'Get many articles',
	},
	...nameNumberActiveFilters(ARTICLE, 'Article Number'),
});

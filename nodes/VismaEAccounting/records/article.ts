import { checkArticleNumber } from '../domain/article';
import { ARTICLE_LIMITS } from '../domain/limits';
import { contains, or } from '../transport/filter';
import type { RecordType } from './types';

export const ARTICLE = {
	path: 'articles',
	label: 'Article',
	plural: 'articles',
	key: {
		field: 'Number',
		label: 'number',
		kind: 'string',
		check: (c, v) => checkArticleNumber(c, v),
	},
	limits: ARTICLE_LIMITS,
	simplify: [
		'Id',
		'Number',
		'Name',
		'NetPrice',
		'GrossPrice',
		'UnitName',
		'CodingName',
		'IsActive',
		'ChangedUtc',
	],
	locator: {
		parameter: 'article',
		displayName: 'Article',
		number: { displayName: 'By Number', placeholder: 'e.g. A100' },
	},
	search: {
		method: 'searchArticles',
		filter: (text) => or(contains('Name', text), contains('Number', text)),
		result: (a) => ({ name: `${String(a.Number)} ${String(a.Name)}`, value: String(a.Id) }),
	},
} satisfies RecordType;

import type { IDataObject } from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { ensureArticles } from '../../services/ensureArticles';
import { batchOperation } from '../shared/operations';
import { defaultArticleFields, readDefaultArticle } from './fields';

export const { option, description, execute } = batchOperation({
	option: {
		name: 'Ensure Default Article',
		description:
			'Return the article with the default article number, creating it the first time. Rows without a known article use it.',
		action: 'Ensure the default article exists',
	},
	properties: defaultArticleFields,
	read: (ctx, c, i) => checkArticleInput(c, readDefaultArticle(ctx, i)),
	run: ensureArticles,
	toJson: (_ctx, { article, outcome, chosenAutomatically }) => ({
		...article,
		outcome,
		...(chosenAutomatically ? { chosenAutomatically: chosenAutomatically as IDataObject } : {}),
	}),
});

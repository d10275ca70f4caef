import type { IDataObject } from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import type { VismaArticle } from '../../domain/visma';
import { updateArticle } from '../../services/writeArticles';
import { resolveUnitAndCoding } from '../../services/resolveUnitAndCoding';
import { ARTICLE } from '../../records/article';
import { recordLocator } from '../shared/fields';
import { updateOperation } from '../shared/operations';
import { readArticleUpdate, updateFieldsProperty } from './fields';

export const { option, description, execute } = updateOperation(ARTICLE, {
	option: {
		name: 'Update',
		description:
			'Change fields of an article found by ID or article number; fields not given stay as they are. eAccounting cannot delete articles: turn Active off instead.',
		action: 'Update an article',
	},
	properties: [
		recordLocator(
			ARTICLE,
			'The article to change: pick it from the list, or give its ID or article number. Articles cannot be deleted in eAccounting; turn Active off to retire one.',
		),
		updateFieldsProperty,
	],
	read: async (ctx, c, i, client) => {
		const { number, ...fields } = checkArticleInput(
			c,
			await resolveUnitAndCoding(client, c, readArticleUpdate(ctx, i)),
			false,
		);
		// An empty number keeps the article's own.
		return number ? { ...fields, number } : fields;
	},
	apply: async (client, existing: VismaArticle, input, i) => {
		const { article, changed } = await updateArticle(client, existing, input, i);
		return { ...article, changedFields: changed } as IDataObject;
	},
});

import type { IDataObject } from 'n8n-workflow';

import { upsertArticles } from '../../services/writeArticles';
import { batchOperation } from '../shared/operations';
import { createProperties, readArticle } from './fields';

export const { option, description, execute } = batchOperation({
	option: {
		name: 'Create',
		description:
			'Create a new article from number, name, unit, account coding and price; fails if the article number already exists. Returns the article with its ID.',
		action: 'Create an article',
	},
	properties: createProperties,
	read: async (ctx, c, i, client) => await readArticle(ctx, c, i, client, true),
	run: async (client, requests) => await upsertArticles(client, requests, true),
	toJson: (_ctx, { article }) => article as IDataObject,
});

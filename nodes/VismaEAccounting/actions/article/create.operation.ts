import type { IDataObject } from 'n8n-workflow';

import { upsertArticles } from '../../services/articles';
import { batchOperation } from '../common/recordOperations';
import { createProperties, readArticle } from './fields';

export const { description, execute } = batchOperation({
	resource: 'article',
	operation: 'create',
	properties: createProperties,
	read: async (ctx, c, i, client) => await readArticle(ctx, c, i, client, true),
	run: async (client, requests) => await upsertArticles(client, requests, true),
	toJson: (_ctx, { article }) => article as IDataObject,
});

import { upsertArticles } from '../../services/articles';
import { batchOperation } from '../common/recordOperations';
import { createOrUpdateProperties, readArticle } from './fields';

/**
 * Matched by article number, for imports: one batched look-up for all items' numbers, a POST
 * per new number and a PUT per article whose fields differ.
 */
export const { description, execute } = batchOperation({
	resource: 'article',
	operation: 'createOrUpdate',
	properties: createOrUpdateProperties,
	read: async (ctx, c, i, client) => await readArticle(ctx, c, i, client, false),
	run: async (client, requests) => await upsertArticles(client, requests),
	toJson: (_ctx, { article, outcome, changed }) => ({
		...article,
		outcome,
		...(outcome === 'updated' ? { changedFields: changed } : {}),
	}),
});

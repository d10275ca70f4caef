import { upsertArticles } from '../../services/writeArticles';
import { batchOperation } from '../shared/operations';
import { createOrUpdateProperties, readArticle } from './fields';

/**
 * Matched by article number, for imports: one batched look-up for all items' numbers, a POST
 * per new number and a PUT per article whose fields differ.
 */
export const { option, description, execute } = batchOperation({
	option: {
		name: 'Create or Update',
		description:
			'Create an article, or update the one with the same article number (for CSV imports and syncing). Returns the article and whether it was created, updated or unchanged.',
		action: 'Create or update an article',
	},
	properties: createOrUpdateProperties,
	read: async (ctx, c, i, client) => await readArticle(ctx, c, i, client, false),
	run: async (client, requests) => await upsertArticles(client, requests),
	toJson: (_ctx, { article, outcome, changed }) => ({
		...article,
		outcome,
		...(outcome === 'updated' ? { changedFields: changed } : {}),
	}),
});

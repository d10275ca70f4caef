import type { ArticleInput } from '../domain/article';
import { mergeArticle } from '../domain/article';
import type { VismaArticle } from '../domain/visma';
import { ARTICLE } from '../records/article';
import type { VismaClient } from '../transport';
import { mapPool, withKeys } from '../transport';
import { createArticle, findArticlesByNumber, lockKey, numberKey } from './ensureArticles';
import { alreadyExists, putRecord } from './getRecords';
import type { Outcome } from './outcome';
import { asItemError, failure, success } from './outcome';

/** Article Create, Create or Update and Update. */
export type ArticleWriteOutcome = 'created' | 'updated' | 'unchanged';

export interface ArticleWrite {
	article: VismaArticle;
	outcome: ArticleWriteOutcome;
	changed?: string[];
}

/**
 * PUTs the fetched article with the given fields laid over it (PUT replaces the whole record),
 * or nothing when nothing differs.
 */
export async function updateArticle(
	client: VismaClient,
	existing: VismaArticle,
	input: Partial<ArticleInput>,
	itemIndex: number,
): Promise<ArticleWrite> {
	const { body, changed } = mergeArticle(existing, input);
	if (changed.length === 0) return { article: existing, outcome: 'unchanged', changed };
	const article = await putRecord<VismaArticle>(client, ARTICLE, {
		id: existing.Id,
		body,
		referenceDataIds: {
			unitId: changed.includes('UnitId') ? input.unitId : undefined,
			codingId: changed.includes('CodingId') ? input.codingId : undefined,
		},
		itemIndex,
	});
	return { article, outcome: 'updated', changed };
}

/** Articles this many at a time; the rate gate keeps them under Visma's limit. */
const WRITE_CONCURRENCY = 8;

/**
 * Create or Update by article number, for many items (a CSV import): one batched look-up for
 * every number, then a POST per new number and a PUT per article whose fields differ. Items
 * sharing a number run in order, so the second one updates what the first created. With
 * `createOnly` an existing number fails its item instead (Create never changes a record).
 */
export async function upsertArticles(
	client: VismaClient,
	requests: Array<{ itemIndex: number; input: ArticleInput }>,
	createOnly = false,
): Promise<Array<Outcome<ArticleWrite>>> {
	const groups = new Map<string, number[]>();
	requests.forEach((r, k) => {
		const key = numberKey(r.input.number);
		groups.set(key, [...(groups.get(key) ?? []), k]);
	});
	const lockKeys = requests.map((r) => lockKey(client, r.input.number));

	return await withKeys(lockKeys, async () => {
		const known = await findArticlesByNumber(
			client,
			requests.map((r) => r.input.number),
		);
		const results = new Array<Outcome<ArticleWrite>>(requests.length);
		await mapPool([...groups.values()], WRITE_CONCURRENCY, async (group) => {
			for (const k of group)
				results[k] = await writeArticle(client, requests[k], known, createOnly);
		});
		return results;
	});
}

async function writeArticle(
	client: VismaClient,
	{ itemIndex, input }: { itemIndex: number; input: ArticleInput },
	known: Map<string, VismaArticle>,
	createOnly: boolean,
): Promise<Outcome<ArticleWrite>> {
	const key = numberKey(input.number);
	try {
		let existing = known.get(key);
		if (!existing) {
			const created = await createArticle(client, input, itemIndex);
			if (!created.ok) return failure(created.error);
			known.set(key, created.value.article);
			if (created.value.created)
				return success({ article: created.value.article, outcome: 'created' });
			existing = created.value.article;
		}
		if (createOnly) return failure(alreadyExists(client.node, ARTICLE, input.number, itemIndex));
		// Matched by number without regard to case: keep the number as eAccounting has it.
		const updated = await updateArticle(
			client,
			existing,
			{ ...input, number: undefined },
			itemIndex,
		);
		known.set(key, updated.article);
		return success(updated);
	} catch (error) {
		return failure(asItemError(client.node, error, itemIndex));
	}
}

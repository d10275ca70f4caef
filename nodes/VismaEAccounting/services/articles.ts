import type { ArticleInput } from '../domain/article';
import { articleCreateBody, checkArticleCreatable } from '../domain/article';
import { Checker } from '../domain/check';
import type { VismaArticle } from '../domain/visma';
import type { VismaClient } from '../transport';
import { readFailure, withKeys } from '../transport';
import type { Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';
import { checkReferences } from './reference';

export type ArticleOutcome = 'found' | 'created';

export interface ArticleResult {
	article: VismaArticle;
	outcome: ArticleOutcome;
}

const numberKey = (n: string) => n.toLowerCase();

/** Articles by number (case-insensitive keys), in as few calls as the URL length allows. */
export async function findArticlesByNumber(
	client: VismaClient,
	numbers: Iterable<string>,
): Promise<Map<string, VismaArticle>> {
	const list = [...new Set([...numbers].filter(Boolean))];
	if (list.length === 0) return new Map();
	const found = await client.findIn<VismaArticle>('/articles', 'Number', 'string', list);
	return new Map(found.map((a) => [numberKey(a.Number), a]));
}

export async function findArticlesById(client: VismaClient, ids: Iterable<string>): Promise<Map<string, VismaArticle>> {
	const list = [...new Set([...ids].filter(Boolean).map((id) => id.toLowerCase()))];
	if (list.length === 0) return new Map();
	const found = await client.findIn<VismaArticle>('/articles', 'Id', 'guid', list);
	return new Map(found.map((a) => [a.Id.toLowerCase(), a]));
}

async function findOne(client: VismaClient, number: string): Promise<VismaArticle | undefined> {
	return (await findArticlesByNumber(client, [number])).get(numberKey(number));
}

/**
 * Returns the article with this number, or creates it once. Safe to call from many items and
 * parallel executions: one lock per number in this process, and Visma's duplicate error when
 * another process wins the race.
 */
export async function ensureArticle(
	client: VismaClient,
	input: ArticleInput,
	itemIndex: number,
): Promise<Outcome<ArticleResult>> {
	return await withKeys([`${client.scope}|article|${numberKey(input.number)}`], async () => {
		try {
			const existing = await findOne(client, input.number);
			if (existing) return success({ article: existing, outcome: 'found' as const });

			const c = new Checker();
			checkArticleCreatable(c, input);
			c.problems.push(...(await checkReferences(client, { unitId: input.unitId, codingId: input.codingId })));
			if (!c.ok) return failure(problemsError(client.node, c.problems, itemIndex));

			const article = await client.request<VismaArticle>({
				method: 'POST',
				path: '/articles',
				body: articleCreateBody(input),
				action: 'article',
				itemIndex,
				// Article numbers are unique, so a look-up tells whether a lost POST went through.
				verify: async () => await findOne(client, input.number),
			});
			return success({ article, outcome: 'created' as const });
		} catch (error) {
			if (readFailure(error).body?.ErrorCode === 4000) {
				const winner = await findOne(client, input.number);
				if (winner) return success({ article: winner, outcome: 'found' as const });
			}
			return failure(asItemError(client.node, error, itemIndex));
		}
	});
}

/** Ensures each distinct default article once, however many items ask for it. */
export async function ensureArticles(
	client: VismaClient,
	requests: Array<{ itemIndex: number; input: ArticleInput }>,
): Promise<Array<Outcome<ArticleResult>>> {
	const byNumber = new Map<string, Outcome<ArticleResult>>();
	const outcomes: Array<Outcome<ArticleResult>> = [];
	for (const { itemIndex, input } of requests) {
		const key = input.number.toLowerCase();
		let outcome = byNumber.get(key);
		if (!outcome) {
			outcome = await ensureArticle(client, input, itemIndex);
			byNumber.set(key, outcome);
		} else if (!outcome.ok) {
			outcome = failure(forItem(client.node, outcome.error, itemIndex));
		} else if (outcome.value.outcome === 'created') {
			outcome = { ok: true, value: { ...outcome.value, outcome: 'found' } };
		}
		outcomes.push(outcome);
	}
	return outcomes;
}


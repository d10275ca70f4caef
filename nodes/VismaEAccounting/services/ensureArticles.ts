import type { ArticleInput, Chosen } from '../domain/article';
import {
	articleCreateBody,
	checkArticleCreatable,
	chooseDefaultCoding,
	chooseDefaultUnit,
} from '../domain/article';
import { Checker } from '../domain/check';
import type { VismaArticle } from '../domain/visma';
import type { VismaClient } from '../transport';
import { withKeys } from '../transport';
import { ARTICLE } from '../records/article';
import { createUnique } from './createUnique';
import type { ItemError, Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';
import { accountCodings, checkReferenceDataIds, units } from './referenceData';

export type ArticleOutcome = 'found' | 'created';

/** A unit or coding the node chose for a new default article, as the output shows it. */
export interface ChosenUnitOrCoding {
	Id: string;
	Name: string;
	rule: Chosen<unknown>['rule'];
}

/** What was chosen because it was left empty; only on the item that created the article. */
export interface ChosenDefaults {
	unit?: ChosenUnitOrCoding;
	accountCoding?: ChosenUnitOrCoding;
}

export interface ArticleResult {
	article: VismaArticle;
	outcome: ArticleOutcome;
	chosenAutomatically?: ChosenDefaults;
}

export const numberKey = (n: string) => n.toLowerCase();

/** Articles by number (case-insensitive keys), in as few calls as the URL length allows. */
export async function findArticlesByNumber(
	client: VismaClient,
	numbers: Iterable<string>,
): Promise<Map<string, VismaArticle>> {
	const list = [...new Set([...numbers].filter(Boolean))];
	if (list.length === 0) return new Map();
	const found = await client.findIn<VismaArticle>(
		`/${ARTICLE.path}`,
		ARTICLE.key.field,
		ARTICLE.key.kind,
		list,
	);
	return new Map(found.map((a) => [numberKey(a.Number), a]));
}

export async function findArticlesById(
	client: VismaClient,
	ids: Iterable<string>,
): Promise<Map<string, VismaArticle>> {
	return await client.getByIds<VismaArticle>(ARTICLE.path, [...ids].filter(Boolean));
}

async function findOne(client: VismaClient, number: string): Promise<VismaArticle | undefined> {
	return (await findArticlesByNumber(client, [number])).get(numberKey(number));
}

/** What stops an article from being created: missing fields, a unit or coding that is not there. */
async function creatableProblems(client: VismaClient, input: ArticleInput) {
	const c = new Checker();
	checkArticleCreatable(c, input);
	return [
		...c.problems,
		...(await checkReferenceDataIds(client, { unitId: input.unitId, codingId: input.codingId })),
	];
}

/**
 * Why the default article, which does not exist, cannot be created, decided before anything is
 * written (undefined when it can), with the unit and coding it would get when they were left
 * empty.
 */
export async function defaultArticleBlocker(
	client: VismaClient,
	input: ArticleInput,
	itemIndex: number,
): Promise<ItemError | undefined> {
	const problems = await creatableProblems(
		client,
		(await completeDefaultArticle(client, input)).input,
	);
	return problems.length ? problemsError(client.node, problems, itemIndex) : undefined;
}

/** The default article as it would be created, for planning a draft before anything is written. */
export const prospectiveArticle = (input: ArticleInput): VismaArticle => ({
	Id: '',
	Number: input.number,
	Name: input.name ?? input.number,
	IsActive: true,
	NetPrice: input.netPrice,
});

/**
 * POSTs a new article once the fields Visma needs are there. A lost answer is settled by a
 * look-up (article numbers are unique); when another process created the number first, Visma's
 * duplicate error leads to theirs (`created: false`).
 */
export async function createArticle(
	client: VismaClient,
	input: ArticleInput,
	itemIndex: number,
): Promise<Outcome<{ article: VismaArticle; created: boolean }>> {
	const problems = await creatableProblems(client, input);
	if (problems.length) return failure(problemsError(client.node, problems, itemIndex));
	try {
		const { record, created } = await createUnique(client, {
			path: `/${ARTICLE.path}`,
			body: articleCreateBody(input),
			action: 'article',
			itemIndex,
			find: async () => await findOne(client, input.number),
		});
		return success({ article: record, created });
	} catch (error) {
		return failure(asItemError(client.node, error, itemIndex));
	}
}

const chosenJson = (c: Chosen<{ Id: string; Name: string }>): ChosenUnitOrCoding => ({
	Id: c.record.Id,
	Name: c.record.Name,
	rule: c.rule,
});

/**
 * A default article to be created with its unit or account coding left empty gets the
 * company's pieces unit and its goods coding at the standard VAT rate (see chooseDefaultUnit
 * and chooseDefaultCoding), the way Visma's own integrations create their default article.
 * Reference data is read once per execution. A unit or coding the user chose is kept.
 */
async function completeDefaultArticle(
	client: VismaClient,
	input: ArticleInput,
): Promise<{ input: ArticleInput; chosen?: ChosenDefaults }> {
	const chosen: ChosenDefaults = {};
	const complete = { ...input };
	if (!input.unitId) {
		const unit = chooseDefaultUnit(await units(client));
		if (unit) {
			complete.unitId = unit.record.Id;
			chosen.unit = chosenJson(unit);
		}
	}
	if (!input.codingId) {
		const coding = chooseDefaultCoding(await accountCodings(client));
		if (coding) {
			complete.codingId = coding.record.Id;
			chosen.accountCoding = chosenJson(coding);
		}
	}
	return chosen.unit || chosen.accountCoding ? { input: complete, chosen } : { input: complete };
}

export const lockKey = (client: VismaClient, number: string) =>
	`${client.scope}|article|${numberKey(number)}`;

/**
 * Returns the default article with this number, or creates it once, choosing its unit and
 * account coding when they were left empty. Safe to call from many items and parallel
 * executions: one lock per number in this process, and Visma's duplicate error when another
 * process wins the race.
 */
export async function ensureArticle(
	client: VismaClient,
	input: ArticleInput,
	itemIndex: number,
	known?: Map<string, VismaArticle>,
): Promise<Outcome<ArticleResult>> {
	// Found by a look-up this execution already made: an article that exists needs no lock.
	const seen = known?.get(numberKey(input.number));
	if (seen) return success({ article: seen, outcome: 'found' as const });
	return await withKeys([lockKey(client, input.number)], async () => {
		try {
			const existing = await findOne(client, input.number);
			if (existing) return success({ article: existing, outcome: 'found' as const });
			const complete = await completeDefaultArticle(client, input);
			const created = await createArticle(client, complete.input, itemIndex);
			if (!created.ok) return failure(created.error);
			const { article } = created.value;
			if (!created.value.created) return success({ article, outcome: 'found' as const });
			return success({
				article,
				outcome: 'created' as const,
				...(complete.chosen ? { chosenAutomatically: complete.chosen } : {}),
			});
		} catch (error) {
			return failure(asItemError(client.node, error, itemIndex));
		}
	});
}

/** Ensures each distinct default article once, however many items ask for it. */
export async function ensureArticles(
	client: VismaClient,
	requests: Array<{ itemIndex: number; input: ArticleInput }>,
	known?: Map<string, VismaArticle>,
): Promise<Array<Outcome<ArticleResult>>> {
	const byNumber = new Map<string, Outcome<ArticleResult>>();
	const outcomes: Array<Outcome<ArticleResult>> = [];
	for (const { itemIndex, input } of requests) {
		const key = input.number.toLowerCase();
		let outcome = byNumber.get(key);
		if (!outcome) {
			outcome = await ensureArticle(client, input, itemIndex, known);
			byNumber.set(key, outcome);
		} else if (!outcome.ok) {
			outcome = failure(forItem(client.node, outcome.error, itemIndex));
		} else if (outcome.value.outcome === 'created') {
			// The article was created (and its unit or coding chosen) for an earlier item.
			outcome = { ok: true, value: { article: outcome.value.article, outcome: 'found' } };
		}
		outcomes.push(outcome);
	}
	return outcomes;
}

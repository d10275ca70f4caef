import type { ArticleInput } from '../domain/article';
import type { VismaArticle, VismaCustomer } from '../domain/visma';
import type { KeyWatch, VismaClient } from '../transport';
import { watchKeys } from '../transport';
import type { DraftRequest, DraftResult, Results } from './drafts';
import { allDecided, answerFromExisting, sourceRefOf } from './drafts';
import type { ArticleResult, KnownArticles } from './ensureArticles';
import {
	defaultArticleBlocker,
	ensureArticles,
	findArticlesByNumber,
	lockKey as articleLockKey,
	prospectiveArticle,
} from './ensureArticles';
import type { CustomerLook, CustomerRequest, CustomerResult } from './findOrCreateCustomers';
import {
	customerBlocker,
	lookUpCustomers,
	prospectiveCustomer,
	resolveCustomers,
	withCustomers,
} from './findOrCreateCustomers';
import type { Outcome } from './outcome';
import { asItemError, failure, problemsError, success } from './outcome';
import type { PendingDraft } from './planDrafts';
import { lookUpForPlanning, planDrafts, planOne } from './planDrafts';
import type { ExistingByRef } from './sourceReferences';
import { refKey, withSourceReferences } from './sourceReferences';
import { writeDrafts } from './writeDrafts';

export interface ExportRequest {
	itemIndex: number;
	customer: CustomerRequest;
	defaultArticle: { itemIndex: number; input: ArticleInput };
	draft: Omit<DraftRequest, 'customer' | 'defaultArticle'>;
}

export interface ExportResult extends DraftResult {
	/** Undefined when the reference was already exported: nothing was looked up or written. */
	customerResult?: CustomerResult;
	articleResult?: ArticleResult;
	/** The default article's number when no row used it and it does not exist (not created). */
	defaultArticleNotNeeded?: string;
}

/** A draft whose customer and default article are there, with what finding them did. */
interface ReadyDraft extends PendingDraft {
	customer: CustomerResult;
	/** Undefined when no row uses the default article and it does not exist: it is not created. */
	article?: ArticleResult;
	defaultArticleNumber: string;
}

/**
 * Export Invoice as Draft: Find or Create Customer, Ensure Default Article and Create Draft
 * with the same rules and batching. Source references come first, so an invoice already
 * exported costs only those look-ups and touches no customer or article, and a reference that
 * another customer's record carries fails its item before anything is written. The customers
 * and articles of items whose reference no draft carries are looked up while booked invoices
 * are read (one round trip fewer); nothing is written before both are known.
 */
export async function exportInvoices(
	client: VismaClient,
	requests: ExportRequest[],
): Promise<Array<Outcome<ExportResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r.draft) ?? []);
	let early: Looks | undefined;
	const startEarly = (carriedByDraft: Set<string>) => {
		const ks = requests
			.map((r, k) => ({ ref: sourceRefOf(r.draft), k }))
			.filter(({ ref }) => !ref || !carriedByDraft.has(refKey(ref)))
			.map(({ k }) => k);
		if (ks.length > 0) early = startLooks(client, requests, ks);
	};
	try {
		return await withSourceReferences(
			client,
			refs,
			async (existing) => await exportAfterReferences(client, requests, existing, early),
			startEarly,
		);
	} finally {
		early?.stop();
	}
}

async function exportAfterReferences(
	client: VismaClient,
	requests: ExportRequest[],
	existing: ExistingByRef,
	early: Looks | undefined,
): Promise<Array<Outcome<ExportResult>>> {
	const results: Results<ExportResult> = await answerFromExisting(
		client,
		existing,
		requests.map((r) => ({
			itemIndex: r.itemIndex,
			ref: sourceRefOf(r.draft),
			customer: { number: r.customer.input.customerNumber },
			// Looked up, never created: settling twins writes no customer or article.
			draft: () => ({
				...r.draft,
				customer: { number: r.customer.input.customerNumber },
				// Created only when a row uses it: a missing one is no problem otherwise.
				defaultArticle: { number: r.defaultArticle.input.number, onlyIfUsed: true },
			}),
		})),
	);
	const { ready, knownArticles } = await customersAndArticles(client, requests, results, early);
	try {
		const plans = await planDrafts(client, ready, results, knownArticles);
		await writeDrafts(client, plans, results);
	} catch (error) {
		// Customers or articles may have been created: the items fail, the node does not.
		for (const { index } of ready)
			results[index] = failure(asItemError(client.node, error, requests[index].itemIndex));
	}
	for (const { index, customer, article, defaultArticleNumber } of ready) {
		const draft = results[index];
		if (draft?.ok)
			results[index] = success({
				...draft.value,
				customerResult: customer,
				...(article
					? { articleResult: article }
					: { defaultArticleNotNeeded: defaultArticleNumber }),
			});
	}
	return allDecided(client.node, results);
}

/** The customers' and articles' look-ups of some items (`covered`, indexes of the requests). */
interface Looks {
	covered: Set<number>;
	customers: CustomerLook;
	articles: { watch: KeyWatch; records: Promise<Map<string, VismaArticle>> };
	stop: () => void;
}

/**
 * Starts looking up the customers of the items at `ks`, and their default articles and every
 * row's article number in one look-up at the same time (neither needs the other): executions of
 * a burst that look up customers together look up articles together too. Each look is watched
 * from before it starts (look first, lock only to write).
 */
function startLooks(client: VismaClient, requests: ExportRequest[], ks: number[]): Looks {
	const numbers = ks.flatMap((k) => [
		requests[k].defaultArticle.input.number,
		...requests[k].draft.rows.flatMap((row) => (row.articleNumber ? [row.articleNumber] : [])),
	]);
	const watch = watchKeys(numbers.map((n) => articleLockKey(client, n)));
	const records = findArticlesByNumber(client, numbers);
	// Awaited by customersAndArticles, or not at all when nothing needs it.
	records.catch(() => undefined);
	const customers = lookUpCustomers(
		client,
		ks.map((k) => requests[k].customer),
	);
	return {
		covered: new Set(ks),
		customers,
		articles: { watch, records },
		stop: () => {
			watch.stop();
			customers.watch.stop();
		},
	};
}

/** An item still to be exported, at `k` of the requests. */
interface Going {
	k: number;
	/** A row of it uses the default article. */
	needsDefault: boolean;
}

/**
 * Every check that can be decided before a write, for every item: the customer (inactive with
 * Fail, a new one without the fields Visma needs, terms of payment), the draft planned against
 * the customer and default article as they are or would be created (row matching, prices,
 * currencies), and, for an item whose rows use a default article that does not exist yet,
 * whether it can be created. An item that fails here gets its error and nothing is written for
 * it. What only a write can tell: whether Visma accepts the customer, the default article and
 * the draft (its own rules, such as a VAT number it checks; what another process changed
 * meanwhile; whether it can be reached).
 */
async function decideBeforeWrites(
	client: VismaClient,
	requests: ExportRequest[],
	fresh: number[],
	knownCustomers: Map<string, VismaCustomer>,
	knownArticles: Map<string, VismaArticle>,
	results: Results<ExportResult>,
): Promise<Going[]> {
	const going: Array<Going & { request: DraftRequest }> = [];
	for (const k of fresh) {
		const { customer, defaultArticle, draft } = requests[k];
		const existing = knownCustomers.get(customer.input.customerNumber.toLowerCase());
		const blocked = await customerBlocker(client, customer, existing);
		if (blocked) {
			results[k] = failure(blocked);
			continue;
		}
		const article =
			knownArticles.get(defaultArticle.input.number.toLowerCase()) ??
			prospectiveArticle(defaultArticle.input);
		going.push({
			k,
			needsDefault: false,
			request: {
				...draft,
				customer: { record: prospectiveCustomer(customer, existing) },
				defaultArticle: { record: article },
			},
		});
	}
	if (going.length === 0) return [];
	const data = await lookUpForPlanning(
		client,
		going.map((g) => g.request),
		knownArticles,
	);
	const decided: Going[] = [];
	for (const g of going) {
		const plan = planOne(g.request, data);
		const { itemIndex, input } = requests[g.k].defaultArticle;
		if ('problems' in plan) {
			results[g.k] = failure(problemsError(client.node, plan.problems, requests[g.k].itemIndex));
			continue;
		}
		const needsDefault = plan.matches.some((m) => m.match === 'default');
		const missing = !knownArticles.has(input.number.toLowerCase());
		const blocked =
			needsDefault && missing ? await defaultArticleBlocker(client, input, itemIndex) : undefined;
		if (blocked) results[g.k] = failure(blocked);
		else decided.push({ k: g.k, needsDefault });
	}
	return decided;
}

/**
 * Decides first what can be decided for every item, then finds or creates the customers of the
 * items that go on, then ensures the default article for those of them whose rows use it. Only
 * items whose customer is there go on: a failed item writes nothing more.
 */
async function customersAndArticles(
	client: VismaClient,
	requests: ExportRequest[],
	results: Results<ExportResult>,
	early: Looks | undefined,
): Promise<{ ready: ReadyDraft[]; knownArticles: Map<string, VismaArticle> }> {
	const fresh = requests.map((_, k) => k).filter((k) => !results[k]);
	const looks =
		early && fresh.every((k) => early.covered.has(k)) ? early : startLooks(client, requests, fresh);
	try {
		return await withCustomers(
			client,
			fresh.map((k) => requests[k].customer),
			async (knownCustomers) => {
				const known: KnownArticles = {
					records: await looks.articles.records,
					watch: looks.articles.watch,
				};
				const going = await decideBeforeWrites(
					client,
					requests,
					fresh,
					knownCustomers,
					known.records,
					results,
				);
				const withCustomer = await customersOf(client, requests, going, knownCustomers, results);
				const ready = await withDefaultArticles(client, requests, withCustomer, known, results);
				return { ready, knownArticles: known.records };
			},
			looks.customers,
		);
	} finally {
		looks.stop();
	}
}

/** Uses, updates or creates the customers of the items that go on; a failed one fails its item. */
async function customersOf(
	client: VismaClient,
	requests: ExportRequest[],
	going: Going[],
	knownCustomers: Map<string, VismaCustomer>,
	results: Results<ExportResult>,
): Promise<Array<Going & { customer: CustomerResult }>> {
	const customers = await resolveCustomers(
		client,
		going.map(({ k }) => requests[k].customer),
		knownCustomers,
	);
	const withCustomer: Array<Going & { customer: CustomerResult }> = [];
	going.forEach((g, j) => {
		const customer = customers[j];
		if (customer.ok) withCustomer.push({ ...g, customer: customer.value });
		else results[g.k] = failure(customer.error);
	});
	return withCustomer;
}

/**
 * The drafts ready to plan: the default article is created only for an item that uses it and
 * goes on; an item whose default article cannot be had fails.
 */
async function withDefaultArticles(
	client: VismaClient,
	requests: ExportRequest[],
	withCustomer: Array<Going & { customer: CustomerResult }>,
	known: KnownArticles,
	results: Results<ExportResult>,
): Promise<ReadyDraft[]> {
	const needing = withCustomer.filter((g) => g.needsDefault);
	const articles = await ensureArticles(
		client,
		needing.map(({ k }) => requests[k].defaultArticle),
		known,
	);
	const ready: ReadyDraft[] = [];
	for (const g of withCustomer) {
		const j = needing.indexOf(g);
		const found = known.records.get(requests[g.k].defaultArticle.input.number.toLowerCase());
		const article: Outcome<ArticleResult> | undefined =
			j >= 0 ? articles[j] : found ? success({ article: found, outcome: 'found' }) : undefined;
		if (article && !article.ok) {
			results[g.k] = failure(article.error);
			continue;
		}
		const request: DraftRequest = {
			...requests[g.k].draft,
			customer: { record: g.customer.customer },
			defaultArticle: article ? { record: article.value.article } : undefined,
		};
		ready.push({
			index: g.k,
			request,
			customer: g.customer,
			article: article?.value,
			defaultArticleNumber: requests[g.k].defaultArticle.input.number,
		});
	}
	return ready;
}

import type { NodeOperationError } from 'n8n-workflow';

import type { DraftFields, RowInput, RowMatch } from '../domain/invoice';
import { articleIndex, earliest, planDraft } from '../domain/invoice';
import type { VismaArticle, VismaCustomer, VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { mapPool } from '../transport';
import { CUSTOMER } from '../records/customer';
import { DRAFT } from '../records/draft';
import { findArticlesById, findArticlesByNumber } from './ensureArticles';
import { findCustomersByNumber } from './findOrCreateCustomers';
import type { ItemError, Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';
import { companySettings } from './referenceData';
import type { CustomerKey, ExistingByRef, ExistingRecord, SourceRef } from './sourceReferences';
import {
	completeCustomerKeys,
	findByReference,
	referenceConflict,
	refKey,
	resolveExisting,
	withSourceReferences,
} from './sourceReferences';
import { settleTwins } from './settleTwins';

/** How a draft request names its customer and default article. */
export interface Reference {
	id?: string;
	number?: string;
	/** Already fetched (for example by Find or Create Customer in the same node). */
	record?: VismaCustomer | VismaArticle;
}

export interface DraftRequest {
	itemIndex: number;
	customer: Reference;
	defaultArticle?: Reference;
	fields: DraftFields;
	rows: RowInput[];
}

export type DraftOutcome = 'created' | 'existingDraft' | 'existingInvoice';

export interface DraftResult {
	draft: VismaDraft | VismaInvoice;
	outcome: DraftOutcome;
	/** For an existing draft or invoice: what the record says about its customer. */
	customer: VismaCustomer;
	/** Empty for an existing draft or invoice: nothing was matched or written. */
	matches: RowMatch[];
	/** The reference that protects this item against duplicates, or null when none was set. */
	sourceReference: SourceRef | null;
	/** Something the item should know although it succeeded (a duplicate check that could not run). */
	warning?: string;
}

/** POSTs run this many at a time; the rate gate keeps them under Visma's limit. */
const CREATE_CONCURRENCY = 8;

const lower = (s: string) => s.toLowerCase();
const hasAtMost2Decimals = (n: number) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;

/** The reference a request carries, if any. */
export const sourceRefOf = (request: { fields: DraftFields }): SourceRef | undefined =>
	request.fields.sourceReference;

/** The result for an item whose reference this customer's record already carries. */
export function existingResult(hit: ExistingRecord, ref: SourceRef): DraftResult {
	const record = hit.record as Record<string, unknown>;
	const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
	return {
		draft: hit.record,
		outcome: hit.outcome,
		customer: {
			Id: text(record.CustomerId),
			CustomerNumber: text(record.CustomerNumber),
			Name: text(record.CustomerName),
		},
		matches: [],
		sourceReference: ref,
	};
}

/**
 * For each request with a reference that something already carries: the existing record of this
 * customer (returned instead of a new draft), or a conflict error. Requests left out need work.
 */
export async function answerFromExisting(
	client: VismaClient,
	existing: ExistingByRef,
	requests: Array<{ itemIndex: number; ref?: SourceRef; customer: CustomerKey }>,
): Promise<Map<number, Outcome<DraftResult>>> {
	const answers = new Map<number, Outcome<DraftResult>>();
	if (existing.size === 0) return answers;
	await completeCustomerKeys(client, existing, requests);
	requests.forEach(({ itemIndex, ref, customer }, k) => {
		if (!ref) return;
		const found = resolveExisting(existing, ref, customer);
		if (!found) return;
		answers.set(
			k,
			'hit' in found
				? success(existingResult(found.hit, ref))
				: failure(referenceConflict(client.node, ref, found.conflict, itemIndex)),
		);
	});
	return answers;
}

const customerKeyOf = (r: DraftRequest): CustomerKey => {
	const record = r.customer.record as VismaCustomer | undefined;
	return { id: record?.Id ?? r.customer.id, number: record?.CustomerNumber ?? r.customer.number };
};

/**
 * Creates one draft per request (Create Draft Invoice): references first, then customers and
 * articles in one batched look-up each, then the writes.
 */
export async function createDrafts(
	client: VismaClient,
	requests: DraftRequest[],
): Promise<Array<Outcome<DraftResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r) ?? []);
	return await withSourceReferences(
		client,
		refs,
		async (existing) => await createDraftsHolding(client, requests, existing),
	);
}

/** Customers the requests name by id or number, unless already fetched. */
async function lookUpCustomers(client: VismaClient, requests: DraftRequest[]) {
	const ids = requests.flatMap((r) => (r.customer.record || !r.customer.id ? [] : [r.customer.id]));
	const numbers = requests.flatMap((r) =>
		r.customer.record || r.customer.id || !r.customer.number ? [] : [r.customer.number],
	);
	const byId = ids.length
		? await client.getByIds<VismaCustomer>(CUSTOMER.path, ids)
		: new Map<string, VismaCustomer>();
	const byNumber = numbers.length
		? await findCustomersByNumber(client, numbers)
		: new Map<string, VismaCustomer>();
	return (r: DraftRequest): VismaCustomer | undefined =>
		(r.customer.record as VismaCustomer | undefined) ??
		(r.customer.id ? byId.get(lower(r.customer.id)) : byNumber.get(lower(r.customer.number ?? '')));
}

/** Every article number on every row, plus the default articles, in one batched look-up. */
async function lookUpArticles(
	client: VismaClient,
	requests: DraftRequest[],
	known?: Map<string, VismaArticle>,
) {
	const numbers = new Set<string>();
	const defaultIds = new Set<string>();
	for (const r of requests) {
		for (const row of r.rows) if (row.articleNumber) numbers.add(row.articleNumber);
		if (r.defaultArticle?.record) continue;
		if (r.defaultArticle?.id) defaultIds.add(r.defaultArticle.id);
		else if (r.defaultArticle?.number) numbers.add(r.defaultArticle.number);
	}
	// Numbers the caller looked up already (found or not) are not asked again.
	const byNumber = new Map(known ?? []);
	const missing = known ? [] : [...numbers];
	for (const [k, v] of await findArticlesByNumber(client, missing)) byNumber.set(k, v);
	const byId = await findArticlesById(client, defaultIds);
	return {
		index: articleIndex(byNumber.values()),
		defaultFor: (r: DraftRequest): VismaArticle | undefined => {
			const d = r.defaultArticle;
			return (
				(d?.record as VismaArticle | undefined) ??
				(d?.id ? byId.get(lower(d.id)) : d?.number ? byNumber.get(lower(d.number)) : undefined)
			);
		},
	};
}

interface Plan {
	request: DraftRequest;
	resultIndex: number;
	customer: VismaCustomer;
	body: Record<string, unknown>;
	matches: RowMatch[];
}

/**
 * The drafts of requests whose references nothing carries yet, while the caller holds the
 * reference locks (see withSourceReferences). A request whose reference this customer's record
 * carries returns that record; another customer's record is a conflict.
 */
export async function createDraftsHolding(
	client: VismaClient,
	requests: DraftRequest[],
	existing: ExistingByRef,
	/** Articles by lower-case number that the caller already looked up. */
	knownArticles?: Map<string, VismaArticle>,
): Promise<Array<Outcome<DraftResult>>> {
	const results = new Array<Outcome<DraftResult>>(requests.length);
	const answered = await answerFromExisting(
		client,
		existing,
		requests.map((r) => ({
			itemIndex: r.itemIndex,
			ref: sourceRefOf(r),
			customer: customerKeyOf(r),
		})),
	);
	for (const [k, outcome] of answered) results[k] = outcome;
	const fresh = requests.map((_, i) => i).filter((i) => !results[i]);
	if (fresh.length === 0) return results;

	// Nothing is written before this point: a failed look-up may stop the node.
	const plans = await planDrafts(client, requests, fresh, results, knownArticles);
	try {
		await writeDrafts(client, plans, results);
	} catch (error) {
		// Past the first write, a failure is the items' own: never a node error that drops what was written.
		for (const plan of plans) {
			if (!results[plan.resultIndex])
				results[plan.resultIndex] = failure(
					asItemError(client.node, error, plan.request.itemIndex),
				);
		}
	}
	return results;
}

/** Customers, articles and company settings in one batched look-up each, then every draft planned (pure). */
async function planDrafts(
	client: VismaClient,
	requests: DraftRequest[],
	fresh: number[],
	results: Array<Outcome<DraftResult>>,
	knownArticles?: Map<string, VismaArticle>,
): Promise<Plan[]> {
	const node = client.node;
	const freshRequests = fresh.map((i) => requests[i]);
	const customerFor = await lookUpCustomers(client, freshRequests);
	const articles = await lookUpArticles(client, freshRequests, knownArticles);
	// The company's currency and VAT display matter only for rows priced from an article, or
	// prices with more than 2 decimals for a customer with a currency of its own.
	const needsSettings = freshRequests.some((r) => {
		const currency = customerFor(r)?.CurrencyCode;
		return r.rows.some(
			(row) =>
				!row.isTextRow &&
				(row.unitPrice === undefined || (currency && !hasAtMost2Decimals(row.unitPrice))),
		);
	});
	const settings = needsSettings ? await companySettings(client) : {};
	const plans: Plan[] = [];
	for (const i of fresh) {
		const request = requests[i];
		const { itemIndex } = request;
		const customer = customerFor(request);
		if (!customer) {
			const which = request.customer.id
				? `ID ${request.customer.id}`
				: `number ${request.customer.number}`;
			results[i] = failure(
				problemsError(
					node,
					[{ field: 'Customer', message: `with ${which} does not exist in eAccounting` }],
					itemIndex,
				),
			);
			continue;
		}
		const d = request.defaultArticle;
		const defaultArticle = articles.defaultFor(request);
		if (d && (d.id || d.number || d.record) && !defaultArticle) {
			results[i] = failure(
				problemsError(
					node,
					[
						{
							field: 'Default Article',
							message: `${d.id ?? d.number} does not exist in eAccounting`,
						},
					],
					itemIndex,
				),
			);
			continue;
		}
		const plan = planDraft({
			customer,
			// Without the settings every price has at most 2 decimals: any currency rounds it the same.
			companyCurrency: settings.CurrencyCode ?? customer.CurrencyCode ?? 'SEK',
			pricesIncludeVat: settings.ShowPricesExclVatPC === true && customer.IsPrivatePerson === true,
			fields: request.fields,
			rows: request.rows,
			articles: articles.index,
			defaultArticle,
		});
		if ('problems' in plan) {
			results[i] = failure(problemsError(node, plan.problems, itemIndex));
			continue;
		}
		plans.push({ request, resultIndex: i, customer, ...plan });
	}
	return plans;
}

/** One POST per reference (repeats in this execution reuse the first), then the twin check. */
async function writeDrafts(
	client: VismaClient,
	plans: Plan[],
	results: Array<Outcome<DraftResult>>,
): Promise<void> {
	const node = client.node;
	const firstByRef = new Map<string, Plan>();
	const toCreate = plans.filter((plan) => {
		const ref = sourceRefOf(plan.request);
		if (!ref) return true;
		if (firstByRef.has(refKey(ref))) return false;
		firstByRef.set(refKey(ref), plan);
		return true;
	});
	const created = await postDrafts(client, toCreate);
	for (const { plan, error } of created) if (error) results[plan.resultIndex] = failure(error);

	const checks = created.flatMap(({ plan, draft }) => {
		const ref = sourceRefOf(plan.request);
		return draft && ref ? [{ ref, draft }] : [];
	});
	let verdicts: Awaited<ReturnType<typeof settleTwins>> | undefined;
	let checkFailed: unknown;
	try {
		verdicts = checks.length ? await settleTwins(client, checks) : new Map();
	} catch (error) {
		checkFailed = error;
	}
	for (const { plan, draft, adopted } of created) {
		if (!draft) continue;
		const ref = sourceRefOf(plan.request) ?? null;
		const base = { customer: plan.customer, matches: plan.matches, sourceReference: ref };
		const verdict = ref ? verdicts?.get(refKey(ref)) : undefined;
		if (checkFailed) {
			const reason = checkFailed instanceof Error ? checkFailed.message : String(checkFailed);
			results[plan.resultIndex] = success({
				...base,
				draft,
				outcome: adopted ? 'existingDraft' : 'created',
				warning: `The draft was created, but the check for a twin made by another process at the same moment failed (${reason}). Run the item again to reconcile.`,
			});
		} else if (verdict && lower(verdict.keep.Id) !== lower(draft.Id)) {
			results[plan.resultIndex] = success({
				...base,
				draft: verdict.keep,
				outcome: 'existingDraft',
			});
		} else {
			// A draft found after a lost answer may be another process's: never claimed as created.
			results[plan.resultIndex] = success({
				...base,
				draft: verdict?.keep ?? draft,
				outcome: adopted ? 'existingDraft' : 'created',
			});
		}
	}

	// Later items with a reference created earlier in this execution: the same draft, or a
	// conflict when they name another customer.
	for (const plan of plans) {
		if (results[plan.resultIndex]) continue;
		const ref = sourceRefOf(plan.request)!;
		const first = results[firstByRef.get(refKey(ref))!.resultIndex];
		if (!first.ok) {
			results[plan.resultIndex] = failure(
				forItem(node, first.error as NodeOperationError, plan.request.itemIndex),
			);
		} else if (lower(first.value.customer.Id) !== lower(plan.customer.Id)) {
			results[plan.resultIndex] = failure(
				referenceConflict(node, ref, first.value.draft, plan.request.itemIndex),
			);
		} else {
			results[plan.resultIndex] = success({
				...first.value,
				outcome: 'existingDraft',
				matches: plan.matches,
			});
		}
	}
}

interface Created {
	plan: Plan;
	draft?: VismaDraft;
	/** Found after a lost answer rather than returned by the POST: maybe another process's. */
	adopted?: boolean;
	error?: ItemError;
}

/** POSTs the planned drafts, a few at a time. */
async function postDrafts(client: VismaClient, plans: Plan[]): Promise<Created[]> {
	return await mapPool(plans, CREATE_CONCURRENCY, async (plan) => {
		const ref = sourceRefOf(plan.request);
		let adopted = false;
		try {
			const draft = await client.request<VismaDraft>({
				method: 'POST',
				path: `/${DRAFT.path}`,
				body: plan.body,
				action: 'draft invoice',
				itemIndex: plan.request.itemIndex,
				// After a lost answer the reference finds the draft; a second POST could commit too,
				// so it is never sent.
				resend: false,
				verify: ref
					? async () => {
							const found = earliest(
								(await findByReference(client, ref.field, [ref.value], false)).drafts.get(
									ref.value,
								) ?? [],
							);
							adopted = found !== undefined;
							return found;
						}
					: undefined,
			});
			return { plan, draft, adopted };
		} catch (error) {
			return { plan, error: asItemError(client.node, error, plan.request.itemIndex) };
		}
	});
}

import { NodeOperationError } from 'n8n-workflow';

import type { DraftFields, RowInput, RowMatch, SourceReferenceField } from '../domain/invoice';
import { SOURCE_REFERENCE_LABELS, articleIndex, earliest, planDraft } from '../domain/invoice';
import type { VismaArticle, VismaCustomer, VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { isQueryRefusal, mapPool, passOn, readFailure, resourcePath, withKeys } from '../transport';
import { findArticlesById, findArticlesByNumber } from './articles';
import { findCustomersByNumber } from './customers';
import type { ItemError, Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';
import { companySettings } from './reference';

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
}

export interface SourceRef {
	field: SourceReferenceField;
	value: string;
}

/** A draft or booked invoice that already carries a source reference. */
export interface ExistingRecord {
	record: VismaDraft | VismaInvoice;
	outcome: 'existingDraft' | 'existingInvoice';
}

/** Existing records by `refKey`. */
export type ExistingByRef = Map<string, ExistingRecord>;

/** Deletes a draft this execution created twice over (another process won the race). */
async function dropDuplicate(client: VismaClient, draft: VismaDraft, itemIndex: number): Promise<void> {
	await client.request({
		method: 'DELETE',
		path: resourcePath('customerinvoicedrafts', draft.Id),
		itemIndex,
		hint: `Draft ${draft.Id} duplicates an earlier draft with the same source reference; delete it in eAccounting.`,
	});
}

/** POSTs run this many at a time; the rate gate keeps them under Visma's limit. */
const CREATE_CONCURRENCY = 8;

const lower = (s: string) => s.toLowerCase();
export const refKey = (ref: SourceRef) => `${ref.field}|${ref.value}`;

/** Visma refused a filter on the reference field: nothing can be protected, so nothing is written. */
function referenceRefused(client: VismaClient, field: SourceReferenceField, error: unknown): NodeOperationError {
	const visma = readFailure(error).body?.DeveloperErrorMessage;
	const others = (Object.keys(SOURCE_REFERENCE_LABELS) as SourceReferenceField[])
		.filter((f) => f !== field)
		.map((f) => SOURCE_REFERENCE_LABELS[f])
		.join(', ');
	return new NodeOperationError(
		client.node,
		`Visma eAccounting does not allow searching by ${SOURCE_REFERENCE_LABELS[field]} (${field}), so the source reference cannot protect against duplicates`,
		{
			description: `${visma ? `Visma said: ${visma} ` : ''}Nothing was written. Under Options, set Store Source Reference In to another field: ${others}.`,
		},
	);
}

/** Existing drafts and booked invoices that carry any of these references, by reference. */
async function findByReference(
	client: VismaClient,
	field: SourceReferenceField,
	values: string[],
	includeInvoices: boolean,
): Promise<{ drafts: Map<string, VismaDraft[]>; invoices: Map<string, VismaInvoice[]> }> {
	const group = <T extends Record<string, unknown>>(list: T[]) => {
		const map = new Map<string, T[]>();
		for (const record of list) {
			const v = String(record[field] ?? '');
			map.set(v, [...(map.get(v) ?? []), record]);
		}
		return map;
	};
	try {
		const drafts = group(await client.findIn<VismaDraft>('/customerinvoicedrafts', field, 'string', values));
		const invoices = includeInvoices
			? group(await client.findIn<VismaInvoice>('/customerinvoices', field, 'string', values))
			: new Map<string, VismaInvoice[]>();
		return { drafts, invoices };
	} catch (error) {
		if (isQueryRefusal(readFailure(error))) throw referenceRefused(client, field, error);
		throw passOn(client.node, error);
	}
}

/** What already carries each reference: a booked invoice wins over a draft. */
async function findExisting(client: VismaClient, refs: SourceRef[]): Promise<ExistingByRef> {
	const existing: ExistingByRef = new Map();
	for (const field of new Set(refs.map((r) => r.field))) {
		const values = [...new Set(refs.filter((r) => r.field === field).map((r) => r.value))];
		const found = await findByReference(client, field, values, true);
		for (const [value, list] of found.invoices) {
			existing.set(refKey({ field, value }), { record: earliest(list)!, outcome: 'existingInvoice' });
		}
		for (const [value, list] of found.drafts) {
			const key = refKey({ field, value });
			if (!existing.has(key)) existing.set(key, { record: earliest(list)!, outcome: 'existingDraft' });
		}
	}
	return existing;
}

/**
 * Runs `fn` holding this process's locks on the source references, with what already carries
 * them. This is the first step of every draft export, before customers or articles are found or
 * created: a re-export costs only these look-ups, and a reference field Visma refuses to search
 * stops the node before anything is written.
 */
export async function withSourceReferences<T>(
	client: VismaClient,
	refs: SourceRef[],
	fn: (existing: ExistingByRef) => Promise<T>,
): Promise<T> {
	const keys = refs.map((ref) => `${client.scope}|draft|${refKey(ref)}`);
	return await withKeys(keys, async () => await fn(refs.length ? await findExisting(client, refs) : new Map()));
}

/** The result for an item whose reference is already in eAccounting. */
export function existingResult(hit: ExistingRecord): DraftResult {
	const record = hit.record as Record<string, unknown>;
	const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
	return {
		draft: hit.record,
		outcome: hit.outcome,
		customer: { Id: text(record.CustomerId), CustomerNumber: text(record.CustomerNumber), Name: text(record.CustomerName) },
		matches: [],
	};
}

/** The reference a request carries, if any. */
export const sourceRefOf = (request: { fields: DraftFields }): SourceRef | undefined => request.fields.sourceReference;

/**
 * Creates one draft per request (Create Draft Invoice): references first, then customers and
 * articles in one batched look-up each, then the writes.
 */
export async function createDrafts(
	client: VismaClient,
	requests: DraftRequest[],
): Promise<Array<Outcome<DraftResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r) ?? []);
	return await withSourceReferences(client, refs, async (existing) => await createDraftsHolding(client, requests, existing));
}

interface Plan {
	request: DraftRequest;
	resultIndex: number;
	customer: VismaCustomer;
	body: Record<string, unknown>;
	matches: RowMatch[];
}

/** Customers the requests name by id or number, unless already fetched. */
async function lookUpCustomers(client: VismaClient, requests: DraftRequest[]) {
	const ids = requests.flatMap((r) => (r.customer.record || !r.customer.id ? [] : [r.customer.id]));
	const numbers = requests.flatMap((r) => (r.customer.record || r.customer.id || !r.customer.number ? [] : [r.customer.number]));
	const byId = ids.length ? await client.getByIds<VismaCustomer>('customers', ids) : new Map<string, VismaCustomer>();
	const byNumber = numbers.length ? await findCustomersByNumber(client, numbers) : new Map<string, VismaCustomer>();
	return (r: DraftRequest): VismaCustomer | undefined =>
		(r.customer.record as VismaCustomer | undefined) ??
		(r.customer.id ? byId.get(lower(r.customer.id)) : byNumber.get(lower(r.customer.number ?? '')));
}

/** Every article number on every row, plus the default articles, in one batched look-up. */
async function lookUpArticles(client: VismaClient, requests: DraftRequest[]) {
	const numbers = new Set<string>();
	const defaultIds = new Set<string>();
	for (const r of requests) {
		for (const row of r.rows) if (row.articleNumber) numbers.add(row.articleNumber);
		if (r.defaultArticle?.record) continue;
		if (r.defaultArticle?.id) defaultIds.add(r.defaultArticle.id);
		else if (r.defaultArticle?.number) numbers.add(r.defaultArticle.number);
	}
	const byNumber = await findArticlesByNumber(client, numbers);
	const byId = await findArticlesById(client, defaultIds);
	return {
		index: articleIndex(byNumber.values()),
		defaultFor: (r: DraftRequest): VismaArticle | undefined => {
			const d = r.defaultArticle;
			return (d?.record as VismaArticle | undefined) ?? (d?.id ? byId.get(lower(d.id)) : d?.number ? byNumber.get(lower(d.number)) : undefined);
		},
	};
}

/**
 * The drafts of requests whose references are not in `existing`, while the caller holds the
 * reference locks (see withSourceReferences). A request whose reference is in `existing`
 * returns that record.
 */
export async function createDraftsHolding(
	client: VismaClient,
	requests: DraftRequest[],
	existing: ExistingByRef,
): Promise<Array<Outcome<DraftResult>>> {
	const node = client.node;
	const results = new Array<Outcome<DraftResult>>(requests.length);
	const fresh: number[] = [];
	requests.forEach((request, i) => {
		const ref = sourceRefOf(request);
		const hit = ref && existing.get(refKey(ref));
		if (hit) results[i] = success(existingResult(hit));
		else fresh.push(i);
	});
	if (fresh.length === 0) return results;

	const settings = await companySettings(client);
	const companyCurrency = settings.CurrencyCode ?? 'SEK';
	const freshRequests = fresh.map((i) => requests[i]);
	const customerFor = await lookUpCustomers(client, freshRequests);
	const articles = await lookUpArticles(client, freshRequests);

	// Plan every draft (pure) before anything is written.
	const plans: Plan[] = [];
	for (const i of fresh) {
		const request = requests[i];
		const { itemIndex } = request;
		const customer = customerFor(request);
		if (!customer) {
			const which = request.customer.id ? `ID ${request.customer.id}` : `number ${request.customer.number}`;
			results[i] = failure(problemsError(node, [{ field: 'Customer', message: `with ${which} does not exist in eAccounting` }], itemIndex));
			continue;
		}
		const d = request.defaultArticle;
		const defaultArticle = articles.defaultFor(request);
		if (d && (d.id || d.number || d.record) && !defaultArticle) {
			results[i] = failure(problemsError(node, [{ field: 'Default Article', message: `${d.id ?? d.number} does not exist in eAccounting` }], itemIndex));
			continue;
		}
		const plan = planDraft({
			customer,
			companyCurrency,
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

	// One create per source reference; repeats within this execution reuse the first.
	const firstByRef = new Set<string>();
	const toCreate = plans.filter((plan) => {
		const ref = sourceRefOf(plan.request);
		if (!ref) return true;
		if (firstByRef.has(refKey(ref))) return false;
		firstByRef.add(refKey(ref));
		return true;
	});
	const created = await postDrafts(client, toCreate);
	const byRef = await settleTwins(client, created, results);

	// Later items with a reference created earlier in this execution.
	for (const plan of plans) {
		if (results[plan.resultIndex]) continue;
		const first = byRef.get(refKey(sourceRefOf(plan.request)!))!;
		results[plan.resultIndex] = first.ok
			? success({ draft: first.value.draft, outcome: 'existingDraft', customer: plan.customer, matches: plan.matches })
			: failure(forItem(node, first.error as NodeOperationError, plan.request.itemIndex));
	}
	return results;
}

interface Created {
	plan: Plan;
	draft?: VismaDraft;
	error?: ItemError;
}

/** POSTs the planned drafts, a few at a time; a lost answer is settled through the reference. */
async function postDrafts(client: VismaClient, plans: Plan[]): Promise<Created[]> {
	return await mapPool(plans, CREATE_CONCURRENCY, async (plan) => {
		const ref = sourceRefOf(plan.request);
		try {
			const draft = await client.request<VismaDraft>({
				method: 'POST',
				path: '/customerinvoicedrafts',
				body: plan.body,
				action: 'draft invoice',
				itemIndex: plan.request.itemIndex,
				// With a source reference a look-up proves whether a lost POST was applied.
				verify: ref
					? async () => earliest((await findByReference(client, ref.field, [ref.value], false)).drafts.get(ref.value) ?? [])
					: undefined,
			});
			return { plan, draft };
		} catch (error) {
			return { plan, error: asItemError(client.node, error, plan.request.itemIndex) };
		}
	});
}

/**
 * Another process may have created the same reference at the same moment. Everybody keeps the
 * earliest draft; a later one is deleted by whoever created it. Fills `results` and returns the
 * outcome per reference.
 */
async function settleTwins(
	client: VismaClient,
	created: Created[],
	results: Array<Outcome<DraftResult>>,
): Promise<Map<string, Outcome<DraftResult>>> {
	const node = client.node;
	const withRef = created.filter((c) => c.draft && sourceRefOf(c.plan.request));
	const winners = new Map<string, VismaDraft>();
	for (const field of new Set(withRef.map((c) => sourceRefOf(c.plan.request)!.field))) {
		const values = withRef.filter((c) => sourceRefOf(c.plan.request)!.field === field).map((c) => sourceRefOf(c.plan.request)!.value);
		const found = await findByReference(client, field, values, false);
		for (const [value, list] of found.drafts) if (list.length > 1) winners.set(refKey({ field, value }), earliest(list)!);
	}

	const byRef = new Map<string, Outcome<DraftResult>>();
	for (const { plan, draft, error } of created) {
		const ref = sourceRefOf(plan.request);
		let outcome: Outcome<DraftResult>;
		if (error || !draft) {
			outcome = failure(error as ItemError);
		} else {
			const winner = ref ? winners.get(refKey(ref)) : undefined;
			if (winner && lower(winner.Id) !== lower(draft.Id)) {
				outcome = await dropDuplicate(client, draft, plan.request.itemIndex).then(
					() => success({ draft: winner, outcome: 'existingDraft' as const, customer: plan.customer, matches: plan.matches }),
					(e: unknown) => failure(asItemError(node, e, plan.request.itemIndex)),
				);
			} else {
				outcome = success({ draft, outcome: 'created', customer: plan.customer, matches: plan.matches });
			}
		}
		results[plan.resultIndex] = outcome;
		if (ref) byRef.set(refKey(ref), outcome);
	}
	return byRef;
}

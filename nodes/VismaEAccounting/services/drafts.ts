import type { NodeOperationError } from 'n8n-workflow';

import type { DraftFields, RowInput, RowMatch, SourceReferenceField } from '../domain/invoice';
import { articleIndex, earliest, planDraft } from '../domain/invoice';
import type { VismaArticle, VismaCustomer, VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { mapPool, resourcePath, withKeys } from '../transport';
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
	customer: VismaCustomer;
	matches: RowMatch[];
}

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
const refKey = (field: string, value: string) => `${field}|${value}`;

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
	const drafts = group(await client.findIn<VismaDraft>('/customerinvoicedrafts', field, 'string', values));
	const invoices = includeInvoices
		? group(await client.findIn<VismaInvoice>('/customerinvoices', field, 'string', values))
		: new Map<string, VismaInvoice[]>();
	return { drafts, invoices };
}

/**
 * Creates one draft per request. All look-ups are batched across items: customers, articles
 * and source references each cost a few calls per execution, not one per row or item. A
 * request whose source reference already has a draft or booked invoice returns that instead.
 */
export async function createDrafts(
	client: VismaClient,
	requests: DraftRequest[],
): Promise<Array<Outcome<DraftResult>>> {
	const node = client.node;
	const results = new Array<Outcome<DraftResult>>(requests.length);
	const settings = await companySettings(client);
	const companyCurrency = settings.CurrencyCode ?? 'SEK';

	// Customers named by id or number, in one batch each.
	const customerIds = requests.flatMap((r) => (r.customer.record || !r.customer.id ? [] : [lower(r.customer.id)]));
	const customerNumbers = requests.flatMap((r) => (r.customer.record || r.customer.id || !r.customer.number ? [] : [r.customer.number]));
	const byId = new Map<string, VismaCustomer>();
	if (customerIds.length) {
		for (const c of await client.findIn<VismaCustomer>('/customers', 'Id', 'guid', customerIds)) byId.set(lower(c.Id), c);
	}
	const byNumber = customerNumbers.length ? await findCustomersByNumber(client, customerNumbers) : new Map();

	// Every article number on every row, plus default articles, in one batched look-up.
	const numbers = new Set<string>();
	const defaultIds = new Set<string>();
	for (const r of requests) {
		for (const row of r.rows) if (row.articleNumber) numbers.add(row.articleNumber);
		if (r.defaultArticle?.record) continue;
		if (r.defaultArticle?.id) defaultIds.add(r.defaultArticle.id);
		else if (r.defaultArticle?.number) numbers.add(r.defaultArticle.number);
	}
	const articlesByNumber = await findArticlesByNumber(client, numbers);
	const articlesById = await findArticlesById(client, defaultIds);
	const index = articleIndex(articlesByNumber.values());

	// Plan every draft (pure) before anything is written.
	const plans: Array<{
		request: DraftRequest;
		resultIndex: number;
		customer: VismaCustomer;
		body: Record<string, unknown>;
		matches: RowMatch[];
	}> = [];
	requests.forEach((request, i) => {
		const { itemIndex } = request;
		const customer =
			(request.customer.record as VismaCustomer | undefined) ??
			(request.customer.id ? byId.get(lower(request.customer.id)) : byNumber.get(lower(request.customer.number ?? '')));
		if (!customer) {
			const which = request.customer.id ? `ID ${request.customer.id}` : `number ${request.customer.number}`;
			results[i] = failure(
				problemsError(node, [{ field: 'Customer', message: `with ${which} does not exist in eAccounting` }], itemIndex),
			);
			return;
		}
		const d = request.defaultArticle;
		const defaultArticle =
			(d?.record as VismaArticle | undefined) ??
			(d?.id ? articlesById.get(lower(d.id)) : d?.number ? articlesByNumber.get(lower(d.number)) : undefined);
		if (d && (d.id || d.number || d.record) && !defaultArticle) {
			results[i] = failure(
				problemsError(node, [{ field: 'Default Article', message: `${d.id ?? d.number} does not exist in eAccounting` }], itemIndex),
			);
			return;
		}
		const plan = planDraft({ customer, companyCurrency, fields: request.fields, rows: request.rows, articles: index, defaultArticle });
		if ('problems' in plan) {
			results[i] = failure(problemsError(node, plan.problems, itemIndex));
			return;
		}
		plans.push({ request, resultIndex: i, customer, ...plan });
	});

	const keyed = plans.filter((p) => p.request.fields.sourceReference);
	const lockKeys = keyed.map((p) => {
		const ref = p.request.fields.sourceReference!;
		return `${client.scope}|draft|${refKey(ref.field, ref.value)}`;
	});

	await withKeys(lockKeys, async () => {
		// Existing drafts or booked invoices with the same source references.
		const existing = new Map<string, { record: VismaDraft | VismaInvoice; outcome: DraftOutcome }>();
		const fields = new Set(keyed.map((p) => p.request.fields.sourceReference!.field));
		for (const field of fields) {
			const values = keyed.filter((p) => p.request.fields.sourceReference!.field === field).map((p) => p.request.fields.sourceReference!.value);
			const found = await findByReference(client, field, values, true);
			for (const [value, list] of found.invoices) existing.set(refKey(field, value), { record: earliest(list as Array<VismaInvoice & { CreatedUtc?: string }>)!, outcome: 'existingInvoice' });
			for (const [value, list] of found.drafts) {
				if (!existing.has(refKey(field, value))) existing.set(refKey(field, value), { record: earliest(list)!, outcome: 'existingDraft' });
			}
		}

		// One create per source reference; repeats within this execution reuse the first.
		const firstByRef = new Map<string, number>();
		const toCreate: number[] = [];
		plans.forEach((plan, p) => {
			const ref = plan.request.fields.sourceReference;
			const { resultIndex } = plan;
			if (ref) {
				const hit = existing.get(refKey(ref.field, ref.value));
				if (hit) {
					results[resultIndex] = success({ draft: hit.record, outcome: hit.outcome, customer: plan.customer, matches: plan.matches });
					return;
				}
				if (firstByRef.has(refKey(ref.field, ref.value))) return;
				firstByRef.set(refKey(ref.field, ref.value), p);
			}
			toCreate.push(p);
		});

		const created = await mapPool(toCreate, CREATE_CONCURRENCY, async (p) => {
			const plan = plans[p];
			const ref = plan.request.fields.sourceReference;
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
				return { p, draft };
			} catch (error) {
				return { p, error: asItemError(node, error, plan.request.itemIndex) };
			}
		});

		// Another process may have created the same reference at the same moment. Everybody
		// keeps the earliest draft; a later one is deleted by whoever created it.
		const createdWithRef = created.filter((c) => c.draft && plans[c.p].request.fields.sourceReference);
		const winners = new Map<string, VismaDraft>();
		for (const field of new Set(createdWithRef.map((c) => plans[c.p].request.fields.sourceReference!.field))) {
			const values = createdWithRef.filter((c) => plans[c.p].request.fields.sourceReference!.field === field).map((c) => plans[c.p].request.fields.sourceReference!.value);
			const found = await findByReference(client, field, values, false);
			for (const [value, list] of found.drafts) if (list.length > 1) winners.set(refKey(field, value), earliest(list)!);
		}

		const byRef = new Map<string, Outcome<DraftResult>>();
		for (const c of created) {
			const plan = plans[c.p];
			const { resultIndex } = plan;
			const ref = plan.request.fields.sourceReference;
			let outcome: Outcome<DraftResult>;
			if (c.error || !c.draft) {
				outcome = failure(c.error as ItemError);
			} else {
				const winner = ref ? winners.get(refKey(ref.field, ref.value)) : undefined;
				if (winner && lower(winner.Id) !== lower(c.draft.Id)) {
					outcome = await dropDuplicate(client, c.draft, plan.request.itemIndex).then(
						() => success({ draft: winner, outcome: 'existingDraft' as const, customer: plan.customer, matches: plan.matches }),
						(error: unknown) => failure(asItemError(node, error, plan.request.itemIndex)),
					);
				} else {
					outcome = success({ draft: c.draft, outcome: 'created', customer: plan.customer, matches: plan.matches });
				}
			}
			results[resultIndex] = outcome;
			if (ref) byRef.set(refKey(ref.field, ref.value), outcome);
		}

		// Later items with a reference created earlier in this execution.
		for (const plan of plans) {
			const { resultIndex } = plan;
			if (results[resultIndex]) continue;
			const ref = plan.request.fields.sourceReference!;
			const first = byRef.get(refKey(ref.field, ref.value))!;
			results[resultIndex] = first.ok
				? success({ draft: first.value.draft, outcome: 'existingDraft', customer: plan.customer, matches: plan.matches })
				: failure(forItem(node, first.error as NodeOperationError, plan.request.itemIndex));
		}
	});
	return results;
}

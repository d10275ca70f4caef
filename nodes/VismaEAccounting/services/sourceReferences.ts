import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SourceReferenceField } from '../domain/invoice';
import { SOURCE_REFERENCE_LABELS, earliest } from '../domain/invoice';
import type { Carriers } from '../domain/twins';
import type { VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { isQueryRefusal, passOn, readFailure, withKeys } from '../transport';
import { DRAFT } from '../records/draft';
import { INVOICE } from '../records/invoice';
import { findCustomersByNumber } from './findOrCreateCustomers';
import { itemError } from './outcome';

/**
 * Source references: the source system's invoice number, stored in a draft field, is what makes
 * an export safe to repeat. Everything that looks references up lives here.
 */
export interface SourceRef {
	field: SourceReferenceField;
	value: string;
}

export const refKey = (ref: SourceRef) => `${ref.field}|${ref.value}`;

export type { Carriers };

/** What already carries each reference, by `refKey`. */
export type ExistingByRef = Map<string, Carriers>;

/** The customer a request names: by ID, by number, or both. */
export interface CustomerKey {
	id?: string;
	number?: string;
}

const lower = (v: unknown) => (v === undefined || v === null ? '' : String(v).toLowerCase());

/** Visma refused a filter on the reference field: nothing can be protected, so nothing is written. */
function referenceRefused(
	node: INode,
	field: SourceReferenceField,
	error: unknown,
): NodeOperationError {
	const visma = readFailure(error).body?.DeveloperErrorMessage;
	const others = (Object.keys(SOURCE_REFERENCE_LABELS) as SourceReferenceField[])
		.filter((f) => f !== field)
		.map((f) => SOURCE_REFERENCE_LABELS[f])
		.join(', ');
	return new NodeOperationError(
		node,
		`Visma eAccounting does not allow searching by ${SOURCE_REFERENCE_LABELS[field]} (${field}), so the source reference cannot protect against duplicates`,
		{
			description: `${visma ? `Visma said: ${visma} ` : ''}Nothing was written. Under Options, set Store Source Reference In to another field: ${others}.`,
		},
	);
}

function groupBy<T extends Record<string, unknown>>(records: T[], field: string): Map<string, T[]> {
	const map = new Map<string, T[]>();
	for (const record of records) {
		const v = String(record[field] ?? '');
		map.set(v, [...(map.get(v) ?? []), record]);
	}
	return map;
}

/** Records of one collection (drafts or booked invoices) that carry any of these values, by value. */
async function carriersIn<T extends Record<string, unknown>>(
	client: VismaClient,
	path: string,
	field: SourceReferenceField,
	values: string[],
): Promise<Map<string, T[]>> {
	try {
		return groupBy(await client.findIn<T>(`/${path}`, field, 'string', values), field);
	} catch (error) {
		if (isQueryRefusal(readFailure(error))) throw referenceRefused(client.node, field, error);
		throw passOn(client.node, error);
	}
}

/** Drafts and booked invoices that carry any of these values in `field`, by value, read at once. */
export async function findByReference(
	client: VismaClient,
	field: SourceReferenceField,
	values: string[],
): Promise<{ drafts: Map<string, VismaDraft[]>; invoices: Map<string, VismaInvoice[]> }> {
	const [drafts, invoices] = await Promise.all([
		carriersIn<VismaDraft>(client, DRAFT.path, field, values),
		carriersIn<VismaInvoice>(client, INVOICE.path, field, values),
	]);
	return { drafts, invoices };
}

/**
 * What carries each reference: drafts first, alone, then booked invoices. An export's first call
 * goes alone: on n8n before 2.30, two calls that both meet an access token Visma no longer
 * accepts refresh twice, and Visma's rotating refresh token survives only one of them.
 * `beforeInvoices` is told which references a draft carries before the invoices are read.
 */
async function findExisting(
	client: VismaClient,
	refs: SourceRef[],
	beforeInvoices?: (carriedByDraft: Set<string>) => void,
): Promise<ExistingByRef> {
	const byField = new Map<SourceReferenceField, string[]>();
	for (const field of new Set(refs.map((r) => r.field)))
		byField.set(field, [...new Set(refs.filter((r) => r.field === field).map((r) => r.value))]);
	const drafts = new Map<SourceReferenceField, Map<string, VismaDraft[]>>();
	for (const [field, values] of byField)
		drafts.set(field, await carriersIn<VismaDraft>(client, DRAFT.path, field, values));
	const carriedByDraft = new Set(
		[...drafts].flatMap(([field, found]) =>
			[...found.keys()].map((value) => refKey({ field, value })),
		),
	);
	beforeInvoices?.(carriedByDraft);
	const existing: ExistingByRef = new Map();
	for (const [field, values] of byField) {
		const invoices = await carriersIn<VismaInvoice>(client, INVOICE.path, field, values);
		for (const value of values) {
			const carriers = {
				drafts: drafts.get(field)?.get(value) ?? [],
				invoices: invoices.get(value) ?? [],
			};
			if (carriers.drafts.length || carriers.invoices.length)
				existing.set(refKey({ field, value }), carriers);
		}
	}
	return existing;
}

/**
 * Runs `fn` holding this process's locks on the source references, with what already carries
 * them. This is the first step of every draft export, before customers or articles are found or
 * created: a re-export of a draft costs only these look-ups, and a reference field Visma refuses
 * to search stops the node before anything is written. `beforeInvoices` (see findExisting) may
 * start reads that need not wait for the booked invoices; writes wait for `fn`.
 */
export async function withSourceReferences<T>(
	client: VismaClient,
	refs: SourceRef[],
	fn: (existing: ExistingByRef) => Promise<T>,
	beforeInvoices?: (carriedByDraft: Set<string>) => void,
): Promise<T> {
	const keys = refs.map((ref) => `${client.scope}|draft|${refKey(ref)}`);
	return await withKeys(
		keys,
		async () =>
			await fn(refs.length ? await findExisting(client, refs, beforeInvoices) : new Map()),
	);
}

/** Whether a record belongs to the customer, by ID where both have one, else by number. */
export function belongsTo(record: Record<string, unknown>, customer: CustomerKey): boolean {
	if (customer.id && record.CustomerId) return lower(customer.id) === lower(record.CustomerId);
	if (customer.number && record.CustomerNumber)
		return lower(customer.number) === lower(record.CustomerNumber);
	return false;
}

/**
 * Customer IDs for requests that name their customer only by number, where a record carrying
 * the reference does not say its customer number (one look-up for all of them).
 */
export async function completeCustomerKeys(
	client: VismaClient,
	existing: ExistingByRef,
	requests: Array<{ ref?: SourceRef; customer: CustomerKey }>,
): Promise<void> {
	const unresolved = requests.filter(({ ref, customer }) => {
		const carriers = ref && existing.get(refKey(ref));
		if (!carriers || customer.id || !customer.number) return false;
		return [...carriers.drafts, ...carriers.invoices].some((r) => !r.CustomerNumber);
	});
	if (unresolved.length === 0) return;
	const found = await findCustomersByNumber(
		client,
		unresolved.map((r) => r.customer.number!),
	);
	for (const { customer } of unresolved) customer.id = found.get(lower(customer.number))?.Id;
}

/**
 * What a request's reference already stands for: records of this customer (the same invoice,
 * exported before; `settle` when more than one of them carries it, so some may be twins), or a
 * conflict: only other customers' records carry it, typed by hand or exported from another
 * source. Undefined when nothing carries it.
 */
export function resolveExisting(
	existing: ExistingByRef,
	ref: SourceRef,
	customer: CustomerKey,
):
	| { carriers: Carriers; mine: (record: VismaDraft | VismaInvoice) => boolean; settle: boolean }
	| { conflict: VismaDraft | VismaInvoice }
	| undefined {
	const carriers = existing.get(refKey(ref));
	if (!carriers) return undefined;
	const mine = (record: VismaDraft | VismaInvoice) => belongsTo(record, customer);
	const own = [...carriers.invoices, ...carriers.drafts].filter(mine).length;
	if (own === 0) return { conflict: (earliest(carriers.invoices) ?? earliest(carriers.drafts))! };
	return { carriers, mine, settle: own > 1 };
}

/**
 * The item error for a reference another customer's record already carries. Nothing is written;
 * `afterLostAnswer` when the item's own draft was sent, its answer lost, and it did not show up.
 */
export function referenceConflict(
	node: INode,
	ref: SourceRef,
	record: VismaDraft | VismaInvoice,
	itemIndex: number,
	afterLostAnswer = false,
): NodeOperationError {
	const kind =
		'InvoiceNumber' in record && record.InvoiceNumber
			? `invoice ${String(record.InvoiceNumber)}`
			: `draft ${record.Id}`;
	const customer = [
		record.CustomerNumber,
		record.CustomerName ? `(${String(record.CustomerName)})` : '',
	]
		.filter(Boolean)
		.join(' ');
	return itemError(
		node,
		`Source reference ${ref.value} is already used by ${kind} of customer ${customer || String(record.CustomerId)}`,
		itemIndex,
		`${afterLostAnswer ? "This item's draft was sent, Visma's answer was lost, and the draft did not show up when the node looked for it, so it was not sent again. If it shows up later, it carries this reference too: delete it in eAccounting." : 'Nothing was written for this item.'} The reference is stored in ${SOURCE_REFERENCE_LABELS[ref.field]}, and an eAccounting record of another customer carries the same value, so this is not the same invoice. Check the source system's invoice number, or store the reference in another field (Options > Store Source Reference In).`,
	);
}

import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DraftFields, RowInput } from '../domain/invoice';
import type { RowMatch } from '../domain/rowMatch';
import type { VismaArticle, VismaCustomer, VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import type { Outcome } from './outcome';
import { failure, success } from './outcome';
import type { CustomerKey, ExistingByRef, ExistingRecord, SourceRef } from './sourceReferences';
import { completeCustomerKeys, referenceConflict, resolveExisting } from './sourceReferences';

/**
 * What the draft stages (planDrafts, writeDrafts) take and give, and the first of them: the
 * answer for requests whose source reference a record already carries.
 */

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
	/** Create the projects the rows name that are not in eAccounting (needs ea:accounting). */
	createMissingProjects?: boolean;
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

/**
 * Where each item stands, in input order: its outcome, or undefined while a later stage still
 * has to decide it. Every stage fills in the items it decides.
 */
export type Results<T = DraftResult> = Array<Outcome<T> | undefined>;

/** The results once every stage ran. An item no stage decided is a bug, never a silent gap. */
export function allDecided<T>(node: INode, results: Results<T>): Array<Outcome<T>> {
	return results.map((outcome, k) => {
		if (!outcome) throw new NodeOperationError(node, `Request ${k} was left without an outcome`);
		return outcome;
	});
}

/** The reference a request carries, if any. */
export const sourceRefOf = (request: { fields: DraftFields }): SourceRef | undefined =>
	request.fields.sourceReference;

/** The result for an item whose reference this customer's record already carries. */
function existingResult(hit: ExistingRecord, ref: SourceRef): DraftResult {
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
 * customer (returned instead of a new draft), or a conflict error. Requests left undefined need
 * work.
 */
export async function answerFromExisting(
	client: VismaClient,
	existing: ExistingByRef,
	requests: Array<{ itemIndex: number; ref?: SourceRef; customer: CustomerKey }>,
): Promise<Results> {
	const answers: Results = new Array(requests.length).fill(undefined);
	if (existing.size === 0) return answers;
	await completeCustomerKeys(client, existing, requests);
	requests.forEach(({ itemIndex, ref, customer }, k) => {
		if (!ref) return;
		const found = resolveExisting(existing, ref, customer);
		if (!found) return;
		answers[k] =
			'hit' in found
				? success(existingResult(found.hit, ref))
				: failure(referenceConflict(client.node, ref, found.conflict, itemIndex));
	});
	return answers;
}

import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DraftFields, RowInput } from '../domain/invoice';
import type { RowMatch } from '../domain/rowMatch';
import type { VismaArticle, VismaCustomer, VismaDraft, VismaInvoice } from '../domain/visma';
import type { Carrier, Carriers } from '../domain/twins';
import type { VismaClient } from '../transport';
import type { Outcome } from './outcome';
import { failure, success } from './outcome';
import { lookUpForPlanning, planOne } from './planDrafts';
import type { TwinRecord, TwinVerdict } from './settleTwins';
import { settleReference, twinsOf, twinsWarning } from './settleTwins';
import type { CustomerKey, ExistingByRef, SourceRef } from './sourceReferences';
import { completeCustomerKeys, referenceConflict, resolveExisting } from './sourceReferences';

/**
 * What the draft stages (planDrafts, writeDrafts) take and give, and the first of them: the
 * answer for requests whose source reference a record already carries.
 */

/**
 * A draft's customer or default article as the request gives it: by ID, by number, or as the
 * record itself.
 */
export interface GivenRecord {
	id?: string;
	number?: string;
	/** Already fetched (for example by Find or Create Customer in the same node). */
	record?: VismaCustomer | VismaArticle;
	/** A default article that does not exist is a problem only for a row that uses it. */
	onlyIfUsed?: boolean;
}

export interface DraftRequest {
	itemIndex: number;
	customer: GivenRecord;
	defaultArticle?: GivenRecord;
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
	/** Other records carrying the reference, left alone (see `warning`). */
	twins?: TwinRecord[];
	/** Later copies of this export that this execution deleted. */
	deletedTwins?: TwinRecord[];
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

/** The result for an item whose reference this customer's records already carry. */
function existingResult(verdict: TwinVerdict, ref: SourceRef, note?: string): DraftResult {
	const { record, kind } = verdict.keep!;
	const r = record as Record<string, unknown>;
	const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
	const warning = [twinsWarning(ref, verdict), note].filter(Boolean).join(' ');
	return {
		draft: record,
		outcome: kind === 'invoice' ? 'existingInvoice' : 'existingDraft',
		customer: {
			Id: text(r.CustomerId),
			CustomerNumber: text(r.CustomerNumber),
			Name: text(r.CustomerName),
		},
		matches: [],
		sourceReference: ref,
		...twinFields(verdict),
		...(warning ? { warning } : {}),
	};
}

/** `twins` and `deletedTwins` for the output, each only when it has something. */
export function twinFields(verdict: TwinVerdict): Pick<DraftResult, 'twins' | 'deletedTwins'> {
	const twins = twinsOf(verdict);
	return {
		...(twins.length ? { twins } : {}),
		...(verdict.deleted.length ? { deletedTwins: verdict.deleted } : {}),
	};
}

/** A request as answerFromExisting sees it. */
export interface ExistingQuestion {
	itemIndex: number;
	ref?: SourceRef;
	customer: CustomerKey;
	/** The draft this item would create: planned only to tell our copies among twins apart. */
	draft: () => DraftRequest;
}

/**
 * The bodies these items would send, to tell copies of an earlier export of theirs apart from
 * other records (looked up, never written); or why an item cannot be planned.
 */
async function plannedBodies(
	client: VismaClient,
	questions: ExistingQuestion[],
): Promise<Array<Record<string, unknown> | string>> {
	if (questions.length === 0) return [];
	try {
		const requests = questions.map((q) => q.draft());
		const data = await lookUpForPlanning(client, requests);
		return requests.map((request) => {
			const plan = planOne(request, data);
			return 'problems' in plan
				? `${plan.problems[0].field} ${plan.problems[0].message}`
				: plan.body;
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return questions.map(() => reason);
	}
}

/**
 * For each request with a reference that something already carries: the existing record of this
 * customer (returned instead of a new draft), or a conflict error. Where more than one record of
 * this customer carries it, the twins are settled by the same rules as after creating: copies of
 * what this item sends are deleted, every other record is reported. Requests left undefined need
 * work.
 */
export async function answerFromExisting(
	client: VismaClient,
	existing: ExistingByRef,
	questions: ExistingQuestion[],
): Promise<Results> {
	const answers: Results = new Array(questions.length).fill(undefined);
	if (existing.size === 0) return answers;
	await completeCustomerKeys(client, existing, questions);
	const hits: Array<{
		k: number;
		ref: SourceRef;
		carriers: Carriers;
		mine: (r: Carrier) => boolean;
		settle: boolean;
	}> = [];
	questions.forEach(({ itemIndex, ref, customer }, k) => {
		if (!ref) return;
		const found = resolveExisting(existing, ref, customer);
		if (!found) return;
		if ('conflict' in found)
			answers[k] = failure(referenceConflict(client.node, ref, found.conflict, itemIndex));
		else hits.push({ k, ref, ...found });
	});
	const toSettle = hits.filter((h) => h.settle);
	const bodies = await plannedBodies(
		client,
		toSettle.map((h) => questions[h.k]),
	);
	for (const hit of hits) {
		const planned = hit.settle ? bodies[toSettle.indexOf(hit)] : undefined;
		const sent = typeof planned === 'object' ? { body: planned, ids: [] } : undefined;
		const verdict = await settleReference(client, hit.carriers, hit.mine, sent, { fallback: true });
		const note =
			typeof planned === 'string' && verdict.others.length
				? `The node could not tell which of them are copies of this export: ${planned}.`
				: undefined;
		answers[hit.k] = success(existingResult(verdict, hit.ref, note));
	}
	return answers;
}

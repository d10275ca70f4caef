import type { NodeOperationError } from 'n8n-workflow';

import { earliest } from '../domain/invoice';
import type { Carrier } from '../domain/twins';
import { sameContent } from '../domain/twins';
import type { VismaDraft, VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { mapPool } from '../transport';
import { DRAFT } from '../records/draft';
import type { DraftResult, Results } from './drafts';
import { sourceRefOf, twinFields } from './drafts';
import type { ItemError } from './outcome';
import { asItemError, failure, forItem, success } from './outcome';
import type { PlannedDraft } from './planDrafts';
import type { TwinVerdict } from './settleTwins';
import { settleTwins, twinsWarning } from './settleTwins';
import type { SourceRef } from './sourceReferences';
import { referenceConflict, findByReference, refKey } from './sourceReferences';

/**
 * Writing, the stage after planning: one POST per source reference (later items with the same
 * reference in this execution reuse the first), a lost answer settled by looking the reference
 * up (and sending again when two looks agree nothing was created), then the look for twins.
 */

/** POSTs run this many at a time; the rate gate keeps them under Visma's limit. */
const CREATE_CONCURRENCY = 8;

const lower = (s: unknown) => String(s ?? '').toLowerCase();

interface Created {
	plan: PlannedDraft;
	/** What the POST gave, or what a look found after its answer was lost. */
	record?: Carrier;
	/** Found by a look rather than returned by the POST: maybe another process's. */
	adopted?: 'draft' | 'invoice';
	/** From the first send to the answer, retries included. */
	postMs?: number;
	error?: ItemError;
}

/**
 * Writes the planned drafts and puts every item's outcome in `results`. Past the first write, a
 * failure is the items' own: never a node error that drops what was written.
 */
export async function writeDrafts(
	client: VismaClient,
	plans: PlannedDraft[],
	results: Results,
): Promise<void> {
	try {
		const firsts = firstOfEachReference(plans);
		const created = await postDrafts(client, firsts);
		await settleCreated(client, created, results);
		answerRepeats(client, plans, firsts, results);
	} catch (error) {
		for (const plan of plans) {
			if (!results[plan.index])
				results[plan.index] = failure(asItemError(client.node, error, plan.request.itemIndex));
		}
	}
}

/** The plans to POST: every plan without a reference, and the first plan of each reference. */
function firstOfEachReference(plans: PlannedDraft[]): PlannedDraft[] {
	const seen = new Set<string>();
	return plans.filter((plan) => {
		const ref = sourceRefOf(plan.request);
		if (!ref) return true;
		if (seen.has(refKey(ref))) return false;
		seen.add(refKey(ref));
		return true;
	});
}

const customerOf = (plan: PlannedDraft) => (record: Carrier) =>
	lower(record.CustomerId) === lower(plan.customer.Id);

/**
 * After a lost answer: this customer's booked invoice with the reference (the invoice is
 * exported), or the earliest draft of this customer holding exactly what the plan sent. Another
 * customer's record, and nothing of ours, is the conflict it would have been before writing.
 */
async function lookForOwn(
	client: VismaClient,
	plan: PlannedDraft,
	ref: SourceRef,
): Promise<{ record: Carrier; kind: 'draft' | 'invoice' } | undefined> {
	const found = await findByReference(client, ref.field, [ref.value]);
	const drafts = found.drafts.get(ref.value) ?? [];
	const invoices = found.invoices.get(ref.value) ?? [];
	const mine = customerOf(plan);
	const invoice = earliest(invoices.filter(mine));
	if (invoice) return { record: invoice, kind: 'invoice' };
	const draft = earliest(drafts.filter((d) => mine(d) && sameContent(d, plan.body)));
	if (draft) return { record: draft, kind: 'draft' };
	const theirs = earliest([...invoices, ...drafts].filter((r) => !mine(r)));
	if (theirs) throw referenceConflict(client.node, ref, theirs, plan.request.itemIndex, true);
	return undefined;
}

/** POSTs the planned drafts, a few at a time. */
async function postDrafts(client: VismaClient, plans: PlannedDraft[]): Promise<Created[]> {
	return await mapPool(plans, CREATE_CONCURRENCY, async (plan) => {
		const ref = sourceRefOf(plan.request);
		let adopted: Created['adopted'];
		const started = Date.now();
		try {
			const record = await client.request<Carrier>({
				method: 'POST',
				path: `/${DRAFT.path}`,
				body: plan.body,
				action: 'draft invoice',
				itemIndex: plan.request.itemIndex,
				// A draft whose outcome is unknown is looked for by its reference, and sent again
				// only when two looks agree it is not there: a copy committed later still is
				// found by the twin check, or by the next export of the reference.
				resend: 'afterTwoLooks',
				verify: ref
					? async () => {
							const own = await lookForOwn(client, plan, ref);
							adopted = own?.kind;
							return own?.record;
						}
					: undefined,
			});
			return { plan, record, adopted, postMs: Date.now() - started };
		} catch (error) {
			return { plan, error: asItemError(client.node, error, plan.request.itemIndex) };
		}
	});
}

/** The item's result from what the twin check decided. */
function settledResult(
	base: Pick<DraftResult, 'customer' | 'matches' | 'sourceReference'>,
	created: Created & { record: Carrier },
	ref: SourceRef,
	verdict: TwinVerdict,
): DraftResult {
	const { record, adopted } = created;
	const keep = verdict.keep;
	const twins = twinFields(verdict);
	if (!keep) {
		// Nothing of this customer carries the reference any more: someone deleted or changed it.
		return {
			...base,
			...twins,
			draft: record,
			outcome: adopted === 'invoice' ? 'existingInvoice' : adopted ? 'existingDraft' : 'created',
			warning: [
				`The ${adopted === 'invoice' ? 'invoice' : 'draft'} ${record.Id} no longer shows up with source reference ${ref.value} in eAccounting: it was deleted or changed after the node created or found it. Check eAccounting.`,
				twinsWarning(ref, verdict),
			]
				.filter(Boolean)
				.join(' '),
		};
	}
	// Only a draft Visma answered this execution's POST with is claimed as created.
	const made = !adopted && keep.kind === 'draft' && lower(keep.record.Id) === lower(record.Id);
	const warning = twinsWarning(ref, verdict);
	return {
		...base,
		...twins,
		draft: keep.record as VismaDraft | VismaInvoice,
		outcome: keep.kind === 'invoice' ? 'existingInvoice' : made ? 'created' : 'existingDraft',
		...(warning ? { warning } : {}),
	};
}

/** The outcomes of the POSTs, after the look for twins of the drafts that carry a reference. */
async function settleCreated(
	client: VismaClient,
	created: Created[],
	results: Results,
): Promise<void> {
	for (const { plan, error } of created) if (error) results[plan.index] = failure(error);
	const checks = created.flatMap(({ plan, record, adopted, postMs }) => {
		const ref = sourceRefOf(plan.request);
		if (!record || !ref) return [];
		const ids = adopted ? [] : [record.Id];
		const sent = { body: plan.body, ids };
		return [{ ref, mine: customerOf(plan), sent, held: record, postMs: postMs ?? 0 }];
	});
	let verdicts: Map<string, TwinVerdict> | undefined;
	let checkFailed: unknown;
	try {
		verdicts = checks.length ? await settleTwins(client, checks) : new Map();
	} catch (error) {
		checkFailed = error;
	}
	for (const entry of created) {
		const { plan, record, adopted } = entry;
		if (!record) continue;
		const ref = sourceRefOf(plan.request);
		const base = { customer: plan.customer, matches: plan.matches, sourceReference: ref ?? null };
		const outcome =
			adopted === 'invoice' ? 'existingInvoice' : adopted ? 'existingDraft' : 'created';
		const verdict = ref ? verdicts?.get(refKey(ref)) : undefined;
		if (ref && checkFailed) {
			const reason = checkFailed instanceof Error ? checkFailed.message : String(checkFailed);
			results[plan.index] = success({
				...base,
				draft: record,
				outcome,
				warning: `The draft was created, but the check for a twin made by another process at the same moment failed (${reason}). Run the item again to reconcile.`,
			});
		} else if (ref && verdict) {
			results[plan.index] = success(settledResult(base, { ...entry, record }, ref, verdict));
		} else {
			results[plan.index] = success({ ...base, draft: record, outcome });
		}
	}
}

/**
 * Later items with a reference created earlier in this execution: the same draft, or a conflict
 * when they name another customer.
 */
function answerRepeats(
	client: VismaClient,
	plans: PlannedDraft[],
	firsts: PlannedDraft[],
	results: Results,
): void {
	const firstByRef = new Map<string, PlannedDraft>();
	for (const plan of firsts) {
		const ref = sourceRefOf(plan.request);
		if (ref) firstByRef.set(refKey(ref), plan);
	}
	for (const plan of plans) {
		if (results[plan.index]) continue;
		const ref = sourceRefOf(plan.request)!;
		const first = results[firstByRef.get(refKey(ref))!.index]!;
		if (!first.ok) {
			results[plan.index] = failure(
				forItem(client.node, first.error as NodeOperationError, plan.request.itemIndex),
			);
		} else if (lower(first.value.customer.Id) !== lower(plan.customer.Id)) {
			results[plan.index] = failure(
				referenceConflict(client.node, ref, first.value.draft, plan.request.itemIndex),
			);
		} else {
			// The deletions are reported once, on the item that made them.
			const value: DraftResult = {
				...first.value,
				outcome: first.value.outcome === 'existingInvoice' ? 'existingInvoice' : 'existingDraft',
				matches: plan.matches,
			};
			delete value.deletedTwins;
			results[plan.index] = success(value);
		}
	}
}

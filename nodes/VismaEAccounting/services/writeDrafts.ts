import type { NodeOperationError } from 'n8n-workflow';

import { earliest } from '../domain/invoice';
import type { VismaDraft } from '../domain/visma';
import type { VismaClient } from '../transport';
import { mapPool } from '../transport';
import { DRAFT } from '../records/draft';
import type { Results } from './drafts';
import { sourceRefOf } from './drafts';
import type { ItemError } from './outcome';
import { asItemError, failure, forItem, success } from './outcome';
import type { PlannedDraft } from './planDrafts';
import { referenceConflict, findByReference, refKey } from './sourceReferences';
import type { TwinVerdict } from './settleTwins';
import { settleTwins } from './settleTwins';

/**
 * Writing, the stage after planning: one POST per source reference (later items with the same
 * reference in this execution reuse the first), a lost answer settled by looking the reference
 * up, then the look for twins another process created at the same moment.
 */

/** POSTs run this many at a time; the rate gate keeps them under Visma's limit. */
const CREATE_CONCURRENCY = 8;

const lower = (s: string) => s.toLowerCase();

interface Created {
	plan: PlannedDraft;
	draft?: VismaDraft;
	/** Found after a lost answer rather than returned by the POST: maybe another process's. */
	adopted?: boolean;
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

/** POSTs the planned drafts, a few at a time. */
async function postDrafts(client: VismaClient, plans: PlannedDraft[]): Promise<Created[]> {
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

/** The outcomes of the POSTs, after the look for twins of the drafts that carry a reference. */
async function settleCreated(
	client: VismaClient,
	created: Created[],
	results: Results,
): Promise<void> {
	for (const { plan, error } of created) if (error) results[plan.index] = failure(error);
	const checks = created.flatMap(({ plan, draft }) => {
		const ref = sourceRefOf(plan.request);
		return draft && ref ? [{ ref, draft }] : [];
	});
	let verdicts: Map<string, TwinVerdict> | undefined;
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
			results[plan.index] = success({
				...base,
				draft,
				outcome: adopted ? 'existingDraft' : 'created',
				warning: `The draft was created, but the check for a twin made by another process at the same moment failed (${reason}). Run the item again to reconcile.`,
			});
		} else if (verdict && lower(verdict.keep.Id) !== lower(draft.Id)) {
			results[plan.index] = success({ ...base, draft: verdict.keep, outcome: 'existingDraft' });
		} else {
			// A draft found after a lost answer may be another process's: never claimed as created.
			results[plan.index] = success({
				...base,
				draft: verdict?.keep ?? draft,
				outcome: adopted ? 'existingDraft' : 'created',
			});
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
			results[plan.index] = success({
				...first.value,
				outcome: 'existingDraft',
				matches: plan.matches,
			});
		}
	}
}

import { sleep } from 'n8n-workflow';

import { earliest } from '../domain/invoice';
import type { VismaDraft } from '../domain/visma';
import type { VismaClient } from '../transport';
import { clampDelay, isNotFound, pacing, passOn, readFailure, resourcePath } from '../transport';
import { DRAFT } from '../records/draft';
import type { SourceRef } from './sourceReferences';
import { findByReference, refKey } from './sourceReferences';

/** Looks at most this many times before settling for what the last look showed. */
const MAX_LOOKS = 4;

export interface TwinCheck {
	ref: SourceRef;
	/** The draft this execution holds for the reference. */
	draft: VismaDraft;
}

export interface TwinVerdict {
	/** The draft everybody keeps: the earliest (CreatedUtc, then Id) that carries the reference. */
	keep: VismaDraft;
	/** Later twins this execution deleted. */
	deleted: string[];
}

/** Deletes a later twin; one its creator already deleted is fine. */
async function deleteTwin(client: VismaClient, id: string): Promise<void> {
	try {
		await client.request({
			method: 'DELETE',
			path: resourcePath(DRAFT.path, id),
			action: 'duplicate draft',
		});
	} catch (error) {
		if (!isNotFound(readFailure(error))) throw passOn(client.node, error);
	}
}

interface Pending extends TwinCheck {
	/** What the previous look showed. */
	seen: VismaDraft[];
}

const idsOf = (drafts: VismaDraft[]) =>
	drafts
		.map((d) => d.Id.toLowerCase())
		.sort()
		.join(',');

/**
 * Another process (a queue-mode worker) may have created the same reference at the same moment,
 * and its draft may become visible only a little later. So after creating, look again after a
 * delay, and again, until two looks in a row agree (the first "look" is what this execution
 * knows: its own draft). Then everybody applies the same rule to the same set: keep the earliest
 * draft and delete every later one, whoever made it. A worker whose own draft is deleted by
 * another sees the earliest on its next look and reports that one.
 * Assumption: a committed draft becomes visible within the looks' delays (see pacing).
 */
export async function settleTwins(
	client: VismaClient,
	checks: TwinCheck[],
): Promise<Map<string, TwinVerdict>> {
	const verdicts = new Map<string, TwinVerdict>();
	let pending = new Map<string, Pending>(
		checks.map((c) => [refKey(c.ref), { ...c, seen: [c.draft] }]),
	);
	for (let look = 1; pending.size > 0; look++) {
		await sleep(clampDelay(pacing().twinDelayMs));
		const next = new Map<string, Pending>();
		for (const field of new Set([...pending.values()].map((p) => p.ref.field))) {
			const group = [...pending.values()].filter((p) => p.ref.field === field);
			const found = await findByReference(
				client,
				field,
				group.map((p) => p.ref.value),
				false,
			);
			for (const p of group) {
				// Only this customer's drafts are twins; another customer's is not ours to touch.
				const customer = String(p.draft.CustomerId ?? '').toLowerCase();
				const now = (found.drafts.get(p.ref.value) ?? []).filter(
					(d) => String(d.CustomerId ?? '').toLowerCase() === customer,
				);
				if (idsOf(now) === idsOf(p.seen) || look >= MAX_LOOKS) {
					const keep = earliest(now) ?? earliest(p.seen) ?? p.draft;
					const later = now.filter((d) => d.Id.toLowerCase() !== keep.Id.toLowerCase());
					for (const twin of later) await deleteTwin(client, twin.Id);
					verdicts.set(refKey(p.ref), { keep, deleted: later.map((d) => d.Id) });
				} else {
					next.set(refKey(p.ref), { ...p, seen: now });
				}
			}
		}
		pending = next;
	}
	return verdicts;
}

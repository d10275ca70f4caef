import { sleep } from 'n8n-workflow';

import type { Carrier, Carriers, SentDraft, Settlement } from '../domain/twins';
import { settleCarriers, twinLookWait } from '../domain/twins';
import { SOURCE_REFERENCE_LABELS } from '../domain/invoice';
import type { VismaClient } from '../transport';
import { clampDelay, isNotFound, pacing, passOn, readFailure, resourcePath } from '../transport';
import { DRAFT } from '../records/draft';
import type { SourceRef } from './sourceReferences';
import { findByReference, refKey } from './sourceReferences';

/**
 * Twins: other records carrying a reference this execution exported. After creating (another
 * process may have created the same reference at the same moment) and on a re-run that finds
 * more than one record, the same rules (domain/twins.ts) decide what stands for the reference;
 * this executes them: it deletes only later copies of what this execution sent, and reports
 * everything else.
 */

/** Looks at most this many times before settling for what the last look showed. */
const MAX_LOOKS = 4;

/** A record carrying the reference, as the output reports it. */
export interface TwinRecord {
	type: 'draft' | 'invoice';
	Id: string;
	InvoiceNumber?: number;
	CustomerNumber: string | null;
	CustomerName: string | null;
	CreatedUtc: string | null;
}

export interface TwinVerdict {
	/** What the reference stands for now; undefined when nothing of this customer carries it. */
	keep?: Settlement['keep'];
	/** Later copies of ours that this execution deleted. */
	deleted: TwinRecord[];
	/** Other records carrying the reference: left alone. */
	others: TwinRecord[];
	/** Copies of ours that could not be deleted, and why. */
	undeleted: Array<{ record: TwinRecord; reason: string }>;
}

export interface TwinCheck {
	ref: SourceRef;
	/** Whether a record belongs to this item's customer. */
	mine: (record: Carrier) => boolean;
	sent: SentDraft;
	/** The record this execution holds for the reference (made, or found after a lost answer). */
	held: Carrier;
	/** How long its POST took, from the first send to the answer (retries included). */
	postMs: number;
}

const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
const isInvoice = (record: Carrier, carriers: Carriers) =>
	carriers.invoices.some((i) => i.Id === record.Id);

function twinRecord(record: Carrier, type: TwinRecord['type']): TwinRecord {
	const r = record as Record<string, unknown>;
	return {
		type,
		Id: record.Id,
		...(type === 'invoice' && r.InvoiceNumber !== undefined
			? { InvoiceNumber: r.InvoiceNumber as number }
			: {}),
		CustomerNumber: text(r.CustomerNumber),
		CustomerName: text(r.CustomerName),
		CreatedUtc: text(r.CreatedUtc),
	};
}

/** Deletes a later copy of ours: true when this call deleted it, false when it was gone already. */
async function deleteTwin(client: VismaClient, id: string): Promise<boolean> {
	try {
		await client.request({
			method: 'DELETE',
			path: resourcePath(DRAFT.path, id),
			action: 'duplicate draft',
		});
		return true;
	} catch (error) {
		if (isNotFound(readFailure(error))) return false;
		throw passOn(client.node, error);
	}
}

/**
 * Applies the twin rules to what carries one reference: deletes our later copies and says what
 * stands for the reference and what else carries it. A copy that cannot be deleted is reported
 * with the others, with the reason.
 */
export async function settleReference(
	client: VismaClient,
	carriers: Carriers,
	mine: (record: Carrier) => boolean,
	sent: SentDraft | undefined,
	options: { fallback?: boolean } = {},
): Promise<TwinVerdict> {
	const settlement = settleCarriers(carriers, mine, sent, options);
	const verdict: TwinVerdict = {
		keep: settlement.keep,
		deleted: [],
		others: settlement.others.map((r) =>
			twinRecord(r, isInvoice(r, carriers) ? 'invoice' : 'draft'),
		),
		undeleted: [],
	};
	for (const twin of settlement.remove) {
		try {
			if (await deleteTwin(client, twin.Id)) verdict.deleted.push(twinRecord(twin, 'draft'));
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			verdict.undeleted.push({ record: twinRecord(twin, 'draft'), reason });
		}
	}
	return verdict;
}

interface Pending extends TwinCheck {
	/** What the previous look showed. */
	seen: Carrier[];
}

const idsOf = (records: Carrier[]) =>
	records
		.map((d) => d.Id.toLowerCase())
		.sort()
		.join(',');

/**
 * Another process (a queue-mode worker) may have created the same reference at the same moment,
 * someone may have booked a draft of it meanwhile, and a record may become visible only a little
 * later. So after creating, look again (drafts and booked invoices) after a delay, and again,
 * until two looks in a row agree (the first "look" is what this execution knows: the record it
 * holds). Then settle by the twin rules: every execution that sent the same content computes the
 * same keeper, and deletes only copies of what it sent. The delay is what the slowest of these
 * POSTs says about visibility (`twinLookWait`); the look goes through `findIn`, so executions
 * looking in the same slot share it.
 * Assumption: a committed draft becomes visible within the looks' delays.
 */
export async function settleTwins(
	client: VismaClient,
	checks: TwinCheck[],
): Promise<Map<string, TwinVerdict>> {
	const verdicts = new Map<string, TwinVerdict>();
	let pending = new Map<string, Pending>(
		checks.map((c) => [refKey(c.ref), { ...c, seen: [c.held] }]),
	);
	const { twinLookMinMs: minMs, twinLookMaxMs: maxMs, twinLookSlotMs: slotMs } = pacing();
	const postMs = Math.max(...checks.map((c) => c.postMs));
	for (let look = 1; pending.size > 0; look++) {
		await sleep(clampDelay(twinLookWait(postMs, Date.now(), { minMs, maxMs, slotMs })));
		const next = new Map<string, Pending>();
		for (const field of new Set([...pending.values()].map((p) => p.ref.field))) {
			const group = [...pending.values()].filter((p) => p.ref.field === field);
			const found = await findByReference(
				client,
				field,
				group.map((p) => p.ref.value),
			);
			for (const p of group) {
				const carriers: Carriers = {
					drafts: found.drafts.get(p.ref.value) ?? [],
					invoices: found.invoices.get(p.ref.value) ?? [],
				};
				const now = [...carriers.drafts, ...carriers.invoices];
				if (idsOf(now) === idsOf(p.seen) || look >= MAX_LOOKS) {
					verdicts.set(refKey(p.ref), await settleReference(client, carriers, p.mine, p.sent));
				} else {
					next.set(refKey(p.ref), { ...p, seen: now });
				}
			}
		}
		pending = next;
	}
	return verdicts;
}

const describeRecord = (t: TwinRecord) =>
	`${t.type === 'invoice' ? `invoice ${t.InvoiceNumber ?? t.Id}` : `draft ${t.Id}`} of customer ${[
		t.CustomerNumber,
		t.CustomerName ? `(${t.CustomerName})` : '',
	]
		.filter(Boolean)
		.join(' ')}`;

/** What the output lists under `twins`: every record carrying the reference that is still there. */
export const twinsOf = (verdict: TwinVerdict): TwinRecord[] => [
	...verdict.others,
	...verdict.undeleted.map((u) => u.record),
];

/** The warning for records carrying the reference that are still there, if there are any. */
export function twinsWarning(ref: SourceRef, verdict: TwinVerdict): string | undefined {
	const parts: string[] = [];
	const label = `Source reference ${ref.value} (${SOURCE_REFERENCE_LABELS[ref.field]})`;
	if (verdict.others.length > 0) {
		const many = verdict.others.length > 1;
		parts.push(
			`${label} is also carried by ${verdict.others.map(describeRecord).join('; ')}. The node did not make ${many ? 'them' : 'it'} (or cannot prove it did), so ${many ? 'they were' : 'it was'} left alone: check in eAccounting which record is the invoice to keep, and remove or change the others by hand.`,
		);
	}
	for (const { record, reason } of verdict.undeleted) {
		parts.push(
			`A later copy of this export, ${describeRecord(record)}, could not be deleted (${reason}): delete it in eAccounting.`,
		);
	}
	return parts.length ? parts.join(' ') : undefined;
}

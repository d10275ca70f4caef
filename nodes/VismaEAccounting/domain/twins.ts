import { sameValue } from './draft';
import { earliest } from './invoice';
import type { VismaDraft, VismaInvoice } from './visma';

/**
 * Twins: more than one record carrying one source reference. Which of them the node may remove
 * and which one stands for the reference, decided from what the records say and what this
 * execution sent. Pure: the services look and delete.
 */

/** A record that carries a source reference: a draft, or a booked invoice. */
export type Carrier = VismaDraft | VismaInvoice;

export interface Carriers {
	drafts: VismaDraft[];
	invoices: VismaInvoice[];
}

/** What this execution sent for a reference. */
export interface SentDraft {
	/** The draft body that was POSTed (or would have been, on a re-run). */
	body: Record<string, unknown>;
	/** Drafts Visma answered the POSTs with: this execution made them. */
	ids: string[];
}

export interface Settlement {
	/** What the reference stands for, if anything does; `kind` says which collection it is in. */
	keep?: { record: Carrier; kind: 'draft' | 'invoice' };
	/** Later copies of what this execution sent: the node deletes them. */
	remove: VismaDraft[];
	/** Every other carrier: reported, never deleted (the node cannot prove they are its own). */
	others: Carrier[];
}

/** Body fields that instruct Visma rather than being stored as sent. */
const INSTRUCTIONS = new Set(['ReplaceUnitPriceWhenZero']);

const lower = (v: unknown) => String(v ?? '').toLowerCase();

function sameRows(stored: unknown, sent: unknown): boolean {
	if (!Array.isArray(stored) || !Array.isArray(sent) || stored.length !== sent.length) return false;
	const rows = stored as Array<Record<string, unknown>>;
	const ordered = rows.every((r) => typeof r.LineNumber === 'number')
		? [...rows].sort((a, b) => (a.LineNumber as number) - (b.LineNumber as number))
		: rows;
	return (sent as Array<Record<string, unknown>>).every((row, i) =>
		Object.entries(row).every(([field, value]) => sameValue(field, ordered[i][field], value)),
	);
}

/**
 * Whether a draft holds exactly what `body` sent: every field and row field we sent, with
 * Visma's rounding. What Visma fills in by itself (a row's text from the article name, totals,
 * the customer's address) is not compared; a field we sent that the record lacks is a difference.
 */
export function sameContent(
	record: Record<string, unknown>,
	body: Record<string, unknown>,
): boolean {
	return Object.entries(body).every(([field, sent]) => {
		if (INSTRUCTIONS.has(field)) return true;
		if (field === 'Rows') return sameRows(record.Rows, sent);
		return sameValue(field, record[field], sent);
	});
}

/** A draft this execution made (Visma answered with it) or whose content is what it sent. */
export function isOurs(draft: VismaDraft, sent: SentDraft): boolean {
	return sent.ids.some((id) => lower(id) === lower(draft.Id)) || sameContent(draft, sent.body);
}

const sameRecord = (a: Carrier, b: Carrier) => lower(a.Id) === lower(b.Id);

/**
 * The rules every execution applies to the same set, so that all of them agree:
 * - this customer's booked invoice wins whatever its creation time (it cannot be deleted, and a
 *   draft that arrived after it is a duplicate);
 * - else the earliest of our drafts (CreatedUtc, then Id);
 * - our other drafts are removed; every other carrier is reported and left alone.
 * `mine` says whether a record belongs to this item's customer. Without `sent` (or when nothing
 * is ours) and with `fallback`, the earliest draft of this customer stands for the reference.
 */
export function settleCarriers(
	carriers: Carriers,
	mine: (record: Carrier) => boolean,
	sent: SentDraft | undefined,
	options: { fallback?: boolean } = {},
): Settlement {
	const invoice = earliest(carriers.invoices.filter(mine));
	const drafts = carriers.drafts.filter(mine);
	const ours = sent ? drafts.filter((d) => isOurs(d, sent)) : [];
	const draft = earliest(ours) ?? (options.fallback ? earliest(drafts) : undefined);
	const keep = invoice
		? { record: invoice, kind: 'invoice' as const }
		: draft
			? { record: draft, kind: 'draft' as const }
			: undefined;
	const remove = ours.filter((d) => !keep || !sameRecord(d, keep.record));
	const others = [...carriers.invoices, ...carriers.drafts].filter(
		(r) => !(keep && sameRecord(r, keep.record)) && !remove.some((d) => sameRecord(d, r)),
	);
	return { keep, remove, others };
}

/**
 * How long to wait before looking for twins of a draft whose POST took `postMs`. A draft is
 * stamped (CreatedUtc) when its POST arrives and visible once the POST is processed, so a twin
 * another process stamped before ours is visible by the time its POST is processed. A POST to
 * the same company at the same moment takes about as long as ours: twice our round trip covers
 * one that took twice as long, within [minMs, maxMs]. Then the wait runs on to the next
 * multiple of `slotMs` (on the clock), so executions finishing at about the same time look
 * together and share the look-up.
 */
export function twinLookWait(
	postMs: number,
	now: number,
	limits: { minMs: number; maxMs: number; slotMs: number },
): number {
	const visible = Math.min(limits.maxMs, Math.max(limits.minMs, 2 * postMs));
	if (limits.slotMs <= 0) return visible;
	return Math.ceil((now + visible) / limits.slotMs) * limits.slotMs - now;
}

/**
 * Incremental polling without duplicates or gaps: the pure part of the Visma eAccounting Trigger.
 * No n8n imports; the trigger supplies a `fetch` that turns a ScanRequest into an API call.
 *
 * How a poll works
 * ----------------
 * Every event watches one timestamp field (the "axis"): customers `ChangedUtc`, articles and drafts
 * `CreatedUtc`, invoices `ModifiedUtc`. Visma stamps a record with its own clock when it is written.
 *
 * 1. Keyset paging and 2. the cursor: see domain/pollScan.ts.
 * 3. The overlap. The next poll starts at `cursor - overlap`, so a record that is committed a little
 *    after the time it was stamped with (or stamped just before the first response but not yet
 *    visible) is still found. Re-read records are recognised by a small "seen" map
 *    (compact id -> timestamp) holding only entries inside the window; older entries are pruned
 *    because no later poll can return them.
 *    Assumption: commit lag + the duration of one poll + clock differences between Visma's servers
 *    stay below the overlap (5 minutes by default). A clock that jumps back by more is not covered.
 *
 * Per event (the deciders below):
 * - created (articles, drafts, booked invoices): emit an id the first time we see it created in
 *   the window.
 * - changed (customers): emit each (id, ChangedUtc) once; a newer ChangedUtc is a new change.
 * - first sight (new customers: Visma has no CreatedUtc on customers): a set of every customer id
 *   known to the trigger, built by one full listing at activation (about 12 bytes per customer).
 * - paid (invoices): an invoice is emitted when it is seen paid (PaymentStatus 0) and it was either
 *   open (unpaid) at activation or seen open since, or it was created after activation. Only the
 *   ids of open invoices are kept (plus the window's seen map), so the state stays as small as
 *   the list of unpaid invoices, and an invoice already emitted is never emitted again, however
 *   often it is modified later.
 */

import type { ScanRequest, ScanResponse, ScanSummary, Snapshot } from './pollScan';
import {
	formatUtc,
	keysetScan,
	nextCursor,
	parseUtc,
	snapshotScan,
	UnorderedListing,
} from './pollScan';

/** Compact ids are 12 hex characters: 48 bits folded from the whole GUID. */
export const COMPACT_ID_LENGTH = 12;

const HEX = /^[0-9a-f]+$/;

/**
 * 48 bits of an id: the 32 hex digits of a GUID XOR-folded into 12, so every part of the GUID
 * counts (sequential GUIDs differ mostly in some of their bytes). Two different ids collide with
 * probability about n² / 2^49 (n = 10 000 ids: 2 in 10 million).
 */
export function compactId(id: string): string {
	const hex = String(id).toLowerCase().replace(/-/g, '');
	if (!HEX.test(hex) || hex.length < COMPACT_ID_LENGTH) return `~${String(id)}`;
	const digits = new Array<number>(COMPACT_ID_LENGTH).fill(0);
	for (let i = 0; i < hex.length; i++) digits[i % COMPACT_ID_LENGTH] ^= parseInt(hex[i], 16);
	return digits.map((d) => d.toString(16)).join('');
}

/** A set of compact ids stored as one sorted string, 12 characters per id. */
export class CompactIdSet {
	private readonly ids: Set<string>;

	constructor(ids: Iterable<string> = []) {
		this.ids = new Set(ids);
	}

	static decode(text: unknown): CompactIdSet {
		const set = new CompactIdSet();
		if (typeof text !== 'string') return set;
		for (let i = 0; i + COMPACT_ID_LENGTH <= text.length; i += COMPACT_ID_LENGTH) {
			set.ids.add(text.slice(i, i + COMPACT_ID_LENGTH));
		}
		return set;
	}

	encode(): string {
		return [...this.ids]
			.filter((id) => id.length === COMPACT_ID_LENGTH)
			.sort()
			.join('');
	}

	has(id: string): boolean {
		return this.ids.has(compactId(id));
	}

	add(id: string): void {
		this.ids.add(compactId(id));
	}

	delete(id: string): void {
		this.ids.delete(compactId(id));
	}

	get size(): number {
		return this.ids.size;
	}
}

// ---------------------------------------------------------------------------------------------
// State and deciders

export type EventKind = 'created' | 'changed' | 'firstSight' | 'paid';

/** What the trigger keeps in the workflow's static data. Plain JSON. */
export type StoredState = {
	v: 1;
	/** The event this state belongs to; another event starts afresh. */
	event: string;
	/** The connection (API URL and credential); another connection starts afresh. */
	scope: string;
	/** ISO timestamp; the next poll reads from `cursor - overlap`. */
	cursor: string;
	/** compact id -> ISO timestamp, only inside the overlap window. */
	seen: Record<string, string>;
	/** firstSight: every known id (CompactIdSet encoding). */
	known?: string;
	/** paid: ids of invoices known to be unpaid (CompactIdSet encoding). */
	open?: string;
};

/** Reads stored state if it is ours and well-formed; otherwise the trigger activates afresh. */
export function readState(
	raw: unknown,
	event: string,
	scope: string,
	kind?: EventKind,
): StoredState | undefined {
	if (!raw || typeof raw !== 'object') return undefined;
	const s = raw as Partial<StoredState>;
	if (s.v !== 1 || s.event !== event || s.scope !== scope) return undefined;
	if (parseUtc(s.cursor) === undefined) return undefined;
	// Without its id set, a first-sight or paid event would take every record for new.
	if (kind === 'firstSight' && typeof s.known !== 'string') return undefined;
	if (kind === 'paid' && typeof s.open !== 'string') return undefined;
	return {
		v: 1,
		event,
		scope,
		cursor: String(s.cursor),
		seen: s.seen && typeof s.seen === 'object' ? { ...s.seen } : {},
		known: typeof s.known === 'string' ? s.known : undefined,
		open: typeof s.open === 'string' ? s.open : undefined,
	};
}

/** The working memory of one poll: what has been seen, known and is open. */
export class PollMemory {
	readonly seen = new Map<string, number>();

	readonly known: CompactIdSet;

	readonly open: CompactIdSet;

	constructor(
		/** Records stamped before this (epoch ms) are outside this poll's window. */
		readonly windowStart: number,
		stored?: Pick<StoredState, 'seen' | 'known' | 'open'>,
	) {
		for (const [id, ts] of Object.entries(stored?.seen ?? {})) {
			const ms = parseUtc(ts);
			if (ms !== undefined) this.seen.set(id, ms);
		}
		this.known = CompactIdSet.decode(stored?.known);
		this.open = CompactIdSet.decode(stored?.open);
	}

	/** created: true the first time an id created inside the window is seen. */
	isNewCreation(id: string, createdMs: number | undefined): boolean {
		if (createdMs === undefined || createdMs < this.windowStart) return false;
		const key = compactId(id);
		if (this.seen.has(key)) return false;
		this.seen.set(key, createdMs);
		return true;
	}

	/** changed: true for each newer timestamp of an id. */
	isNewVersion(id: string, changedMs: number | undefined): boolean {
		if (changedMs === undefined) return false;
		const key = compactId(id);
		const previous = this.seen.get(key);
		if (previous !== undefined && previous >= changedMs) return false;
		this.seen.set(key, changedMs);
		return true;
	}

	/** firstSight: true the first time an id is seen at all. */
	isFirstSight(id: string): boolean {
		if (this.known.has(id)) return false;
		this.known.add(id);
		return true;
	}

	/**
	 * paid: true when an invoice is seen paid for the first time since it was open or new.
	 * An unpaid invoice created inside the window is remembered as open.
	 */
	isNewlyPaid(id: string, createdMs: number | undefined, paid: boolean): boolean {
		const key = compactId(id);
		const inWindow = createdMs !== undefined && createdMs >= this.windowStart;
		if (this.open.has(id)) {
			if (!paid) return false;
			this.open.delete(id);
			if (inWindow) this.seen.set(key, createdMs);
			return true;
		}
		if (!inWindow || this.seen.has(key)) return false;
		this.seen.set(key, createdMs);
		if (paid) return true;
		this.open.add(id);
		return false;
	}

	/** paid, at activation: remember what is open now, and what in the window already exists. */
	rememberInvoice(id: string, createdMs: number | undefined, paid: boolean): void {
		if (!paid) this.open.add(id);
		if (createdMs !== undefined && createdMs >= this.windowStart)
			this.seen.set(compactId(id), createdMs);
	}

	/** The state to store after a poll whose next window starts at `nextWindowStart`. */
	toState(
		event: string,
		scope: string,
		kind: EventKind,
		cursor: number,
		nextWindowStart: number,
	): StoredState {
		const seen: Record<string, string> = {};
		if (kind !== 'firstSight') {
			const entries = [...this.seen.entries()].filter(([, ts]) => ts >= nextWindowStart);
			entries.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
			for (const [id, ts] of entries) seen[id] = formatUtc(ts);
		}
		const state: StoredState = { v: 1, event, scope, cursor: formatUtc(cursor), seen };
		if (kind === 'firstSight') state.known = this.known.encode();
		if (kind === 'paid') state.open = this.open.encode();
		return state;
	}
}

// ---------------------------------------------------------------------------------------------
// A whole poll

export interface PollSetup<T> {
	/** Reads one page; `fields` limits the fields returned (full listings only need a few). */
	fetch: (request: ScanRequest, fields?: string[]) => Promise<ScanResponse<T>>;
	/** Reads everything from `from` at once, in any order (see snapshotScan). */
	readAll?: (from: number | undefined, fields?: string[]) => Promise<Snapshot<T>>;
	/** Read with readAll only (the documented change listing has no order). */
	snapshotOnly?: boolean;
	/** The record's id, to order records that share a timestamp in a snapshot. */
	id?: (record: T) => string;
	/** The record's axis timestamp (epoch ms). */
	timestamp: (record: T) => number | undefined;
	pageSize: number;
	overlapMs: number;
	event: string;
	scope: string;
	kind: EventKind;
	error?: (message: string) => Error;
}

/**
 * Reads [from, ...] with the keyset scan, or with a snapshot where the server does not sort.
 * `start` is called before each attempt and returns the visitor, so a keyset scan that has to
 * give up leaves nothing half-visited.
 */
async function scan<T>(
	setup: PollSetup<T>,
	from: number | undefined,
	fields: string[] | undefined,
	start: () => (record: T) => void,
): Promise<ScanSummary> {
	const readAll = setup.readAll;
	if (!setup.snapshotOnly || !readAll) {
		const keyset = await keysetScan<T>({
			fetch: async (request) => await setup.fetch(request, fields),
			timestamp: setup.timestamp,
			from,
			pageSize: setup.pageSize,
			visit: start(),
			error: setup.error,
		}).catch(async (error: unknown) =>
			error instanceof UnorderedListing && readAll ? undefined : await Promise.reject(error),
		);
		if (keyset || !readAll) return keyset as ScanSummary;
	}
	return await snapshotScan<T>({
		read: async (since) => await readAll!(since, fields),
		timestamp: setup.timestamp,
		id: setup.id ?? ((record) => String((record as { Id?: unknown }).Id ?? '')),
		from,
		visit: start(),
	});
}

/**
 * Activation: remember what exists, emit nothing. `now` is the server time before the scan.
 * With `listingFields` every record is read once (first-sight and paid events); otherwise only
 * the window [now - overlap, ...].
 */
export async function activatePoll<T>(
	setup: PollSetup<T>,
	now: number,
	remember: (memory: PollMemory, record: T) => void,
	listingFields?: string[],
): Promise<StoredState> {
	let memory = new PollMemory(now - setup.overlapMs);
	const summary = await scan(
		setup,
		listingFields ? undefined : now - setup.overlapMs,
		listingFields,
		() => {
			memory = new PollMemory(now - setup.overlapMs);
			return (record) => remember(memory, record);
		},
	);
	const cursor = nextCursor(now, summary) ?? now;
	return memory.toState(setup.event, setup.scope, setup.kind, cursor, cursor - setup.overlapMs);
}

/** A regular poll over [cursor - overlap, now]: the records to emit, oldest first, and the new state. */
export async function runPoll<T>(
	setup: PollSetup<T>,
	state: StoredState,
	decide: (memory: PollMemory, record: T) => boolean,
): Promise<{ state: StoredState; emitted: T[]; summary: ScanSummary }> {
	const cursor = parseUtc(state.cursor) as number;
	const windowStart = cursor - setup.overlapMs;
	let memory = new PollMemory(windowStart, state);
	let emitted: T[] = [];
	const summary = await scan(setup, windowStart, undefined, () => {
		memory = new PollMemory(windowStart, state);
		emitted = [];
		return (record) => {
			if (decide(memory, record)) emitted.push(record);
		};
	});
	const next = nextCursor(cursor, summary) ?? cursor;
	return {
		state: memory.toState(state.event, state.scope, setup.kind, next, next - setup.overlapMs),
		emitted,
		summary,
	};
}

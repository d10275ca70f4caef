/**
 * Incremental polling without duplicates or gaps: the pure part of the Visma eAccounting Trigger.
 * No n8n imports; the trigger supplies a `fetch` that turns a ScanRequest into an API call.
 *
 * How a poll works
 * ----------------
 * Every event watches one timestamp field (the "axis"): customers `ChangedUtc`, articles and drafts
 * `CreatedUtc`, invoices `ModifiedUtc`. Visma stamps a record with its own clock when it is written.
 *
 * 1. Keyset paging. A poll reads `axis ge <from>` ordered by the axis ascending. When a page is full
 *    the next request starts at the page's largest timestamp (`ge`, so records sharing it are read
 *    again and recognised), never at `$page + 1`: with offsets, a record that moves (its timestamp
 *    changes while we page) shifts the others and one of them would be skipped. A record that moves
 *    lands after our position, so we meet it again. Only a page whose records all share one
 *    millisecond cannot be keyed past; that "tie block" is counted and then read by `$page` from the
 *    LAST page to the first, ordered by axis and Id. Records can only leave an old block (they move
 *    away), and a removal only shifts records that come after it, which we have already read, so
 *    reading backwards cannot skip one. (A block can only grow while its millisecond is "now";
 *    then it lies inside the next poll's overlap and is read again.)
 * 2. The cursor. After a poll the cursor is the latest of: the previous cursor, the server time of
 *    the poll's first response (`Meta.ServerTimeUtc`), and the largest timestamp read. Everything
 *    stamped before the first response was visible to the scan, so it has been read.
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

const TIMESTAMP =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds of a Visma `*Utc` timestamp, or undefined. A timestamp without an offset is
 * UTC (JavaScript would read it as local time). Digits beyond milliseconds are dropped (floor).
 */
export function parseUtc(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const m = TIMESTAMP.exec(text.trim());
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
	const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
	let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
	if (zone && zone.toUpperCase() !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		epoch -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
	}
	return Number.isFinite(epoch) ? epoch : undefined;
}

/** ISO 8601 with milliseconds and Z, the form we send in `$filter` and keep in state. */
export function formatUtc(ms: number): string {
	return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Keyset scan

export interface ScanRequest {
	/** Inclusive lower bound on the axis (epoch ms); undefined = from the oldest record. */
	from?: number;
	/** Exclusive upper bound; set only while reading a tie block. */
	before?: number;
	/** 1-based page; above 1 only inside a tie block (or for records without a timestamp). */
	page: number;
	pageSize: number;
	/** Order by Id after the axis, so a tie block has the same order in every request. */
	tieOrder: boolean;
}

export interface ScanResponse<T> {
	records: T[];
	/** False when the server ignored or refused our order: keyset paging is not possible then. */
	ordered?: boolean;
	/** Meta.TotalNumberOfResults */
	total: number;
	/** Meta.ServerTimeUtc in epoch ms. */
	serverTime?: number;
}

export interface ScanOptions<T> {
	fetch: (request: ScanRequest) => Promise<ScanResponse<T>>;
	/** The record's axis timestamp in epoch ms. */
	timestamp: (record: T) => number | undefined;
	from?: number;
	pageSize: number;
	/** Called for every record read, in the order read; a record may be visited more than once. */
	visit: (record: T) => void;
	/** Builds the error thrown when the API does not honour the filter or order we asked for. */
	error?: (message: string) => Error;
}

export interface ScanSummary {
	/** Server time of the first response. */
	serverTime?: number;
	/** Largest axis timestamp read. */
	maxSeen?: number;
	requests: number;
	records: number;
}

/** The server would not sort by the axis: the scan has to read a snapshot instead. */
export class UnorderedListing extends Error {
	constructor() {
		super('The server did not sort the listing by time');
	}
}

/** Everything with axis >= `from` in one listing (all pages), read without relying on order. */
export interface Snapshot<T> {
	records: T[];
	/** Server time of the first response. */
	serverTime?: number;
	requests: number;
}

/**
 * The snapshot scan: the records are sorted here (by timestamp, then Id) and visited oldest
 * first. Used where the documented way to read changes has no order (invoices'
 * `modifiedSinceUtc`) and where the server refuses `$orderby`. A record that moves while the
 * pages are read is stamped after the first response, so the next poll's overlap reads it again.
 */
export async function snapshotScan<T>(options: {
	read: (from: number | undefined) => Promise<Snapshot<T>>;
	timestamp: (record: T) => number | undefined;
	id: (record: T) => string;
	from?: number;
	visit: (record: T) => void;
}): Promise<ScanSummary> {
	const { read, timestamp, id, from, visit } = options;
	const snapshot = await read(from);
	const stamped = snapshot.records
		.map((record) => ({ record, ts: timestamp(record) }))
		.filter(({ ts }) => from === undefined || (ts !== undefined && ts >= from));
	stamped.sort(
		(a, b) => (a.ts ?? -Infinity) - (b.ts ?? -Infinity) || (id(a.record) < id(b.record) ? -1 : 1),
	);
	const summary: ScanSummary = {
		serverTime: snapshot.serverTime,
		requests: snapshot.requests,
		records: 0,
	};
	const seen = new Set<string>();
	for (const { record, ts } of stamped) {
		// Offset paging may return a record twice when others move.
		const key = `${id(record)}|${ts}`;
		if (seen.has(key)) continue;
		seen.add(key);
		summary.records++;
		if (ts !== undefined && (summary.maxSeen === undefined || ts > summary.maxSeen))
			summary.maxSeen = ts;
		visit(record);
	}
	return summary;
}

/** Reads every record with axis >= `from`, including records that move while we page. */
export async function keysetScan<T>(options: ScanOptions<T>): Promise<ScanSummary> {
	const { fetch, timestamp, pageSize, visit } = options;
	const fail = options.error ?? ((message: string) => new Error(message));
	const summary: ScanSummary = { requests: 0, records: 0 };

	const read = async (request: ScanRequest): Promise<ScanResponse<T>> => {
		const response = await fetch(request);
		summary.requests++;
		if (response.ordered === false) throw new UnorderedListing();
		if (summary.serverTime === undefined) summary.serverTime = response.serverTime;
		// Keyset paging is only safe if Visma applied our filter and order; check before using a page.
		let previous: number | undefined;
		for (const record of response.records) {
			const ts = timestamp(record);
			if (ts === undefined) continue;
			if (
				(request.from !== undefined && ts < request.from) ||
				(request.before !== undefined && ts >= request.before)
			) {
				throw fail(
					'Visma returned records outside the requested time range, so the trigger cannot page safely',
				);
			}
			if (previous !== undefined && ts < previous) {
				throw fail('Visma did not return records in time order, so the trigger cannot page safely');
			}
			previous = ts;
		}
		for (const record of response.records) {
			summary.records++;
			const ts = timestamp(record);
			if (ts !== undefined && (summary.maxSeen === undefined || ts > summary.maxSeen))
				summary.maxSeen = ts;
			visit(record);
		}
		return response;
	};

	let from = options.from;
	let page = 1;
	for (;;) {
		const { records } = await read({ from, page, pageSize, tieOrder: false });
		if (records.length < pageSize) return summary;

		const stamps = records.map(timestamp).filter((ts): ts is number => ts !== undefined);
		if (stamps.length === 0) {
			// Nothing to key on (records without a timestamp sort first): plain offset paging.
			page++;
			continue;
		}
		const min = Math.min(...stamps);
		const max = Math.max(...stamps);
		if (min === max && stamps.length === records.length) {
			// The whole page is one millisecond: keying on it again would return the same page.
			await readTieBlock(read, max, pageSize);
			from = max + 1;
		} else {
			// Records are >= from and not all equal, so max > from and every step moves forward.
			if (from !== undefined && max <= from) {
				throw fail('Visma returned records without a timestamp, so the trigger cannot page safely');
			}
			from = max;
		}
		page = 1;
	}
}

/** Reads every record stamped in the millisecond `at`, last page first (see the file comment). */
async function readTieBlock<T>(
	read: (request: ScanRequest) => Promise<ScanResponse<T>>,
	at: number,
	pageSize: number,
): Promise<void> {
	const count = await read({ from: at, before: at + 1, page: 1, pageSize: 1, tieOrder: true });
	const pages = Math.ceil(count.total / pageSize);
	for (let page = pages; page >= 1; page--) {
		await read({ from: at, before: at + 1, page, pageSize, tieOrder: true });
	}
}

/** How far past Visma's own clock a record's timestamp may move the cursor. */
export const FUTURE_TOLERANCE_MS = 60_000;

/**
 * The cursor after a complete scan: never earlier than before, never before what was read, and
 * never far past Visma's clock: one record stamped in the future must not silence every event
 * until then.
 */
export function nextCursor(previous: number | undefined, summary: ScanSummary): number | undefined {
	const seen =
		summary.maxSeen !== undefined && summary.serverTime !== undefined
			? Math.min(summary.maxSeen, summary.serverTime + FUTURE_TOLERANCE_MS)
			: summary.maxSeen;
	const candidates = [previous, summary.serverTime, seen].filter(
		(v): v is number => v !== undefined,
	);
	return candidates.length ? Math.max(...candidates) : undefined;
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

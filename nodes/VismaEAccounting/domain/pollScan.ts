/**
 * Reading a window of records by their timestamp without gaps: the keyset scan (and its snapshot
 * fallback) and the cursor after a scan. Pure; see domain/polling.ts for how a poll uses them.
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
 */

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

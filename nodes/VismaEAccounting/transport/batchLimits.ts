import { IdleMap } from './idleMap';

/**
 * How many `eq` terms one OR-filter may hold. Visma does not document a limit; ASP.NET OData,
 * which serves Visma's API, refuses filters of more than 100 nodes by default (25 terms). So no
 * filter the node sends is larger than that (MAX_FILTER_NODES), and a server that refuses less
 * is learned per credential and endpoint: a refused batch is split and the size that worked is
 * remembered. A refusal is forgotten after a while, so a server that allows more again gets
 * the larger batches back.
 */

/**
 * ASP.NET OData's default MaxNodeCount: the largest filter sent (the first burst after a start
 * would otherwise send a larger one, be refused and learn).
 */
export const MAX_FILTER_NODES = 100;

interface Limit {
	/** Largest batch accepted since the last refusal. */
	ok: number;
	/** Smallest batch refused. */
	refused: number;
	at: number;
}

const FORGET_AFTER_MS = 15 * 60_000;

const limits = new IdleMap<string, Limit>('batchLimits', {
	idleMs: FORGET_AFTER_MS,
	maxEntries: 500,
});

/** Largest batch to send next, or undefined when nothing was ever refused (only the URL limits). */
export function batchCap(key: string, now = Date.now()): number | undefined {
	const limit = limits.get(key);
	if (!limit) return undefined;
	if (now - limit.at > FORGET_AFTER_MS) {
		limits.delete(key);
		return undefined;
	}
	// Between a size that worked and one that was refused, try the middle.
	const next = limit.refused - limit.ok > 1 ? Math.floor((limit.ok + limit.refused) / 2) : limit.ok;
	return Math.max(1, next);
}

export function batchAccepted(key: string, size: number): void {
	const limit = limits.get(key);
	if (!limit) return;
	if (size >= limit.refused) limits.delete(key);
	else if (size > limit.ok) limit.ok = size;
}

/** Records a refused batch of `size` (> 1) terms; the next batchCap is smaller. */
export function batchRefused(key: string, size: number, now = Date.now()): void {
	const previous = limits.get(key);
	const refused = Math.min(size, previous?.refused ?? size);
	// A size that used to work and is now refused: the server got stricter, learn again.
	const ok = previous && previous.ok < size ? previous.ok : 0;
	limits.set(key, { ok, refused, at: now });
}

/** What is known now, to put back with restoreBatchLimit when a refusal turns out not to be about size. */
export function batchLimitOf(key: string): Readonly<Limit> | undefined {
	const limit = limits.get(key);
	return limit && { ...limit };
}

export function restoreBatchLimit(key: string, limit: Readonly<Limit> | undefined): void {
	if (limit) limits.set(key, { ...limit });
	else limits.delete(key);
}

/** For tests: forget everything learned. */
export function resetBatchLimits(): void {
	limits.clear();
}

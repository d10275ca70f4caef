import type { Departure } from './companions';
import { departure } from './companions';

/**
 * Look-ups from executions running at the same time in this process share one request: values
 * asked for the same credential, endpoint and field while a look-up is open (companions.ts says
 * how long) are looked up together, and each caller gets back only the records for its own
 * values. A failed request fails only the callers whose values were in it.
 *
 * The request is shared, not owned: it runs with one caller's context (n8n signs it and cancels
 * it with that execution), so when that execution is cancelled, it runs again with another
 * caller's. Every caller gets errors of its own, naming its own node.
 */
export interface LookupResult<T> {
	records: T[];
	/** Values whose request failed, with the error. */
	failed: Map<string, unknown>;
}

/** One execution asking: the request made with its context, and its view of errors. */
export interface Caller<T> {
	run: (values: string[]) => Promise<LookupResult<T>>;
	/** Whether this caller's execution was cancelled. */
	cancelled: () => boolean;
	/** This caller's own copy of an error (errors are never shared between executions). */
	own: (error: unknown) => unknown;
}

interface Waiter<T> {
	values: string[];
	caller: Caller<T>;
	resolve: (records: T[]) => void;
	reject: (error: unknown) => void;
}

interface Group<T> {
	waiters: Array<Waiter<T>>;
	valueOf: (record: T) => string;
	departure?: Departure;
}

const open = new Map<string, Group<unknown>>();
const norm = (v: string) => v.toLowerCase();

const valuesOf = <T>(waiters: Array<Waiter<T>>) => [...new Set(waiters.flatMap((w) => w.values))];

/** Hands every waiter its records, or its own copy of the error that concerns its values. */
function deliver<T>(
	group: Group<T>,
	waiters: Array<Waiter<T>>,
	outcome: { result: LookupResult<T> } | { thrown: unknown },
): void {
	if ('thrown' in outcome) {
		for (const waiter of waiters) waiter.reject(waiter.caller.own(outcome.thrown));
		return;
	}
	const { result } = outcome;
	const failedByValue = new Map([...result.failed].map(([v, e]) => [norm(v), e]));
	for (const waiter of waiters) {
		const mine = new Set(waiter.values.map(norm));
		const failure = waiter.values
			.map((v) => failedByValue.get(norm(v)))
			.find((e) => e !== undefined);
		if (failure !== undefined) waiter.reject(waiter.caller.own(failure));
		else waiter.resolve(result.records.filter((r) => mine.has(norm(group.valueOf(r)))));
	}
}

async function flush<T>(key: string, group: Group<T>): Promise<void> {
	open.delete(key);
	let waiting = [...group.waiters];
	while (waiting.length > 0) {
		// A cancelled execution's context cannot make the request for the others.
		const runner = waiting.find((w) => !w.caller.cancelled()) ?? waiting[0];
		let outcome: { result: LookupResult<T> } | { thrown: unknown };
		try {
			outcome = { result: await runner.caller.run(valuesOf(waiting)) };
		} catch (error) {
			outcome = { thrown: error };
		}
		const failed = 'thrown' in outcome || outcome.result.failed.size > 0;
		if (failed && runner.caller.cancelled()) {
			// Stopped with the runner's execution: that is the runner's failure alone.
			deliver(group, [runner], outcome);
			waiting = waiting.filter((w) => w !== runner);
			continue;
		}
		deliver(group, waiting, outcome);
		return;
	}
}

/**
 * Joins the look-up open under `key`, or opens one that is made when it departs (see
 * companions.ts; `scope` is the credential's), with the context of one of the callers.
 */
export async function coalesced<T>(
	scope: string,
	key: string,
	values: string[],
	caller: Caller<T>,
	valueOf: (record: T) => string,
): Promise<T[]> {
	let group = open.get(key) as Group<T> | undefined;
	if (!group) {
		const created: Group<T> = { waiters: [], valueOf };
		group = created;
		open.set(key, created as Group<unknown>);
		created.departure = departure(scope, () => void flush(key, created));
	}
	const joined = group;
	const records = new Promise<T[]>((resolve, reject) =>
		joined.waiters.push({ values, caller, resolve, reject }),
	);
	joined.departure?.joined(joined.waiters.length);
	return await records;
}

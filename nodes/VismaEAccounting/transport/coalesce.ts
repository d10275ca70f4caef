import type { Departure } from './companions';
import { departure } from './companions';

/**
 * Look-ups from executions running at the same time in this process share one request: values
 * asked for the same credential, endpoint and field while a look-up is open (companions.ts says
 * how long) are looked up together, and each caller gets back only the records for its own
 * values. A failed request fails only the callers whose values were in it.
 */
export interface LookupResult<T> {
	records: T[];
	/** Values whose request failed, with the error. */
	failed: Map<string, unknown>;
}

interface Waiter<T> {
	values: string[];
	resolve: (records: T[]) => void;
	reject: (error: unknown) => void;
}

interface Group<T> {
	values: Set<string>;
	waiters: Array<Waiter<T>>;
	run: (values: string[]) => Promise<LookupResult<T>>;
	valueOf: (record: T) => string;
	departure?: Departure;
}

const open = new Map<string, Group<unknown>>();
const norm = (v: string) => v.toLowerCase();

async function flush<T>(key: string, group: Group<T>): Promise<void> {
	open.delete(key);
	let result: LookupResult<T>;
	try {
		result = await group.run([...group.values]);
	} catch (error) {
		for (const waiter of group.waiters) waiter.reject(error);
		return;
	}
	const failedByValue = new Map([...result.failed].map(([v, e]) => [norm(v), e]));
	for (const waiter of group.waiters) {
		const mine = new Set(waiter.values.map(norm));
		const failure = waiter.values
			.map((v) => failedByValue.get(norm(v)))
			.find((e) => e !== undefined);
		if (failure !== undefined) waiter.reject(failure);
		else waiter.resolve(result.records.filter((r) => mine.has(norm(group.valueOf(r)))));
	}
}

/**
 * Joins the look-up open under `key`, or opens one that `run` performs when it departs (see
 * companions.ts; `scope` is the credential's). The first caller's `run` makes the request for
 * everybody.
 */
export async function coalesced<T>(
	scope: string,
	key: string,
	values: string[],
	run: (values: string[]) => Promise<LookupResult<T>>,
	valueOf: (record: T) => string,
): Promise<T[]> {
	let group = open.get(key) as Group<T> | undefined;
	if (!group) {
		const created: Group<T> = { values: new Set(), waiters: [], run, valueOf };
		group = created;
		open.set(key, created as Group<unknown>);
		created.departure = departure(scope, () => void flush(key, created));
	}
	const joined = group;
	for (const v of values) joined.values.add(v);
	const records = new Promise<T[]>((resolve, reject) =>
		joined.waiters.push({ values, resolve, reject }),
	);
	joined.departure?.joined(joined.waiters.length);
	return await records;
}

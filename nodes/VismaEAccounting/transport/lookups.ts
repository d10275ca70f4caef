import {
	MAX_FILTER_NODES,
	batchAccepted,
	batchCap,
	batchLimitOf,
	batchRefused,
	restoreBatchLimit,
} from './batchLimits';
import type { VismaClient } from './client';
import type { LookupResult } from './coalesce';
import { coalesced } from './coalesce';
import { ownCopy, passOn } from './errors';
import { isQueryRefusal, readFailure } from './failures';
import type { Filter, FilterValue, ValueKind } from './filter';
import { and, anyOf, value as filterValue } from './filter';
import type { Page } from './listing';
import { listAll, listPage } from './listing';
import { encode, endpointOf, MAX_PAGE_SIZE, MAX_REQUEST_TARGET, queryString } from './urls';

/**
 * Batch look-ups: records whose field equals any of many values, in as few calls as the server
 * allows, shared with executions looking up the same thing at the same moment (coalesce.ts).
 */

/** Where the values are looked for. */
interface Target {
	client: VismaClient;
	path: string;
	field: string;
	kind: ValueKind;
	extra?: Filter;
}

/**
 * Records whose `field` equals any of `values`, in as few calls as the server allows: one
 * `Field eq a or Field eq b ...` filter per batch, within the URL length and the batch size
 * learned for this endpoint. A refused batch is split and asked again, so no value fails
 * because of how many were asked together.
 */
export async function findIn<T>(
	client: VismaClient,
	path: string,
	field: string,
	kind: ValueKind,
	values: Iterable<string>,
	extra?: Filter,
): Promise<T[]> {
	const unique = [...new Set(values)];
	if (unique.length === 0) return [];
	// Executions running at the same time share the request (see coalesce.ts).
	const key = `${client.scope}|${path}|${field}|${kind}|${extra?.text ?? ''}`;
	return await coalesced<T>(
		client.scope,
		key,
		unique,
		{
			run: async (all) => await lookUp<T>({ client, path, field, kind, extra }, all),
			cancelled: () => client.cancelled,
			own: (error) => ownCopy(client.node, error),
		},
		(record) => String((record as Record<string, unknown>)[field] ?? ''),
	);
}

/**
 * The OR-filter batches for `values`. A batch the server refuses is split and asked again; a
 * batch that fails otherwise fails only its own values.
 */
async function lookUp<T>(target: Target, values: string[]): Promise<LookupResult<T>> {
	const { client, path } = target;
	const pending = values.map((v) => filterValue.of(target.kind, v));
	const key = `${client.scope}|${endpointOf(path)}`;
	const known = batchLimitOf(key);
	const batches = batchCount(target, pending, batchCap(key));
	if (batches > 2) {
		const listed = await listIfCheaper<T>(target, values, batches);
		if (listed) return listed;
	}
	const result: LookupResult<T> = { records: [], failed: new Map() };
	let answered = 0;
	while (pending.length > 0) {
		const [filter, size] = firstBatch(target, pending, batchCap(key));
		try {
			result.records.push(...(await listAll<T>(client, path, { filter })));
			answered++;
			if (size > 1) batchAccepted(key, size);
		} catch (error) {
			const failure = readFailure(error);
			if (size > 1 && isQueryRefusal(failure)) {
				batchRefused(key, size);
				continue;
			}
			// Refused for one value too: the filter itself is the problem, not its size, and
			// the other values would be refused the same way.
			const refusedOutright = size === 1 && isQueryRefusal(failure);
			if (refusedOutright && answered === 0) restoreBatchLimit(key, known);
			const failing = refusedOutright ? pending.length : size;
			for (const v of pending.slice(0, failing))
				result.failed.set(String(v.value), passOn(client.node, error));
			pending.splice(0, failing);
			continue;
		}
		pending.splice(0, size);
	}
	return result;
}

/** How many OR-filters `values` need. */
function batchCount(target: Target, values: FilterValue[], cap?: number): number {
	let count = 0;
	for (let i = 0; i < values.length; count++) i += firstBatch(target, values.slice(i), cap)[1];
	return count;
}

/**
 * Many values against a small collection (a company's drafts, say): reading the whole
 * collection costs fewer calls than the OR-filters. One call counts it; undefined means the
 * filters are cheaper (or the count failed).
 */
async function listIfCheaper<T>(
	target: Target,
	values: string[],
	batches: number,
): Promise<LookupResult<T> | undefined> {
	const { client, path, field, kind, extra } = target;
	let head: Page<T>;
	try {
		head = await listPage<T>(client, path, { filter: extra, pageSize: 1 });
	} catch {
		return undefined;
	}
	const total = head.meta.TotalNumberOfResults;
	if (Math.ceil(total / MAX_PAGE_SIZE) >= batches) return undefined;
	const records =
		total <= head.data.length ? head.data : await listAll<T>(client, path, { filter: extra });
	const norm = (v: unknown) =>
		kind === 'string' ? String(v ?? '') : String(v ?? '').toLowerCase();
	const wanted = new Set(values.map(norm));
	return {
		records: records.filter((r) => wanted.has(norm((r as Record<string, unknown>)[field]))),
		failed: new Map(),
	};
}

/**
 * The first OR-filter of `values` (at most `cap` of them) whose request target stays under
 * MAX_REQUEST_TARGET and whose syntax tree stays within MAX_FILTER_NODES, and how many values
 * it holds.
 */
function firstBatch(target: Target, values: FilterValue[], cap = MAX_PAGE_SIZE): [Filter, number] {
	const { client, path, field, extra } = target;
	const fixed = `${client.basePath}/v2${path}${queryString({ $filter: 'x', $page: 1, $pagesize: MAX_PAGE_SIZE })}`;
	const budget = MAX_REQUEST_TARGET - fixed.length;
	const build = (vs: FilterValue[]) => and(extra, anyOf(field, vs)) as Filter;
	let size = 1;
	while (size < Math.min(values.length, cap, MAX_PAGE_SIZE)) {
		const next = build(values.slice(0, size + 1));
		if (encode(next.text).length > budget || next.nodes > MAX_FILTER_NODES) break;
		size++;
	}
	return [build(values.slice(0, size)), size];
}

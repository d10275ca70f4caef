import { NodeOperationError } from 'n8n-workflow';

import type { PollSetup } from '../domain/polling';
import type { ScanRequest, ScanResponse, Snapshot } from '../domain/pollScan';
import { formatUtc, parseUtc } from '../domain/pollScan';
import type { VismaRecord } from '../domain/visma';
import type { VismaClient } from '../transport';
import { and, ge, lt, value } from '../transport';
import type { EventSpec } from './events';
import { triggerSettings } from './settings';

/** One page of the event's collection for the keyset scan, filtered with the filter builder. */
async function fetchPage(
	client: VismaClient,
	spec: EventSpec,
	request: ScanRequest,
	fields?: string[],
): Promise<ScanResponse<VismaRecord>> {
	const filter = and(
		request.from === undefined ? undefined : ge(spec.axis, value.date(formatUtc(request.from))),
		request.before === undefined ? undefined : lt(spec.axis, value.date(formatUtc(request.before))),
	);
	const { data, meta, ordered } = await client.page<VismaRecord>(`/${spec.record.path}`, {
		filter,
		orderBy: request.tieOrder ? `${spec.axis} asc,Id asc` : `${spec.axis} asc`,
		page: request.page,
		pageSize: request.pageSize,
		select: fields,
	});
	return {
		records: data,
		total: meta.TotalNumberOfResults,
		serverTime: parseUtc(meta.ServerTimeUtc),
		ordered,
	};
}

/** Most pages one snapshot may read (500 records each), so a poll cannot run away. */
const MAX_SNAPSHOT_PAGES = 200;

/**
 * Every record from `from` on, in the server's order: invoices through Visma's documented
 * `modifiedSinceUtc`, other collections through the axis filter without `$orderby`.
 */
export async function readAll(
	client: VismaClient,
	spec: EventSpec,
	from: number | undefined,
	fields?: string[],
): Promise<Snapshot<VismaRecord>> {
	const snapshot: Snapshot<VismaRecord> = { records: [], requests: 0 };
	const since = from === undefined ? undefined : formatUtc(from);
	for (let page = 1; ; page++) {
		const { data, meta } = await client.page<VismaRecord>(`/${spec.record.path}`, {
			page,
			select: fields,
			...(spec.modifiedSince
				? { qs: { modifiedSinceUtc: since } }
				: { filter: since === undefined ? undefined : ge(spec.axis, value.date(since)) }),
		});
		snapshot.requests++;
		snapshot.serverTime ??= parseUtc(meta.ServerTimeUtc);
		snapshot.records.push(...data);
		if (data.length === 0 || page >= meta.TotalNumberOfPages) return snapshot;
		if (page >= MAX_SNAPSHOT_PAGES) {
			throw new NodeOperationError(
				client.node,
				`More than ${MAX_SNAPSHOT_PAGES} pages of /${spec.record.path} changed at once`,
				{
					description:
						'Nothing was emitted. The trigger reads changes without a server-side order here; try again later or poll more often.',
				},
			);
		}
	}
}

/** Binds the domain's poll to the API through the transport. */
export function pollSetup(
	client: VismaClient,
	event: string,
	spec: EventSpec,
): PollSetup<VismaRecord> {
	const { pageSize, overlapMs } = triggerSettings();
	return {
		fetch: async (request, fields) => await fetchPage(client, spec, request, fields),
		readAll: async (from, fields) => await readAll(client, spec, from, fields),
		snapshotOnly: spec.modifiedSince === true,
		id: (record) => String(record.Id ?? ''),
		timestamp: (record) => parseUtc(record[spec.axis]),
		pageSize,
		overlapMs,
		event,
		scope: client.scope,
		kind: spec.kind,
		error: (message) =>
			new NodeOperationError(client.node, message, {
				description: `While reading /${spec.record.path} ordered by ${spec.axis}. Nothing was emitted; the next poll tries again.`,
			}),
	};
}

/** Visma's clock (epoch ms), from a one-record request. */
export async function serverTime(client: VismaClient, spec: EventSpec): Promise<number> {
	const { meta } = await client.page<VismaRecord>(`/${spec.record.path}`, {
		pageSize: 1,
		select: ['Id'],
	});
	const ms = parseUtc(meta.ServerTimeUtc);
	if (ms === undefined) {
		throw new NodeOperationError(client.node, 'Visma did not report its server time', {
			description: `The response of /${spec.record.path} had no valid Meta.ServerTimeUtc, which the trigger needs to start.`,
		});
	}
	return ms;
}

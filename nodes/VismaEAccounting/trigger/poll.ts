import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { activatePoll, readState, runPoll } from '../domain/polling';
import { parseUtc } from '../domain/pollScan';
import type { VismaRecord } from '../domain/visma';
import { VismaClient } from '../transport';
import type { EventSpec } from './events';
import type { SourceReferenceField } from '../domain/invoice';
import { EVENTS, invoiceOrigin, isSourceReferenceField, isTriggerEvent, simplify } from './events';
import { pollSetup, readAll, serverTime } from './scan';
import { triggerSettings } from './settings';

/** Where the trigger keeps its state inside the node's static data. */
export const STATE_KEY = 'visma';

/**
 * One poll at a time per trigger node in this process: if a poll outlasts the interval, the next
 * one waits and then starts from the state the first one saved, instead of emitting the same
 * records again. Keyed by the node's static-data object, which n8n keeps while the workflow is
 * active.
 */
const running = new WeakMap<object, Promise<unknown>>();

async function exclusive<T>(key: object, fn: () => Promise<T>): Promise<T> {
	const previous = running.get(key) ?? Promise.resolve();
	const mine = previous.then(fn, fn);
	const settled = mine.then(
		() => undefined,
		() => undefined,
	);
	running.set(key, settled);
	try {
		return await mine;
	} finally {
		if (running.get(key) === settled) running.delete(key);
	}
}

function output(
	spec: EventSpec,
	records: VismaRecord[],
	simplified: boolean,
	referenceField: SourceReferenceField,
): INodeExecutionData[][] | null {
	if (records.length === 0) return null;
	return [
		records.map((record) => ({
			json: {
				...(simplified ? simplify(spec, record) : (record as IDataObject)),
				...(spec.origin ? invoiceOrigin(record, referenceField) : {}),
			},
		})),
	];
}

/** How far back a manual test run looks when the server will not sort newest first. */
const SAMPLE_LOOKBACK_MS = 90 * 24 * 3600_000;

/** Manual test run: the latest few records; the state is not touched. */
async function sample(client: VismaClient, spec: EventSpec): Promise<VismaRecord[]> {
	const { sampleSize } = triggerSettings();
	const { data, ordered, meta } = await client.page<VismaRecord>(`/${spec.record.path}`, {
		orderBy: spec.sampleOrder,
		pageSize: spec.sampleFilter ? 100 : sampleSize,
	});
	let records = data;
	if (!ordered) {
		// No $orderby here: read the recent records and sort them ourselves.
		const now = parseUtc(meta.ServerTimeUtc) ?? Date.now();
		const [field, direction] = spec.sampleOrder.split(' ');
		const at = (r: VismaRecord) => parseUtc(r[field]) ?? 0;
		records = (await readAll(client, spec, now - SAMPLE_LOOKBACK_MS)).records.sort((a, b) =>
			direction === 'desc' ? at(b) - at(a) : at(a) - at(b),
		);
	}
	return (spec.sampleFilter ? records.filter(spec.sampleFilter) : records).slice(0, sampleSize);
}

export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = this.getNodeParameter('event') as string;
	if (!isTriggerEvent(event)) {
		throw new NodeOperationError(this.getNode(), `Unknown event "${event}"`, {
			description: 'Open the trigger and choose an event.',
		});
	}
	const spec = EVENTS[event];
	const simplified = this.getNodeParameter('simplify', true) as boolean;
	const field = this.getNodeParameter('sourceReferenceField', 'ContractNumber');
	const referenceField = isSourceReferenceField(field) ? field : 'ContractNumber';
	const client = await VismaClient.create(this);

	if (this.getMode() === 'manual') {
		return output(spec, await sample(client, spec), simplified, referenceField);
	}

	const staticData = this.getWorkflowStaticData('node');
	return await exclusive(staticData, async () => {
		const setup = pollSetup(client, event, spec);
		const state = readState(staticData[STATE_KEY], event, client.scope, spec.kind);
		if (!state) {
			// First activation, another event or another connection: start from now, emit nothing.
			const now = await serverTime(client, spec);
			const fresh = await activatePoll(setup, now, spec.remember, spec.listingFields);
			staticData[STATE_KEY] = fresh;
			return null;
		}
		const result = await runPoll(setup, state, spec.decide);
		// Saved only after the whole poll succeeded: a failed poll leaves the state as it was.
		staticData[STATE_KEY] = result.state;
		return output(spec, result.emitted, simplified, referenceField);
	});
}

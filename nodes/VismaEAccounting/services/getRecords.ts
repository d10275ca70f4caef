import type { INode, NodeOperationError } from 'n8n-workflow';

import type { VismaRecord } from '../domain/visma';
import type { RecordType } from '../records/types';
import type { VismaClient } from '../transport';
import { resourcePath } from '../transport';
import type { Outcome } from './outcome';
import { failure, itemError, problemsError, success } from './outcome';
import { checkReferenceDataIds } from './referenceData';

/** A record named by its ID or by its number (what a resource locator gives). */
export type IdOrNumber = { id: string } | { number: string };

const lower = (v: unknown) => String(v).toLowerCase();

export function describeWhich(kind: RecordType, which: IdOrNumber): string {
	return 'id' in which
		? `with ID ${which.id}`
		: `with ${kind.key?.label ?? 'number'} ${which.number}`;
}

function notFound(
	node: INode,
	kind: RecordType,
	which: IdOrNumber,
	itemIndex: number,
): NodeOperationError {
	return itemError(
		node,
		`${kind.label} ${describeWhich(kind, which)} is not in eAccounting`,
		itemIndex,
		`Check the ${'id' in which ? 'ID' : (kind.key?.label ?? 'number')}. Get Many lists the ${kind.plural} that exist.`,
	);
}

/**
 * The records the items name, in item order: one batched look-up for all IDs and one for all
 * numbers, however many items there are.
 */
export async function fetchRecords<T extends VismaRecord>(
	client: VismaClient,
	kind: RecordType,
	requests: Array<{ itemIndex: number; which: IdOrNumber }>,
): Promise<Array<Outcome<T>>> {
	const path = `/${kind.path}`;
	const ids = requests.flatMap(({ which }) => ('id' in which ? [lower(which.id)] : []));
	const numbers = requests.flatMap(({ which }) => ('number' in which ? [which.number] : []));
	// Visma documents GET /<collection>/{id}; whether `Id` can be filtered on is not documented.
	const byId = ids.length ? await client.getByIds<T>(kind.path, ids) : new Map<string, T>();
	const byNumber = new Map<string, T>();
	if (numbers.length && kind.key) {
		const { field, kind: valueKind } = kind.key;
		for (const r of await client.findIn<T>(path, field, valueKind, numbers))
			byNumber.set(lower(r[field]), r);
	}
	return requests.map(({ itemIndex, which }) => {
		const record = 'id' in which ? byId.get(lower(which.id)) : byNumber.get(lower(which.number));
		return record ? success(record) : failure(notFound(client.node, kind, which, itemIndex));
	});
}

/** One record, or the "not in eAccounting" error for its item. */
export async function fetchRecord<T extends VismaRecord>(
	client: VismaClient,
	kind: RecordType,
	which: IdOrNumber,
	itemIndex: number,
): Promise<T> {
	const [outcome] = await fetchRecords<T>(client, kind, [{ itemIndex, which }]);
	if (!outcome.ok) throw outcome.error;
	return outcome.value;
}

/** The ID of the record; a number costs one look-up. */
export async function recordId(
	client: VismaClient,
	kind: RecordType,
	which: IdOrNumber,
	itemIndex: number,
): Promise<string> {
	return 'id' in which ? which.id : (await fetchRecord(client, kind, which, itemIndex)).Id;
}

/** "Article number A100 already exists" for Create, which never touches an existing record. */
export function alreadyExists(
	node: INode,
	kind: RecordType,
	number: string,
	itemIndex: number,
): NodeOperationError {
	return itemError(
		node,
		`${kind.label} number ${number} already exists in eAccounting`,
		itemIndex,
		`Use Create or Update to change the existing ${kind.label.toLowerCase()}, or choose a number that is not taken.`,
	);
}

/**
 * PUTs a merged record, after checking the reference data IDs it carries, so a wrong ID names
 * the field instead of failing in Visma.
 */
export async function putRecord<T>(
	client: VismaClient,
	kind: RecordType,
	args: {
		id: string;
		body: object;
		referenceDataIds: Parameters<typeof checkReferenceDataIds>[1];
		itemIndex: number;
	},
): Promise<T> {
	const problems = await checkReferenceDataIds(client, args.referenceDataIds);
	if (problems.length) throw problemsError(client.node, problems, args.itemIndex);
	return await client.request<T>({
		method: 'PUT',
		path: resourcePath(kind.path, args.id),
		body: args.body,
		action: `${kind.label.toLowerCase()} update`,
		itemIndex: args.itemIndex,
	});
}

import type { INode, NodeOperationError } from 'n8n-workflow';

import type { RecordType } from '../records/types';
import type { VismaClient } from '../transport';
import { resourcePath } from '../transport';
import type { Outcome } from './outcome';
import { failure, itemError, problemsError, success } from './outcome';
import { checkReferences } from './referenceData';

/** A record named by its ID or by its number. */
export type RecordRef = { id: string } | { number: string };

export type VismaRecord = Record<string, unknown> & { Id: string };

const lower = (v: unknown) => String(v).toLowerCase();

export function describeRef(kind: RecordType, ref: RecordRef): string {
	return 'id' in ref ? `with ID ${ref.id}` : `with ${kind.key?.label ?? 'number'} ${ref.number}`;
}

function notFound(
	node: INode,
	kind: RecordType,
	ref: RecordRef,
	itemIndex: number,
): NodeOperationError {
	return itemError(
		node,
		`${kind.label} ${describeRef(kind, ref)} is not in eAccounting`,
		itemIndex,
		`Check the ${'id' in ref ? 'ID' : (kind.key?.label ?? 'number')}. Get Many lists the ${kind.plural} that exist.`,
	);
}

/**
 * The records the items name, in item order: one batched look-up for all IDs and one for all
 * numbers, however many items there are.
 */
export async function fetchRecords<T extends VismaRecord>(
	client: VismaClient,
	kind: RecordType,
	requests: Array<{ itemIndex: number; ref: RecordRef }>,
): Promise<Array<Outcome<T>>> {
	const path = `/${kind.path}`;
	const ids = requests.flatMap(({ ref }) => ('id' in ref ? [lower(ref.id)] : []));
	const numbers = requests.flatMap(({ ref }) => ('number' in ref ? [ref.number] : []));
	// Visma documents GET /<collection>/{id}; whether `Id` can be filtered on is not documented.
	const byId = ids.length ? await client.getByIds<T>(kind.path, ids) : new Map<string, T>();
	const byNumber = new Map<string, T>();
	if (numbers.length && kind.key) {
		const { field, kind: valueKind } = kind.key;
		for (const r of await client.findIn<T>(path, field, valueKind, numbers))
			byNumber.set(lower(r[field]), r);
	}
	return requests.map(({ itemIndex, ref }) => {
		const record = 'id' in ref ? byId.get(lower(ref.id)) : byNumber.get(lower(ref.number));
		return record ? success(record) : failure(notFound(client.node, kind, ref, itemIndex));
	});
}

/** One record, or the "not in eAccounting" error for its item. */
export async function fetchRecord<T extends VismaRecord>(
	client: VismaClient,
	kind: RecordType,
	ref: RecordRef,
	itemIndex: number,
): Promise<T> {
	const [outcome] = await fetchRecords<T>(client, kind, [{ itemIndex, ref }]);
	if (!outcome.ok) throw outcome.error;
	return outcome.value;
}

/** The ID of the record; a number costs one look-up. */
export async function recordId(
	client: VismaClient,
	kind: RecordType,
	ref: RecordRef,
	itemIndex: number,
): Promise<string> {
	return 'id' in ref ? ref.id : (await fetchRecord(client, kind, ref, itemIndex)).Id;
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
		refs: Parameters<typeof checkReferences>[1];
		itemIndex: number;
	},
): Promise<T> {
	const problems = await checkReferences(client, args.refs);
	if (problems.length) throw problemsError(client.node, problems, args.itemIndex);
	return await client.request<T>({
		method: 'PUT',
		path: resourcePath(kind.path, args.id),
		body: args.body,
		action: `${kind.label.toLowerCase()} update`,
		itemIndex: args.itemIndex,
	});
}

import type { Checker } from '../domain/check';
import type { VismaRecord } from '../domain/visma';
import type { Filter, ValueKind } from '../transport/filter';

/** What a From List search shows for one record. */
export interface SearchResult {
	name: string;
	value: string;
}

/**
 * Everything the package knows about one kind of eAccounting record. Operations, services,
 * list searches and the trigger all read it from here.
 */
export interface RecordType {
	/** Collection below /v2, e.g. 'customers'. */
	path: string;
	/** How messages name one record, e.g. 'Customer'. */
	label: string;
	/** How sentences name several, e.g. 'customers'. */
	plural: string;
	/** The natural key: the field By Number matches, how messages name it and how it is checked. */
	key?: {
		field: string;
		label: string;
		kind: ValueKind;
		check: (c: Checker, value: unknown) => string | undefined;
	};
	/** Visma's maximum field lengths, where we write this record. */
	limits?: Readonly<Record<string, number>>;
	/** Fields Simplify keeps, in the actions and the trigger alike. */
	simplify?: readonly string[];
	/** The resource locator that names one record; `number` adds a By Number mode. */
	locator?: {
		parameter: string;
		displayName: string;
		number?: { displayName: string; placeholder: string };
	};
	/** The From List search of the locator. */
	search?: {
		method: string;
		filter: (text: string) => Filter | undefined;
		result: (record: VismaRecord) => SearchResult;
	};
}

/** A record type that has a locator and a From List search. */
export type LocatableType = RecordType & {
	locator: NonNullable<RecordType['locator']>;
	search: NonNullable<RecordType['search']>;
};

/** Whether the type has a locator with a From List search. */
export const isLocatable = (type: RecordType | undefined): type is LocatableType =>
	Boolean(type?.locator && type.search);

/** The record with only its Simplify fields (missing ones become null). */
export function simplify(
	type: RecordType,
	record: Record<string, unknown>,
): Record<string, unknown> {
	if (!type.simplify) return record;
	return Object.fromEntries(type.simplify.map((field) => [field, record[field] ?? null]));
}

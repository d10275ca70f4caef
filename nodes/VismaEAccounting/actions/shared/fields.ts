import type { INodeProperties } from 'n8n-workflow';

import type { LocatableType } from '../../records/types';

const GUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A resource locator: pick from a list, paste an ID, or type a number. */
export function locator(args: {
	displayName: string;
	name: string;
	searchMethod: string;
	numberLabel?: string;
	numberPlaceholder?: string;
	required?: boolean;
	description?: string;
	defaultMode?: 'list' | 'id' | 'number';
	defaultValue?: string;
}): INodeProperties {
	return {
		displayName: args.displayName,
		name: args.name,
		type: 'resourceLocator',
		default: { mode: args.defaultMode ?? 'list', value: args.defaultValue ?? '' },
		required: args.required ?? true,
		description: args.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: args.searchMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
				validation: [
					{
						type: 'regex',
						properties: { regex: GUID_REGEX, errorMessage: 'Not a valid eAccounting ID (GUID)' },
					},
				],
			},
			...(args.numberLabel
				? [
						{
							displayName: args.numberLabel,
							name: 'number',
							type: 'string' as const,
							placeholder: args.numberPlaceholder ?? 'e.g. 1001',
						},
					]
				: []),
		],
	};
}

export const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/**
 * The locator of a record type, built from its descriptor: From List, By ID and, where the type
 * has a natural key, By Number.
 */
export function recordLocator(
	type: LocatableType,
	description: string,
	overrides: {
		numberDisplayName?: string;
		defaultMode?: 'list' | 'id' | 'number';
		defaultValue?: string;
	} = {},
): INodeProperties {
	const { locator: where, search } = type;
	return locator({
		displayName: where.displayName,
		name: where.parameter,
		searchMethod: search.method,
		numberLabel: where.number
			? (overrides.numberDisplayName ?? where.number.displayName)
			: undefined,
		numberPlaceholder: where.number?.placeholder,
		defaultMode: overrides.defaultMode,
		defaultValue: overrides.defaultValue,
		description,
	});
}

/** Get Many filters shared by customers and articles. */
export const nameContainsFilter: INodeProperties = {
	displayName: 'Name Contains',
	name: 'nameContains',
	type: 'string',
	default: '',
	placeholder: 'e.g. Bygg',
	description: 'Only records whose name contains this text',
};

export const activeFilter = (plural: string): INodeProperties => ({
	displayName: 'Active',
	name: 'isActive',
	type: 'boolean',
	default: true,
	description: `Whether to return only active ${plural} (on) or only inactive ones (off)`,
});

export const changedSinceFilter = (plural: string): INodeProperties => ({
	displayName: 'Changed Since',
	name: 'changedSince',
	type: 'dateTime',
	default: '',
	description: `Only ${plural} created or changed at or after this time. A time without a zone is read as UTC.`,
});

/** Update Fields of an Update operation: only the fields added change. */
export const updateFieldsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Only the fields added here change; everything else stays as it is in eAccounting',
	options,
});

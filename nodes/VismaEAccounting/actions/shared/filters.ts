import type { INodeProperties } from 'n8n-workflow';

import type { Checker } from '../../domain/check';
import { CUSTOMER } from '../../records/customer';
import type { RecordType } from '../../records/types';
import { recordId } from '../../services/getRecords';
import type { Filter } from '../../transport';
import { and, contains, eq, ge, value } from '../../transport';
import { activeFilter, changedSinceFilter, nameContainsFilter, recordLocator } from './fields';
import type { QueryReader } from './operations';
import { readLocator } from './locator';

/** A Changed Since / Created Since filter on a *Utc field. */
export function sinceFilter(
	c: Checker,
	label: string,
	raw: unknown,
	field: string,
): Filter | undefined {
	const since = c.timestamp(label, raw);
	return since === undefined ? undefined : ge(field, value.date(since));
}

/**
 * Get Many filters of customers and articles: Name Contains, the number, Active and Changed
 * Since, combined with "and".
 */
export function nameNumberActiveFilters(
	type: RecordType & { key: NonNullable<RecordType['key']> },
	numberLabel: string,
): { filters: INodeProperties[]; query: QueryReader } {
	const args = {
		plural: type.plural,
		numberLabel,
		numberField: type.key.field,
		checkNumber: type.key.check,
	};
	const numberFilter: INodeProperties = {
		displayName: args.numberLabel,
		name: 'number',
		type: 'string',
		default: '',
		description: `Only the record with exactly this ${args.numberLabel.toLowerCase()}`,
	};
	const filters = [
		nameContainsFilter,
		numberFilter,
		activeFilter(args.plural),
		changedSinceFilter(args.plural),
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
	const query: QueryReader = async (_ctx, c, f) => {
		const name = c.text('Name Contains', f.nameContains, { max: 100 });
		const number =
			f.number === undefined || f.number === ''
				? undefined
				: args.checkNumber(c.scope('Filters'), f.number);
		const active = f.isActive === undefined ? undefined : c.bool('Active', f.isActive, true);
		const since = sinceFilter(c, 'Changed Since', f.changedSince, 'ChangedUtc');
		if (!c.ok) return {};
		return {
			filter: and(
				name === undefined ? undefined : contains('Name', name),
				number === undefined ? undefined : eq(args.numberField, value.string(number)),
				active === undefined ? undefined : eq('IsActive', value.boolean(active)),
				since,
			),
		};
	};
	return { filters, query };
}

/** A Customer filter (locator) for lists of drafts and invoices. */
export const customerFilter: INodeProperties = {
	...recordLocator(
		CUSTOMER,
		'Only records of this customer: pick it from the list, or give its ID or customer number',
	),
	required: false,
	default: { mode: 'list', value: '' },
};

/** The customer filter as `CustomerId eq …`; a customer number costs one look-up. */
export const customerIdFilter: QueryReader = async (_ctx, c, filters, itemIndex, client) => {
	const raw = filters.customer as { value?: unknown } | undefined;
	if (raw === undefined || raw.value === '' || raw.value === undefined) return {};
	const which = readLocator(c, raw, 'Customer', CUSTOMER);
	if (!which) return {};
	return {
		filter: eq('CustomerId', value.guid(await recordId(client, CUSTOMER, which, itemIndex))),
	};
};

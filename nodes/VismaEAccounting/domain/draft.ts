import type { VismaDraft } from './visma';

/** Dates Visma returns as date-times but we compare as calendar dates. */
const DATE_FIELDS = new Set(['InvoiceDate', 'DueDate', 'DeliveryDate']);

/** Amounts, quantities and discounts carry at most 4 decimals in Visma: closer is the same. */
const NUMBER_TOLERANCE = 0.00005;

/**
 * Whether a value Visma stores holds the value we send: dates as calendar dates, IDs without
 * regard to case, numbers within Visma's rounding; lists item by item and objects by the keys we
 * send (Visma adds its own, such as a person's Id); anything else exactly.
 */
export function sameValue(field: string, stored: unknown, sent: unknown): boolean {
	if (Array.isArray(sent))
		return (
			Array.isArray(stored) &&
			stored.length === sent.length &&
			sent.every((value, i) => sameValue(field, stored[i], value))
		);
	if (sent !== null && typeof sent === 'object')
		return (
			stored !== null &&
			typeof stored === 'object' &&
			Object.entries(sent).every(([key, value]) =>
				sameValue(key, (stored as Record<string, unknown>)[key], value),
			)
		);
	if (typeof sent === 'number')
		return typeof stored === 'number' && Math.abs(stored - sent) < NUMBER_TOLERANCE;
	if (typeof stored !== 'string' || typeof sent !== 'string') return stored === sent;
	if (DATE_FIELDS.has(field)) return stored.slice(0, 10) === sent.slice(0, 10);
	if (field.endsWith('Id')) return stored.toLowerCase() === sent.toLowerCase();
	return stored === sent;
}

/**
 * PUT body for a draft: the fetched draft with the given values laid over it (PUT replaces the
 * whole draft). Rows are replaced only when new ones are given.
 */
export function mergeDraft(
	existing: VismaDraft,
	values: Record<string, unknown>,
	rows?: Array<Record<string, unknown>>,
): { body: Record<string, unknown>; changed: string[] } {
	const body: Record<string, unknown> = { ...existing };
	const changed: string[] = [];
	for (const [field, next] of Object.entries(values)) {
		if (next === undefined || sameValue(field, existing[field], next)) continue;
		body[field] = next;
		changed.push(field);
	}
	if (rows) {
		body.Rows = rows;
		changed.push('Rows');
	}
	return { body, changed };
}

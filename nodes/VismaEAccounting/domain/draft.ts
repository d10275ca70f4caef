import type { VismaDraft } from './visma';

/** Dates Visma returns as date-times but we compare as calendar dates. */
const DATE_FIELDS = new Set(['InvoiceDate', 'DueDate', 'DeliveryDate']);

function same(field: string, current: unknown, next: unknown): boolean {
	if (typeof current === 'object' && typeof next === 'object' && current && next)
		return JSON.stringify(current) === JSON.stringify(next);
	if (typeof current !== 'string' || typeof next !== 'string') return current === next;
	if (DATE_FIELDS.has(field)) return current.slice(0, 10) === next.slice(0, 10);
	if (field.endsWith('Id')) return current.toLowerCase() === next.toLowerCase();
	return current === next;
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
		if (next === undefined || same(field, existing[field], next)) continue;
		body[field] = next;
		changed.push(field);
	}
	if (rows) {
		body.Rows = rows;
		changed.push('Rows');
	}
	return { body, changed };
}

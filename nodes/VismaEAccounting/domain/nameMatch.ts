/**
 * Finds reference data (a unit, an account coding) by what a CSV or another system calls it:
 * its ID, or any of its names and codes, ignoring case and surrounding spaces.
 */
export function matchByNameOrCode<T extends { Id: string }>(
	list: readonly T[],
	text: string,
	keys: readonly string[],
): T | undefined {
	const wanted = text.trim().toLowerCase();
	if (!wanted) return undefined;
	const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : undefined);
	return (
		list.find((r) => norm(r.Id) === wanted) ??
		keys
			.map((key) => list.find((r) => norm((r as Record<string, unknown>)[key]) === wanted))
			.find((r) => r !== undefined)
	);
}

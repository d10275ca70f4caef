import type { Failure } from './failures';
import { IdleMap } from './idleMap';

/**
 * Query options Visma does not document per endpoint (`$select`, `$orderby`), remembered as
 * refused per credential and endpoint once the server says no, so later requests go without.
 */
export type QueryOption = 'select' | 'orderby';

const refused = new IdleMap<string, Set<QueryOption>>('refusedQueryOptions');

export function keepsOption(endpoint: string, option: QueryOption): boolean {
	return !refused.get(endpoint)?.has(option);
}

export function refuseOption(endpoint: string, option: QueryOption): void {
	refused.getOrCreate(endpoint, () => new Set()).add(option);
}

/** Which of the options sent to leave out next: the one Visma's message names, else $select. */
export function dropOption(f: Failure, sent: { select: boolean; orderby: boolean }): QueryOption {
	const text = `${f.body?.DeveloperErrorMessage ?? ''} ${f.body?.Message ?? ''}`.toLowerCase();
	if (sent.orderby && (text.includes('orderby') || !sent.select)) return 'orderby';
	return 'select';
}

/** For tests: forget what was learned. */
export function resetQueryOptions(): void {
	refused.clear();
}

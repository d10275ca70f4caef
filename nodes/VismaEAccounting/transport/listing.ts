import type { VismaClient } from './client';
import { passOn } from './errors';
import { isQueryRefusal, readFailure } from './failures';
import type { Filter } from './filter';
import { render } from './filter';
import type { QueryOption } from './queryOptions';
import { dropOption, keepsOption, refuseOption } from './queryOptions';
import type { QueryValues } from './urls';
import { endpointOf, MAX_PAGE_SIZE } from './urls';

/** Listing a collection: one page, or every page, with the query options the server accepts. */
export interface PageMeta {
	CurrentPage: number;
	PageSize: number;
	TotalNumberOfPages: number;
	TotalNumberOfResults: number;
	ServerTimeUtc: string;
}

export interface Page<T> {
	data: T[];
	meta: PageMeta;
	/** False when `orderBy` was asked for but the server refused it: the order is the server's. */
	ordered: boolean;
}

export interface ListOptions {
	filter?: Filter;
	/**
	 * `$orderby`. Visma does not document which fields sort; where the server refuses it, the
	 * request is sent without it and the page says `ordered: false`.
	 */
	orderBy?: string;
	/** `$select`. Where the server refuses it, the fields are picked from the full records. */
	select?: string[];
	qs?: QueryValues;
	/** Stop after this many records (Return All off). */
	limit?: number;
	pageSize?: number;
	/** The item this listing is for, named in error messages. */
	itemIndex?: number;
}

/** One page of `path`. */
export async function listPage<T>(
	client: VismaClient,
	path: string,
	options: ListOptions & { page?: number } = {},
): Promise<Page<T>> {
	const endpoint = `${client.scope}|${endpointOf(path)}`;
	let orderBy = keepsOption(endpoint, 'orderby') ? options.orderBy : undefined;
	let select = keepsOption(endpoint, 'select') ? options.select : undefined;
	let response: { Data?: T[]; Meta?: PageMeta };
	const dropped: QueryOption[] = [];
	let firstError: unknown;
	for (;;) {
		try {
			response = await client.request<{ Data?: T[]; Meta?: PageMeta }>({
				method: 'GET',
				path,
				itemIndex: options.itemIndex,
				qs: {
					...options.qs,
					$filter: render(options.filter),
					$orderby: orderBy,
					$select: select?.join(','),
					$page: options.page ?? 1,
					$pagesize: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
				},
			});
			break;
		} catch (error) {
			// An undocumented $select or $orderby refused: ask again without it (select first,
			// since picking fields ourselves costs nothing). Remembered only if that works.
			const failure = readFailure(error);
			if (!isQueryRefusal(failure) || (!select && !orderBy))
				throw passOn(client.node, firstError ?? error);
			firstError ??= error;
			const which = dropOption(failure, { select: Boolean(select), orderby: Boolean(orderBy) });
			dropped.push(which);
			if (which === 'select') select = undefined;
			else orderBy = undefined;
		}
	}
	for (const option of dropped) refuseOption(endpoint, option);
	let data = response.Data ?? [];
	if (options.select && !select) data = data.map((record) => pick(record, options.select!));
	const meta = response.Meta ?? {
		CurrentPage: options.page ?? 1,
		PageSize: data.length,
		TotalNumberOfPages: 1,
		TotalNumberOfResults: data.length,
		ServerTimeUtc: new Date().toISOString(),
	};
	return { data, meta, ordered: !options.orderBy || orderBy !== undefined };
}

/** Follows $page until the last page, or until `limit` records. */
export async function listAll<T>(
	client: VismaClient,
	path: string,
	options: ListOptions = {},
): Promise<T[]> {
	const out: T[] = [];
	const pageSize = Math.min(
		options.pageSize ?? (options.limit ? Math.min(options.limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE),
		MAX_PAGE_SIZE,
	);
	for (let page = 1; ; page++) {
		const { data, meta } = await listPage<T>(client, path, { ...options, page, pageSize });
		for (const record of data) {
			out.push(record);
			if (options.limit !== undefined && out.length >= options.limit) return out;
		}
		if (data.length === 0 || page >= meta.TotalNumberOfPages) return out;
	}
}

function pick<T>(record: T, fields: string[]): T {
	const source = record as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const field of fields) if (field in source) out[field] = source[field];
	return out as T;
}

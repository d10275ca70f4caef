import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchableRecords } from '../actions/resources';
import type { VismaRecord } from '../domain/visma';
import type { LocatableType } from '../records/types';
import { VismaClient } from '../transport';

const PAGE_SIZE = 50;

type SearchMethod = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

/** The From List search of one record type, as its descriptor defines it. */
function searchOf(type: LocatableType): SearchMethod {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		const client = await VismaClient.create(this);
		const page = Number(paginationToken ?? 1) || 1;
		const { data, meta } = await client.page<VismaRecord>(`/${type.path}`, {
			filter: filter ? type.search.filter(filter) : undefined,
			page,
			pageSize: PAGE_SIZE,
		});
		return {
			results: data.map(type.search.result),
			paginationToken: page < meta.TotalNumberOfPages ? String(page + 1) : undefined,
		};
	};
}

/** One search per record type with a locator, named as its descriptor says (searchCustomers, ...). */
export const listSearch: Record<string, SearchMethod> = Object.fromEntries(
	searchableRecords.map((type) => [type.search.method, searchOf(type)]),
);

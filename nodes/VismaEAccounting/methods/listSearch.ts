import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { Filter } from '../transport';
import { contains, eq, or, value, VismaClient } from '../transport';

const PAGE_SIZE = 50;

async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	filter: Filter | undefined,
	paginationToken: string | undefined,
	toResult: (record: Record<string, unknown>) => { name: string; value: string },
): Promise<INodeListSearchResult> {
	const client = await VismaClient.create(ctx);
	const page = Number(paginationToken ?? 1) || 1;
	const { data, meta } = await client.page<Record<string, unknown>>(path, { filter, page, pageSize: PAGE_SIZE });
	return {
		results: data.map(toResult),
		paginationToken: page < meta.TotalNumberOfPages ? String(page + 1) : undefined,
	};
}

export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const where = filter ? or(contains('Name', filter), contains('CustomerNumber', filter)) : undefined;
	return await search(this, '/customers', where, paginationToken, (c) => ({
		name: `${String(c.CustomerNumber)} ${String(c.Name)}`,
		value: String(c.Id),
	}));
}

export async function searchArticles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const where = filter ? or(contains('Name', filter), contains('Number', filter)) : undefined;
	return await search(this, '/articles', where, paginationToken, (a) => ({
		name: `${String(a.Number)} ${String(a.Name)}`,
		value: String(a.Id),
	}));
}

export async function searchDrafts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const where = filter ? or(contains('CustomerName', filter), contains('YourReference', filter)) : undefined;
	return await search(this, '/customerinvoicedrafts', where, paginationToken, (d) => ({
		name: `${String(d.CustomerName ?? d.CustomerId)} ${String(d.InvoiceDate ?? d.CreatedUtc ?? '').slice(0, 10)} (${Number(d.TotalAmount ?? 0).toFixed(2)})`,
		value: String(d.Id),
	}));
}

export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim();
	const where = !text
		? undefined
		: /^\d{1,9}$/.test(text)
			? or(eq('InvoiceNumber', value.number(Number(text))), contains('CustomerName', text))
			: contains('CustomerName', text);
	return await search(this, '/customerinvoices', where, paginationToken, (inv) => ({
		name: `${String(inv.InvoiceNumber)} ${String(inv.CustomerName ?? '')} ${String(inv.InvoiceDate ?? '').slice(0, 10)} (${Number(inv.TotalAmount ?? 0).toFixed(2)})`,
		value: String(inv.Id),
	}));
}

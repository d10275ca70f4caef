import { DRAFT_LIMITS } from '../domain/limits';
import { contains, or } from '../transport/filter';
import type { RecordType } from './types';

export const DRAFT = {
	path: 'customerinvoicedrafts',
	label: 'Draft invoice',
	plural: 'draft invoices',
	limits: DRAFT_LIMITS,
	simplify: [
		'Id',
		'CustomerId',
		'CustomerName',
		'InvoiceDate',
		'TotalAmount',
		'TotalVatAmount',
		'YourReference',
		'OurReference',
		'ContractNumber',
		'CreatedUtc',
	],
	locator: { parameter: 'draft', displayName: 'Draft Invoice' },
	search: {
		method: 'searchDrafts',
		filter: (text) => or(contains('CustomerName', text), contains('YourReference', text)),
		result: (d) => ({
			name: `${String(d.CustomerName ?? d.CustomerId)} ${String(d.InvoiceDate ?? d.CreatedUtc ?? '').slice(0, 10)} (${Number(d.TotalAmount ?? 0).toFixed(2)})`,
			value: String(d.Id),
		}),
	},
} satisfies RecordType;

import { contains, eq, or, value } from '../transport/filter';
import type { RecordType } from './types';

export const INVOICE = {
	path: 'customerinvoices',
	label: 'Invoice',
	plural: 'invoices',
	key: {
		field: 'InvoiceNumber',
		label: 'invoice number',
		kind: 'number',
		check: (c, v) => {
			const n = c.number('Invoice Number', v, { integer: true, min: 1, required: true });
			return n === undefined ? undefined : String(n);
		},
	},
	simplify: [
		'Id',
		'InvoiceNumber',
		'CustomerId',
		'CustomerName',
		'InvoiceDate',
		'DueDate',
		'CurrencyCode',
		'TotalAmount',
		'RemainingAmount',
		'PaymentStatus',
	],
	locator: {
		parameter: 'invoice',
		displayName: 'Invoice',
		number: { displayName: 'By Invoice Number', placeholder: 'e.g. 10001' },
	},
	search: {
		method: 'searchInvoices',
		filter: (raw) => {
			const text = raw.trim();
			if (!text) return undefined;
			return /^\d{1,9}$/.test(text)
				? or(eq('InvoiceNumber', value.number(Number(text))), contains('CustomerName', text))
				: contains('CustomerName', text);
		},
		result: (inv) => ({
			name: `${String(inv.InvoiceNumber)} ${String(inv.CustomerName ?? '')} ${String(inv.InvoiceDate ?? '').slice(0, 10)} (${Number(inv.TotalAmount ?? 0).toFixed(2)})`,
			value: String(inv.Id),
		}),
	},
} satisfies RecordType;

import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as downloadPdf from './downloadPdf.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: OperationMap = { downloadPdf, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerInvoice'] } },
		options: [
			{
				name: 'Download PDF',
				value: 'downloadPdf',
				description:
					'Download the PDF of a booked invoice, found by ID or invoice number, as binary data named invoice-NUMBER.pdf',
				action: 'Download an invoice PDF',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one booked customer invoice by ID or invoice number, with amounts and payment status',
				action: 'Get an invoice',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List booked customer invoices, optionally only one customer\'s, changed since a time, or by payment status (paid, unpaid, overdue). Returns one item per invoice.',
				action: 'Get many invoices',
			},
		],
		default: 'getAll',
	},
	...downloadPdf.description,
	...get.description,
	...getAll.description,
];

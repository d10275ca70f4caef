import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as convert from './convert.operation';
import * as create from './create.operation';
import * as deleteDraft from './delete.operation';
import * as exportInvoice from './exportInvoice.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: OperationMap = {
	convert,
	create,
	delete: deleteDraft,
	exportInvoice,
	get,
	getAll,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerInvoiceDraft'] } },
		options: [
			{
				name: 'Convert to Invoice',
				value: 'convert',
				description:
					'Book a draft invoice as a customer invoice; the draft is removed. Returns the invoice with its invoice number.',
				action: 'Convert a draft to an invoice',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a draft invoice for a customer; rows are matched to articles by number and the rest use the default article',
				action: 'Create a draft invoice',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a draft invoice by ID',
				action: 'Delete a draft invoice',
			},
			{
				name: 'Export Invoice as Draft',
				value: 'exportInvoice',
				description:
					'Export an approved invoice in one step: find or create the customer, ensure the default article, create the draft',
				action: 'Export an approved invoice as a draft',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one draft invoice by ID, with its rows and totals',
				action: 'Get a draft invoice',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List draft invoices, optionally only those of one customer or created since a time. Returns one item per draft.',
				action: 'Get many draft invoices',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change fields of a draft invoice found by ID, and optionally replace all its rows; fields not given stay as they are',
				action: 'Update a draft invoice',
			},
		],
		default: 'create',
	},
	...convert.description,
	...create.description,
	...deleteDraft.description,
	...exportInvoice.description,
	...get.description,
	...getAll.description,
	...update.description,
];

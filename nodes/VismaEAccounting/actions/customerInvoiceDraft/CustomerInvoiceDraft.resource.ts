import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as create from './create.operation';
import * as exportInvoice from './exportInvoice.operation';

export const operations: OperationMap = { create, exportInvoice };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerInvoiceDraft'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a draft invoice for a customer; rows are matched to articles by number and the rest use the default article',
				action: 'Create a draft invoice',
			},
			{
				name: 'Export Invoice as Draft',
				value: 'exportInvoice',
				description:
					'Export an approved invoice in one step: find or create the customer, ensure the default article, create the draft',
				action: 'Export an approved invoice as a draft',
			},
		],
		default: 'create',
	},
	...create.description,
	...exportInvoice.description,
];

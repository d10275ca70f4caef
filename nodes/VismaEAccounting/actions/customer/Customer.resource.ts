import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as findOrCreate from './findOrCreate.operation';

export const operations: OperationMap = { findOrCreate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Find or Create',
				value: 'findOrCreate',
				description: 'Find a customer by customer number, or create it if no customer has that number',
				action: 'Find or create a customer',
			},
		],
		default: 'findOrCreate',
	},
	...findOrCreate.description,
];

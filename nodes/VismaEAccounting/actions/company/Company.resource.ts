import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as getSettings from './getSettings.operation';

export const operations: OperationMap = { getSettings };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['company'] } },
		options: [
			{
				name: 'Get Settings',
				value: 'getSettings',
				description: "Get the company's settings: name, currency, default terms of payment, next numbers",
				action: 'Get company settings',
			},
		],
		default: 'getSettings',
	},
	...getSettings.description,
];

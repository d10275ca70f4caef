import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as ensureDefault from './ensureDefault.operation';
import * as findByNumber from './findByNumber.operation';

export const operations: OperationMap = { ensureDefault, findByNumber };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['article'] } },
		options: [
			{
				name: 'Ensure Default Article',
				value: 'ensureDefault',
				description:
					'Return the article with the default article number, creating it the first time. Rows without a known article use it.',
				action: 'Ensure the default article exists',
			},
			{
				name: 'Find by Number',
				value: 'findByNumber',
				description: 'Find an article by its article number',
				action: 'Find an article by number',
			},
		],
		default: 'ensureDefault',
	},
	...ensureDefault.description,
	...findByNumber.description,
];

import type { INodeProperties } from 'n8n-workflow';

import { getManyOperation } from './recordOperations';
import type { OperationMap } from './types';

/**
 * A read-only list of company reference data (units, account codings, ...): one Get Many
 * operation with Return All and Limit.
 */
export function referenceResource(args: {
	resource: string;
	path: string;
	plural: string;
	description: string;
}): { operations: OperationMap; description: INodeProperties[] } {
	const getAll = getManyOperation({ resource: args.resource, path: args.path });
	return {
		operations: { getAll },
		description: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: [args.resource] } },
				options: [
					{
						name: 'Get Many',
						value: 'getAll',
						description: args.description,
						action: `Get many ${args.plural}`,
					},
				],
				default: 'getAll',
			},
			...getAll.description,
		],
	};
}

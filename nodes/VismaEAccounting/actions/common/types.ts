import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { VismaClient } from '../../transport';

/** One operation: its parameters and how it runs over all input items. */
export interface Operation {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		client: VismaClient,
	): Promise<INodeExecutionData[]>;
}

export type OperationMap = Record<string, Operation>;

import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RecordType } from '../../records/types';
import type { VismaClient } from '../../transport';

/** How an operation appears in the Operation dropdown and to an AI agent. */
export interface OperationOption {
	name: string;
	description: string;
	action: string;
}

/**
 * One operation: its entry in the dropdown, its parameters and how it runs over all input
 * items. Its parameters carry no resource/operation displayOptions: the table adds them.
 */
export interface Operation {
	option: OperationOption;
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		client: VismaClient,
	): Promise<INodeExecutionData[]>;
}

/** One resource: its operations, the one selected first, and the record type it works on. */
export interface Resource {
	displayName: string;
	operations: Record<string, Operation>;
	default: string;
	record?: RecordType;
}

/** A resource whose `default` is checked to be one of its own operations. */
export function defineResource<O extends Record<string, Operation>>(
	resource: Omit<Resource, 'operations' | 'default'> & { operations: O; default: keyof O & string },
): Resource {
	return resource;
}

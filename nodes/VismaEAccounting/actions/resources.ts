import type { INodeProperties } from 'n8n-workflow';

import * as company from './company/Company.resource';
import type { OperationMap } from './common/types';

interface Resource {
	operations: OperationMap;
	description: INodeProperties[];
}

/** Every resource of the node; the router and the node description both read this list. */
export const resources: Record<string, Resource> = {
	company,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Company', value: 'company' }],
	default: 'company',
};

import type { INodeProperties } from 'n8n-workflow';

import * as article from './article/Article.resource';
import * as company from './company/Company.resource';
import * as customer from './customer/Customer.resource';
import * as customerInvoiceDraft from './customerInvoiceDraft/CustomerInvoiceDraft.resource';
import type { OperationMap } from './common/types';

interface Resource {
	operations: OperationMap;
	description: INodeProperties[];
}

/** Every resource of the node; the router and the node description both read this list. */
export const resources: Record<string, Resource> = {
	customer,
	article,
	customerInvoiceDraft,
	company,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Article', value: 'article' },
		{ name: 'Company', value: 'company' },
		{ name: 'Customer', value: 'customer' },
		{ name: 'Customer Invoice Draft', value: 'customerInvoiceDraft' },
	],
	default: 'customerInvoiceDraft',
};

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { VismaClient } from '../../transport';
import { perItem } from '../shared/items';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Get Settings',
	description: "Get the company's settings: name, currency, default terms of payment, next numbers",
	action: 'Get company settings',
};

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	return await perItem(this, items, async (i) =>
		client.request<IDataObject>({ method: 'GET', path: '/companysettings', itemIndex: i }),
	);
}

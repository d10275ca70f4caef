import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { VismaClient } from '../../transport';
import { perItem } from '../common/items';

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

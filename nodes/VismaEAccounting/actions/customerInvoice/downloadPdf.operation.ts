import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { VismaInvoice } from '../../domain/visma';
import { INVOICE } from '../../records/invoice';
import { fetchRecord } from '../../services/getRecords';
import type { BinaryResponse, VismaClient } from '../../transport';
import { resourcePath } from '../../transport';
import { recordLocator } from '../shared/fields';
import { isErrorItem, perItem } from '../shared/items';
import { locatorOf, recordJson } from '../shared/locator';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Download PDF',
	description:
		'Download the PDF of a booked invoice, found by ID or invoice number, as binary data named invoice-NUMBER.pdf',
	action: 'Download an invoice PDF',
};

export const description: INodeProperties[] = [
	recordLocator(
		INVOICE,
		'The invoice whose PDF to download: pick it from the list, or give its ID or invoice number',
	),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
	},
];

/** The invoice (simplified) as JSON, its PDF as binary data named invoice-<number>.pdf. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const files = new Map<number, { field: string; data: IBinaryData }>();
	const out = await perItem(this, items, async (i) => {
		const invoice = await fetchRecord<VismaInvoice>(
			client,
			INVOICE,
			locatorOf(this, INVOICE, i),
			i,
		);
		const pdf = await client.request<BinaryResponse>({
			method: 'GET',
			path: resourcePath(INVOICE.path, invoice.Id, 'print'),
			binary: true,
			itemIndex: i,
		});
		const fileName = `invoice-${invoice.InvoiceNumber ?? invoice.Id}.pdf`;
		files.set(i, {
			field: this.getNodeParameter('binaryPropertyName', i, 'data') as string,
			data: await this.helpers.prepareBinaryData(pdf.body, fileName, 'application/pdf'),
		});
		return { ...recordJson(this, i, invoice, INVOICE), fileName };
	});
	// perItem makes the JSON items (and the error items); the files join them by item.
	return out.map((item) => {
		const file = isErrorItem(item)
			? undefined
			: files.get((item.pairedItem as { item: number }).item);
		return file ? { ...item, binary: { [file.field]: file.data } } : item;
	});
}

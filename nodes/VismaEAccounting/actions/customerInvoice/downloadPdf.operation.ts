import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { VismaInvoice } from '../../domain/visma';
import { INVOICES, fetchRecord } from '../../services/records';
import type { BinaryResponse, VismaClient } from '../../transport';
import { resourcePath } from '../../transport';
import { invoiceLocator } from '../common/descriptions';
import { perItem } from '../common/items';
import { INVOICE, locatorOf, recordJson } from '../common/records';

export const description = updateDisplayOptions({ show: { resource: ['customerInvoice'], operation: ['downloadPdf'] } }, [
	invoiceLocator('The invoice whose PDF to download: pick it from the list, or give its ID or invoice number'),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
	},
]);

/** The invoice (simplified) as JSON, its PDF as binary data named invoice-<number>.pdf. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const files = new Map<number, { field: string; data: IBinaryData }>();
	const out = await perItem(this, items, async (i) => {
		const invoice = await fetchRecord<VismaInvoice>(client, INVOICES, locatorOf(this, INVOICE, i), i);
		const pdf = await client.request<BinaryResponse>({
			method: 'GET',
			path: resourcePath('customerinvoices', invoice.Id, 'print'),
			binary: true,
			itemIndex: i,
		});
		const fileName = `invoice-${invoice.InvoiceNumber ?? invoice.Id}.pdf`;
		files.set(i, {
			field: this.getNodeParameter('binaryPropertyName', i, 'data') as string,
			data: await this.helpers.prepareBinaryData(pdf.body, fileName, 'application/pdf'),
		});
		return { ...recordJson(this, i, invoice, 'invoice'), fileName };
	});
	// perItem makes the JSON items (and the error items); the files join them by item.
	return out.map((item) => {
		const file = item.error ? undefined : files.get((item.pairedItem as { item: number }).item);
		return file ? { ...item, binary: { [file.field]: file.data } } : item;
	});
}

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { ConvertOptions } from '../../services/convertDraft';
import { convertDraft } from '../../services/convertDraft';
import { DRAFT } from '../../records/draft';
import { recordId } from '../../services/getRecords';
import type { VismaClient } from '../../transport';
import { recordLocator } from '../shared/fields';
import { perItem } from '../shared/items';
import { locatorOf } from '../shared/locator';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Convert to Invoice',
	description:
		'Book a draft invoice as a customer invoice; the draft is removed. Returns the invoice with its invoice number.',
	action: 'Convert a draft to an invoice',
};

export const description: INodeProperties[] = [
	recordLocator(
		DRAFT,
		'The draft invoice to book as an invoice: pick it from the list, or give its ID',
	),
	{
		displayName: 'Options',
		name: 'convertOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Keep Original Draft Date',
				name: 'keepOriginalDraftDate',
				type: 'boolean',
				default: true,
				description:
					"Whether the invoice keeps the draft's invoice date. Off: the invoice is dated today, unless the draft's date is in the future.",
			},
			{
				displayName: 'Override Company Setting',
				name: 'overrideCompanyKeepOriginalDraftDate',
				type: 'boolean',
				default: true,
				description:
					'Whether Keep Original Draft Date wins over the company\'s own "keep original draft date" setting. Off: if the company setting is on, the draft date is kept anyway.',
			},
		],
	},
];

/**
 * Converting twice is impossible, so a POST whose answer is lost is settled by looking: a draft
 * that is gone has become the invoice that names it in CreatedFromDraftId.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	return await perItem(this, items, async (i) => {
		const options = this.getNodeParameter('convertOptions', i, {}) as ConvertOptions;
		const id = await recordId(client, DRAFT, locatorOf(this, DRAFT, i), i);
		return (await convertDraft(client, id, options, i)) as IDataObject;
	});
}

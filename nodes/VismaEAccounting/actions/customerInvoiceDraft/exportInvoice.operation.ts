import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { checkCustomerInput, customerDefaultsForDraft } from '../../domain/customer';
import { asksReverseCharge, checkDraftInput } from '../../domain/draftInput';
import type { ExportRequest } from '../../services/exportInvoices';
import { exportInvoices } from '../../services/exportInvoices';
import type { VismaClient } from '../../transport';
import { defaultArticleFields, readDefaultArticle } from '../article/fields';
import {
	customerAdditionalFields,
	customerCoreProperties,
	customerNumberProperty,
	ifInactiveOption,
	readCustomerParameters,
	readIfInactive,
} from '../customer/fields';
import { checkEachItem, emitOutcomes } from '../shared/items';
import type { OperationOption } from '../shared/types';
import type { AttachmentFile } from '../../domain/attachment';
import { attachmentsOption, readAttachments } from '../shared/attachments';
import { attachToResults } from './draftAttachments';
import { exportJson } from './draftOutput';
import {
	createMissingProjectsOption,
	draftFieldsProperty,
	readDraftParameters,
	rowsProperties,
	sourceReferenceOptions,
} from './fields';

export const option: OperationOption = {
	name: 'Export Invoice as Draft',
	description:
		'Export an approved invoice in one step: find or create the customer, ensure the default article, create the draft',
	action: 'Export an approved invoice as a draft',
};

const properties: INodeProperties[] = [
	customerNumberProperty,
	...customerCoreProperties,
	customerAdditionalFields,
	...rowsProperties,
	// Same parameters as Ensure Default Article, labelled for this longer form.
	...defaultArticleFields.map((p) => ({ ...p, displayName: `Default ${p.displayName}` })),
	draftFieldsProperty,
	{
		displayName: 'Options',
		name: 'exportOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			attachmentsOption,
			createMissingProjectsOption,
			ifInactiveOption,
			...sourceReferenceOptions,
			{
				displayName: 'Update Existing Customer',
				name: 'updateExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether to update a customer that already exists with the fields given here when they differ',
			},
		],
	},
];

export const description = properties;

/**
 * Find or Create Customer, Ensure Default Article and Create Draft in one node, with the same
 * rules and the same batching: customers, articles and source references are each looked up once
 * for all items.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const files = new Map<number, AttachmentFile[]>();
	const { requests, invalid } = await checkEachItem(
		this,
		items,
		async (c, i): Promise<Omit<ExportRequest, 'itemIndex'>> => {
			const options = this.getNodeParameter('exportOptions', i, {}) as IDataObject;
			const customer = checkCustomerInput(c, readCustomerParameters(this, i));
			const article = checkArticleInput(c.scope('Default Article'), readDefaultArticle(this, i));
			const raw = readDraftParameters(this, i, 'exportOptions');
			const draft = checkDraftInput(c, raw.fields, raw.rows);
			files.set(i, await readAttachments(this, c, i, options.attachments));
			return {
				customer: {
					itemIndex: i,
					input: customer,
					updateExisting: options.updateExisting === true,
					ifInactive: readIfInactive(options),
					// A customer created for a ROT invoice is a private person, and so on.
					createDefaults: customerDefaultsForDraft(c, customer, {
						taxReduction: Boolean(draft.fields.taxReduction),
						reverseCharge: asksReverseCharge(draft.fields, draft.rows),
					}),
				},
				defaultArticle: { itemIndex: i, input: article },
				draft: {
					itemIndex: i,
					...draft,
					createMissingProjects: raw.createMissingProjects,
				},
			};
		},
	);
	const outcomes = await exportInvoices(client, requests);
	const results = await attachToResults(client, requests, outcomes, files, exportJson);
	return emitOutcomes(this, items.length, invalid, requests, results, (json) => json);
}

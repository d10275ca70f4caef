import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { checkDraftInput } from '../../domain/draftInput';
import { CUSTOMER } from '../../records/customer';
import type { DraftRequest } from '../../services/drafts';
import { createDrafts } from '../../services/createDrafts';
import type { VismaClient } from '../../transport';
import { recordLocator } from '../shared/fields';
import { OPTIONAL_BY_ID, readLocator } from '../shared/locator';
import { checkEachItem, emitOutcomes } from '../shared/items';
import type { OperationOption } from '../shared/types';
import type { AttachmentFile } from '../../domain/attachment';
import { attachmentsOption, readAttachments } from '../shared/attachments';
import { attachToResults } from './draftAttachments';
import { draftJson } from './draftOutput';
import {
	createMissingProjectsOption,
	defaultArticleProperty,
	draftFieldsProperty,
	readDefaultArticleLocator,
	readDraftParameters,
	rowsProperties,
	sourceReferenceOptions,
} from './fields';

export const option: OperationOption = {
	name: 'Create',
	description:
		'Create a draft invoice for a customer; rows are matched to articles by number and the rest use the default article',
	action: 'Create a draft invoice',
};

const properties: INodeProperties[] = [
	recordLocator(
		CUSTOMER,
		'The customer to invoice, for example the ID from Find or Create Customer',
		{
			numberDisplayName: 'By Customer Number',
			defaultMode: 'id',
		},
	),
	defaultArticleProperty,
	...rowsProperties,
	draftFieldsProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [attachmentsOption, createMissingProjectsOption, ...sourceReferenceOptions],
	},
];

export const description = properties;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const files = new Map<number, AttachmentFile[]>();
	const { requests, invalid } = await checkEachItem(
		this,
		items,
		async (c, i): Promise<Omit<DraftRequest, 'itemIndex'>> => {
			const customer = readLocator(
				c,
				this.getNodeParameter('customer', i),
				'Customer',
				CUSTOMER,
				OPTIONAL_BY_ID,
			);
			if (!customer) c.fail('Customer', 'is required');
			const { fields, rows, createMissingProjects } = readDraftParameters(this, i, 'options');
			const options = this.getNodeParameter('options', i, {}) as { attachments?: unknown };
			files.set(i, await readAttachments(this, c, i, options.attachments));
			return {
				customer: customer ?? {},
				defaultArticle: readDefaultArticleLocator(this, c, i),
				...checkDraftInput(c, fields, rows),
				createMissingProjects,
			};
		},
	);
	const outcomes = await createDrafts(client, requests);
	const results = await attachToResults(client, requests, outcomes, files, draftJson);
	return emitOutcomes(this, items.length, invalid, requests, results, (json) => json);
}

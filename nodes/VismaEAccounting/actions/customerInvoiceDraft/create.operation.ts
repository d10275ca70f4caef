import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkCustomerNumber } from '../../domain/customer';
import { checkArticleNumber } from '../../domain/article';
import type { Checker } from '../../domain/check';
import { checkDraftFields, checkRows } from '../../domain/invoice';
import type { DraftRequest, Reference } from '../../services/drafts';
import { createDrafts } from '../../services/drafts';
import type { VismaClient } from '../../transport';
import { locator } from '../common/descriptions';
import {
	defaultArticleProperty,
	draftFieldsProperty,
	readDraftParameters,
	rowsProperties,
	sourceReferenceOptions,
} from '../common/invoiceFields';
import { emitOutcomes, checkEachItem } from '../common/items';
import { draftJson } from './draftOutput';

const properties: INodeProperties[] = [
	locator({
		displayName: 'Customer',
		name: 'customer',
		searchMethod: 'searchCustomers',
		numberLabel: 'By Customer Number',
		defaultMode: 'id',
		description: 'The customer to invoice, for example the ID from Find or Create Customer',
	}),
	defaultArticleProperty,
	...rowsProperties,
	draftFieldsProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: sourceReferenceOptions,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customerInvoiceDraft'], operation: ['create'] } },
	properties,
);

/** Reads a customer or article locator: by ID or by number. */
export function readReference(
	c: Checker,
	raw: { mode?: string; value?: unknown } | string | undefined,
	label: string,
	kind: 'customer' | 'article',
): Reference | undefined {
	const locatorValue = typeof raw === 'object' && raw !== null ? raw : { mode: 'id', value: raw };
	if (locatorValue.value === undefined || locatorValue.value === '') return undefined;
	if (locatorValue.mode === 'number') {
		const number =
			kind === 'customer'
				? checkCustomerNumber(c.scope(label), locatorValue.value)
				: checkArticleNumber(c, locatorValue.value, label);
		return number ? { number } : undefined;
	}
	const id = c.guid(label, locatorValue.value, true);
	return id ? { id } : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const { requests, invalid } = await checkEachItem(this, items, (c, i): Omit<DraftRequest, 'itemIndex'> => {
		const customer = readReference(c, this.getNodeParameter('customer', i) as never, 'Customer', 'customer');
		if (!customer) c.fail('Customer', 'is required');
		const { fields, rows } = readDraftParameters(this, i, 'options');
		return {
			customer: customer ?? {},
			defaultArticle: readReference(c, this.getNodeParameter('defaultArticle', i, '') as never, 'Default Article', 'article'),
			fields: checkDraftFields(c, fields),
			rows: checkRows(c, rows),
		};
	});
	const outcomes = await createDrafts(client, requests);
	return emitOutcomes(this, items.length, invalid, requests, outcomes, draftJson);
}

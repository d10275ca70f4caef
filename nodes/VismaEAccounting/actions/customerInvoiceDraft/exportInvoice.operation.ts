import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { Checker } from '../../domain/check';
import { checkCustomerInput } from '../../domain/customer';
import { checkDraftFields, checkRows } from '../../domain/invoice';
import type { ExportRequest } from '../../services/exportInvoices';
import { exportInvoices } from '../../services/exportInvoices';
import type { ItemError } from '../../services/outcome';
import { problemsError } from '../../services/outcome';
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
import { emitOutcomes, stopOnInvalid } from '../shared/items';
import type { OperationOption } from '../shared/types';
import { draftJson } from './draftOutput';
import {
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
 * rules and the same batching: customers, articles and references are each looked up once
 * for all items.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const prepared: ExportRequest[] = [];
	const invalid = new Map<number, ItemError>();
	for (let i = 0; i < items.length; i++) {
		const c = new Checker();
		const options = this.getNodeParameter('exportOptions', i, {}) as IDataObject;
		const customerInput = checkCustomerInput(c, readCustomerParameters(this, i));
		const articleInput = checkArticleInput(c.scope('Default Article'), readDefaultArticle(this, i));
		const { fields, rows } = readDraftParameters(this, i, 'exportOptions');
		const draftFields = checkDraftFields(c, fields);
		const rowInputs = checkRows(c, rows);
		if (!c.ok) {
			invalid.set(i, problemsError(this.getNode(), c.problems, i));
			continue;
		}
		prepared.push({
			itemIndex: i,
			customer: {
				itemIndex: i,
				input: customerInput,
				updateExisting: options.updateExisting === true,
				ifInactive: readIfInactive(options),
			},
			defaultArticle: { itemIndex: i, input: articleInput },
			draft: { itemIndex: i, fields: draftFields, rows: rowInputs },
		});
	}
	stopOnInvalid(this, invalid);

	const outcomes = await exportInvoices(client, prepared);
	return emitOutcomes(this, items.length, invalid, prepared, outcomes, (result) => ({
		...draftJson(result),
		// Already exported: the customer is the one on the existing record; nothing else was touched.
		customer: {
			Id: result.customerResult?.customer.Id ?? result.customer.Id,
			CustomerNumber:
				result.customerResult?.customer.CustomerNumber ?? result.customer.CustomerNumber,
			Name: result.customerResult?.customer.Name ?? result.customer.Name,
			outcome: result.customerResult?.outcome ?? 'found',
			...(result.customerResult?.changed ? { changedFields: result.customerResult.changed } : {}),
			...(result.customerResult?.inactive ? { inactive: true } : {}),
		},
		defaultArticle: result.articleResult
			? {
					Id: result.articleResult.article.Id,
					Number: result.articleResult.article.Number,
					outcome: result.articleResult.outcome,
					...(result.articleResult.chosenAutomatically
						? { chosenAutomatically: result.articleResult.chosenAutomatically as IDataObject }
						: {}),
				}
			: null,
	}));
}

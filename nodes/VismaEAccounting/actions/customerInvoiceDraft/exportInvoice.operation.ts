import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { Checker } from '../../domain/check';
import { checkCustomerInput } from '../../domain/customer';
import { checkDraftFields, checkRows } from '../../domain/invoice';
import type { ArticleResult } from '../../services/articles';
import { ensureArticles } from '../../services/articles';
import type { CustomerRequest, CustomerResult } from '../../services/customers';
import { findOrCreateCustomers } from '../../services/customers';
import type { DraftRequest, DraftResult } from '../../services/drafts';
import { createDrafts } from '../../services/drafts';
import type { ItemError, Outcome } from '../../services/outcome';
import { failure, problemsError, success } from '../../services/outcome';
import type { VismaClient } from '../../transport';
import { defaultArticleFields, readDefaultArticle } from '../article/ensureDefault.operation';
import {
	customerAdditionalFields,
	customerCoreProperties,
	customerNumberProperty,
	readCustomerParameters,
} from '../common/customerFields';
import { draftFieldsProperty, readDraftParameters, rowsProperties, sourceReferenceOptions } from '../common/invoiceFields';
import { emitOutcomes, stopOnInvalid } from '../common/items';
import { draftJson } from './draftOutput';

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
			...sourceReferenceOptions,
			{
				displayName: 'Update Existing Customer',
				name: 'updateExisting',
				type: 'boolean',
				default: false,
				description: 'Whether to update a customer that already exists with the fields given here when they differ',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customerInvoiceDraft'], operation: ['exportInvoice'] } },
	properties,
);

interface Prepared {
	itemIndex: number;
	customer: CustomerRequest;
	article: { itemIndex: number; input: ReturnType<typeof checkArticleInput> };
	draft: Omit<DraftRequest, 'customer' | 'defaultArticle'>;
}

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
	const prepared: Prepared[] = [];
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
			customer: { itemIndex: i, input: customerInput, updateExisting: options.updateExisting === true },
			article: { itemIndex: i, input: articleInput },
			draft: { itemIndex: i, fields: draftFields, rows: rowInputs },
		});
	}
	stopOnInvalid(this, invalid);

	const customers = await findOrCreateCustomers(client, prepared.map((p) => p.customer));
	const articles = await ensureArticles(client, prepared.map((p) => p.article));

	const ready: Array<{ k: number; request: DraftRequest }> = [];
	const outcomes: Array<Outcome<DraftResult & { customerResult: CustomerResult; articleResult: ArticleResult }>> = [];
	prepared.forEach((p, k) => {
		const customer = customers[k];
		const article = articles[k];
		if (!customer.ok) outcomes[k] = failure(customer.error);
		else if (!article.ok) outcomes[k] = failure(article.error);
		else {
			ready.push({
				k,
				request: {
					...p.draft,
					customer: { record: customer.value.customer },
					defaultArticle: { record: article.value.article },
				},
			});
		}
	});
	const drafts = await createDrafts(client, ready.map((r) => r.request));
	ready.forEach(({ k }, j) => {
		const draft = drafts[j];
		const customer = customers[k] as { ok: true; value: CustomerResult };
		const article = articles[k] as { ok: true; value: ArticleResult };
		outcomes[k] = draft.ok
			? success({ ...draft.value, customerResult: customer.value, articleResult: article.value })
			: failure(draft.error);
	});

	return emitOutcomes(this, items.length, invalid, prepared, outcomes, (result) => ({
		...draftJson(result),
		customer: {
			Id: result.customerResult.customer.Id,
			CustomerNumber: result.customerResult.customer.CustomerNumber,
			Name: result.customerResult.customer.Name,
			outcome: result.customerResult.outcome,
		},
		defaultArticle: {
			Id: result.articleResult.article.Id,
			Number: result.articleResult.article.Number,
			outcome: result.articleResult.outcome,
		},
	}));
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Checker } from '../../domain/check';
import { ARTICLE } from '../../records/article';
import type { RecordRef } from '../../services/getRecords';
import { locator } from '../shared/fields';
import { readLocator, REFERENCE } from '../shared/locator';

/** Draft parameters shared by Create and Export Invoice. */
export const defaultArticleProperty: INodeProperties = {
	...locator({
		displayName: 'Default Article',
		name: 'defaultArticle',
		searchMethod: ARTICLE.search.method,
		numberLabel: 'By Number',
		defaultMode: 'number',
		defaultValue: 'DEFAULT',
		description:
			'Article used for rows whose article number is empty or not in eAccounting. Those rows keep their own text, quantity and price.',
	}),
};

/** The Default Article locator of an item, if one is given. */
export function readDefaultArticleRef(
	ctx: IExecuteFunctions,
	c: Checker,
	i: number,
): RecordRef | undefined {
	return readLocator(
		c,
		ctx.getNodeParameter('defaultArticle', i, ''),
		'Default Article',
		ARTICLE,
		REFERENCE,
	);
}

export const rowsProperties: INodeProperties[] = [
	{
		displayName: 'Rows',
		name: 'rowsSource',
		type: 'options',
		options: [
			{
				name: 'Map From Input',
				value: 'mapFromInput',
				description: 'Take an array of rows from the input item, for example {{ $JSON.rows }}',
			},
			{ name: 'Define Below', value: 'defineBelow', description: 'Enter the rows one by one' },
		],
		default: 'mapFromInput',
	},
	{
		displayName: 'Rows (JSON)',
		name: 'rowsData',
		type: 'json',
		default: '={{ $json.rows }}',
		required: true,
		displayOptions: { show: { rowsSource: ['mapFromInput'] } },
		description:
			'An array of rows. Each row has articleNumber, text, quantity, unitPrice, discountPercent (0-100) and, for a text-only row, isTextRow: true.',
		hint: 'Example: [{"articleNumber": "A100", "text": "Consulting", "quantity": 2, "unitPrice": 950}]',
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Row',
		default: {},
		displayOptions: { show: { rowsSource: ['defineBelow'] } },
		options: [
			{
				displayName: 'Row',
				name: 'row',
				values: [
					{
						displayName: 'Article Number',
						name: 'articleNumber',
						type: 'string',
						default: '',
						description: 'Empty or unknown numbers use the default article',
					},
					{
						displayName: 'Discount (%)',
						name: 'discountPercent',
						type: 'number',
						default: 0,
					},
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						default: 1,
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Text Only',
						name: 'isTextRow',
						type: 'boolean',
						default: false,
						description: 'Whether the row only carries text, without article, quantity or price',
					},
					{
						displayName: 'Unit Price',
						name: 'unitPrice',
						type: 'string',
						default: '',
						placeholder: 'e.g. 950.00',
						description: "Price per unit excluding VAT. Empty uses the article's price.",
					},
				],
			},
		],
	},
];

export const draftFieldsProperty: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'draftFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: "Buyer's Order Reference",
			name: 'buyersOrderReference',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Credit Invoice',
			name: 'isCreditInvoice',
			type: 'boolean',
			default: false,
			description: 'Whether the draft is a credit invoice',
		},
		{
			displayName: 'Delivery Address Line 1',
			name: 'deliveryAddress1',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Delivery Address Line 2',
			name: 'deliveryAddress2',
			type: 'string',
			default: '',
		},
		{ displayName: 'Delivery City', name: 'deliveryCity', type: 'string', default: '' },
		{
			displayName: 'Delivery Country Code',
			name: 'deliveryCountryCode',
			type: 'string',
			default: '',
			placeholder: 'e.g. SE',
		},
		{ displayName: 'Delivery Name', name: 'deliveryName', type: 'string', default: '' },
		{
			displayName: 'Delivery Postal Code',
			name: 'deliveryPostalCode',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Due Date',
			name: 'dueDate',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-12-31',
			description: 'Empty means the invoice date plus the terms of payment',
		},
		{
			displayName: 'Invoice Date',
			name: 'invoiceDate',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2026-12-01',
		},
		{ displayName: 'Our Reference', name: 'ourReference', type: 'string', default: '' },
		{
			displayName: 'Terms of Payment Name or ID',
			name: 'termsOfPaymentId',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTermsOfPayment' },
			default: '',
			description:
				'Overrides the customer\'s terms for this draft. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{ displayName: 'Your Reference', name: 'yourReference', type: 'string', default: '' },
	],
};

export const sourceReferenceOptions: INodeProperties[] = [
	{
		displayName: 'Source Reference',
		name: 'sourceReference',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.invoiceNumber }}',
		description:
			"The invoice's number in the system it was approved in. When a draft or booked invoice with this reference already exists, it is returned instead of creating a second draft, so re-runs are safe.",
	},
	{
		displayName: 'Store Source Reference In',
		name: 'sourceReferenceField',
		type: 'options',
		options: [
			{ name: "Buyer's Order Reference (Max 35)", value: 'BuyersOrderReference' },
			{ name: 'Contract Number', value: 'ContractNumber' },
			{ name: 'Our Reference', value: 'OurReference' },
			{ name: 'Subscription Number', value: 'SubscriptionNumber' },
			{ name: 'Your Reference', value: 'YourReference' },
		],
		default: 'ContractNumber',
		description:
			"The draft field that holds the source reference. Pick one you don't use for anything else.",
	},
];

/** Draft fields, rows and source reference of one item, with our camelCase keys. */
export function readDraftParameters(ctx: IExecuteFunctions, i: number, optionsName: string) {
	const options = ctx.getNodeParameter(optionsName, i, {}) as IDataObject;
	const fields = {
		...(ctx.getNodeParameter('draftFields', i, {}) as IDataObject),
		sourceReference: options.sourceReference,
		// Added to the options, even if its expression gave nothing: protection was asked for.
		sourceReferenceSet: Object.prototype.hasOwnProperty.call(options, 'sourceReference'),
		sourceReferenceField: options.sourceReferenceField ?? 'ContractNumber',
	};
	const rows =
		ctx.getNodeParameter('rowsSource', i, 'mapFromInput') === 'defineBelow'
			? (
					((ctx.getNodeParameter('rows', i, {}) as IDataObject).row as IDataObject[] | undefined) ??
					[]
				).map((row) =>
					row.isTextRow ? { isTextRow: true, text: row.text } : { ...row, isTextRow: undefined },
				)
			: ctx.getNodeParameter('rowsData', i, []);
	return { fields, rows };
}

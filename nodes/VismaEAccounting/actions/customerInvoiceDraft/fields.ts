import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Checker } from '../../domain/check';
import { GREEN_TECHNOLOGY_TYPES, WORK_TYPES } from '../../domain/workTypes';
import { ARTICLE } from '../../records/article';
import type { IdOrNumber } from '../../services/getRecords';
import { locator } from '../shared/fields';
import { OPTIONAL_BY_ID, readLocator } from '../shared/locator';

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
export function readDefaultArticleLocator(
	ctx: IExecuteFunctions,
	c: Checker,
	i: number,
): IdOrNumber | undefined {
	return readLocator(
		c,
		ctx.getNodeParameter('defaultArticle', i, ''),
		'Default Article',
		ARTICLE,
		OPTIONAL_BY_ID,
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
			'An array of rows. Each row has articleNumber, text, quantity, unitPrice, discountPercent (0-100) or discountAmount, and, for a text-only row, isTextRow: true. Optional: projectNumber (and projectName), vatCode, reverseCharge, and for ROT/RUT isWorkCost, workType, workHours, materialCosts, for green technology greenTechnologyType.',
		hint: 'Example: [{"articleNumber": "A100", "text": "Snickeri", "quantity": 8, "unitPrice": 650, "workType": "RotConstructionWork", "workHours": 8}]',
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
						displayName: 'Discount Amount',
						name: 'discountAmount',
						type: 'string',
						default: '',
						placeholder: 'e.g. 500',
						description:
							'A discount in money off the row, instead of a percentage. Sent as the exact percentage, or taken off the unit price.',
					},
					{
						displayName: 'Green Technology Type',
						name: 'greenTechnologyType',
						type: 'options',
						options: enumOptions(GREEN_TECHNOLOGY_TYPES),
						default: '',
						description: 'On a green technology invoice: what the row installs',
					},
					{
						displayName: 'Material Costs',
						name: 'materialCosts',
						type: 'string',
						default: '',
						description: 'On a ROT or RUT invoice: the material costs of the row',
					},
					{
						displayName: 'Project Number',
						name: 'projectNumber',
						type: 'string',
						default: '',
						description: "The row's project. Empty uses the invoice's project, if any.",
					},
					{
						displayName: 'Quantity',
						name: 'quantity',
						type: 'number',
						default: 1,
					},
					{
						displayName: 'Reverse Charge',
						name: 'reverseCharge',
						type: 'options',
						options: [
							{ name: 'No', value: 'false' },
							{ name: 'Same as Invoice', value: '' },
							{ name: 'Yes', value: 'true' },
						],
						default: '',
						description: 'Whether the row carries reverse-charge construction VAT',
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
					{
						displayName: 'VAT Code',
						name: 'vatCode',
						type: 'string',
						default: '',
						placeholder: 'e.g. 25',
						description:
							"The VAT the row must have: its article's account coding decides it, so a different one stops the item before anything is written",
					},
					{
						displayName: 'Work Hours',
						name: 'workHours',
						type: 'string',
						default: '',
						description: 'On a ROT or RUT invoice: the hours of work on a work row (at least 1)',
					},
					{
						displayName: 'Work Type',
						name: 'workType',
						type: 'options',
						options: enumOptions(WORK_TYPES),
						default: '',
						description:
							'On a ROT or RUT invoice: the type of work, which makes the row a work row',
					},
				],
			},
		],
	},
];

/** "RotHeatPump2" → "ROT: Heat Pump 2"; options sorted by name, with None first. */
function enumOptions(table: Readonly<Record<string, number>>) {
	const label = (key: string) =>
		key
			.replace(/^(Rot|Rut)/, (m) => `${m.toUpperCase()}: `)
			.replace(/([a-z])([A-Z0-9])/g, '$1 $2')
			.replace(/([A-Z])([A-Z][a-z])/g, '$1 $2');
	return [
		{ name: 'None', value: '' },
		...Object.keys(table)
			.map((key) => ({ name: label(key), value: key }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	];
}

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
			displayName: 'Project Name',
			name: 'projectName',
			type: 'string',
			default: '',
			description:
				'The name the project is created with when it is not in eAccounting (option Create Missing Projects)',
		},
		{
			displayName: 'Project Number',
			name: 'projectNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. P100',
			description: 'The project (job) of every row that names none',
		},
		{
			displayName: 'Reverse-Charge Construction VAT',
			name: 'reverseChargeConstruction',
			type: 'boolean',
			default: false,
			description:
				'Whether the invoice is for construction services with reverse-charge VAT (omvänd skattskyldighet): every row whose article can carry it gets it. The customer must be a company set up for it, with a VAT number.',
		},
		{
			displayName: 'Tax Reduction (JSON)',
			name: 'taxReduction',
			type: 'json',
			default: '',
			description:
				'ROT, RUT or green technology, mapped from the approval: type (none, ROT, RUT, greenTechnology), propertyType (property or apartment) and propertyName, housingAssociationOrgNumber for an apartment, persons [{ssn, amount or share}] or automaticDistribution, amount, otherCosts',
			hint: 'Example: {"type": "ROT", "propertyType": "property", "propertyName": "Umeå Björken 1:23", "persons": [{"ssn": "19800101-1234", "amount": 6000}]}',
		},
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

/** An option of Create and Export Invoice as Draft. */
export const createMissingProjectsOption: INodeProperties = {
	displayName: 'Create Missing Projects',
	name: 'createMissingProjects',
	type: 'boolean',
	default: false,
	description:
		"Whether to create a project a row names that is not in eAccounting yet, with the row's project name (or the invoice's) and the draft's customer. Creating projects needs the scope ea:accounting under the credential's Additional Scopes.",
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
	return { fields, rows, createMissingProjects: options.createMissingProjects === true };
}

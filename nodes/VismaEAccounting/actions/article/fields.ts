import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ArticleInput } from '../../domain/article';
import { checkArticleCreatable, checkArticleInput } from '../../domain/article';
import type { Checker } from '../../domain/check';
import { resolveUnitAndCoding } from '../../services/resolveUnitAndCoding';
import type { VismaClient } from '../../transport';
import { updateFieldsCollection } from '../shared/fields';

export const articleNumberProperty: INodeProperties = {
	displayName: 'Article Number',
	name: 'articleNumber',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. A100',
	description: 'The article number (at most 40 characters)',
};
const name: INodeProperties = {
	displayName: 'Name',
	name: 'articleName',
	type: 'string',
	default: '',
	placeholder: 'e.g. Arbetstid snickare',
	description: 'At most 50 characters',
};
const unit: INodeProperties = {
	displayName: 'Unit Name or ID',
	name: 'unitId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getUnits' },
	default: '',
	description:
		'Unit the article is sold in. An expression may also give the unit\'s code, abbreviation or name, such as "st". Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
const coding: INodeProperties = {
	displayName: 'Account Coding Name or ID',
	name: 'codingId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getAccountCodings' },
	default: '',
	description:
		'Decides the VAT rate and revenue account. An expression may also give the coding\'s name, such as "Tjänster 25 %". Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
const price: INodeProperties = {
	displayName: 'Price',
	name: 'price',
	type: 'string',
	default: '',
	placeholder: 'e.g. 650.00',
	description:
		'Sales price excluding VAT (net price). Empty leaves the price as it is, or 0 for a new article.',
};
const active: INodeProperties = {
	displayName: 'Active',
	name: 'isActive',
	type: 'boolean',
	default: true,
	description:
		'Whether the article can be used on new invoices. Articles cannot be deleted; turn this off instead.',
};

const articleFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'articleFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [active],
};

/** Create: name, unit and account coding are needed. */
export const createProperties: INodeProperties[] = [
	{
		...articleNumberProperty,
		description: 'Number of the new article (at most 40 characters); it must not exist yet',
	},
	{ ...name, required: true },
	{ ...unit, required: true },
	{ ...coding, required: true },
	price,
	articleFields,
];

/** Create or Update: the number identifies the article. */
export const createOrUpdateProperties: INodeProperties[] = [
	{
		...articleNumberProperty,
		description:
			'Identifies the article (at most 40 characters). An article with this number is updated with the fields given here; if there is none, it is created.',
	},
	{ ...name, description: 'Needed to create the article (at most 50 characters)' },
	{ ...unit, description: `Needed to create the article. ${unit.description}` },
	{ ...coding, description: `Needed to create the article. ${coding.description}` },
	price,
	articleFields,
];

/** Update: every field optional, including a new article number. */
export const updateFieldsProperty = updateFieldsCollection([
	coding,
	active,
	{
		...articleNumberProperty,
		required: false,
		description: 'A new article number (at most 40 characters)',
	},
	name,
	price,
	unit,
]);

const fromUpdateFields = (f: IDataObject) => ({
	number: f.articleNumber,
	name: f.articleName,
	unitId: f.unitId,
	codingId: f.codingId,
	netPrice: f.price,
	isActive: f.isActive,
});

/** The article parameters of one item, with the keys of checkArticleInput. */
export function readArticleParameters(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	return fromUpdateFields({
		articleNumber: ctx.getNodeParameter('articleNumber', i, ''),
		articleName: ctx.getNodeParameter('articleName', i, ''),
		unitId: ctx.getNodeParameter('unitId', i, ''),
		codingId: ctx.getNodeParameter('codingId', i, ''),
		price: ctx.getNodeParameter('price', i, ''),
		...(ctx.getNodeParameter('articleFields', i, {}) as IDataObject),
	} as IDataObject);
}

/** Update Fields of one item, with the keys of checkArticleInput. */
export function readArticleUpdate(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	return fromUpdateFields(ctx.getNodeParameter('updateFields', i, {}) as IDataObject);
}

/**
 * Checks one item's article. A unit or coding given by name is looked up once per execution
 * (reference data is memoized), not per item.
 */
export async function readArticle(
	ctx: IExecuteFunctions,
	c: Checker,
	i: number,
	client: VismaClient,
	forCreate: boolean,
): Promise<ArticleInput> {
	const input = checkArticleInput(
		c,
		await resolveUnitAndCoding(client, c, readArticleParameters(ctx, i)),
	);
	if (forCreate) checkArticleCreatable(c, input);
	return input;
}

/** Ensure Default Article; Export Invoice as Draft shows the same fields. */
export const defaultArticleFields: INodeProperties[] = [
	{
		displayName: 'Article Number',
		name: 'defaultArticleNumber',
		type: 'string',
		required: true,
		default: 'DEFAULT',
		description:
			'Number of the default article. It is created the first time and reused afterwards.',
	},
	{
		displayName: 'Article Name',
		name: 'defaultArticleName',
		type: 'string',
		default: 'Other',
		description: 'Name of the default article when it is created (at most 50 characters)',
	},
	{
		displayName: 'Unit Name or ID',
		name: 'defaultArticleUnitId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUnits' },
		default: '',
		description:
			'Unit of the default article when it is created. Empty: the company\'s pieces unit (such as st, stk or pcs), or its first unit if it has none. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Account Coding Name or ID',
		name: 'defaultArticleCodingId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAccountCodings' },
		default: '',
		description:
			'Account coding of the default article when it is created; it decides the VAT rate and revenue account. Empty: the company\'s goods coding at the standard VAT rate (such as Varor 25 %), or its first active coding if it has none. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Price',
		name: 'defaultArticlePrice',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0',
		description: 'Optional price excluding VAT of the default article when it is created',
	},
];

export function readDefaultArticle(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	return {
		number: ctx.getNodeParameter('defaultArticleNumber', i, ''),
		name: ctx.getNodeParameter('defaultArticleName', i, ''),
		unitId: ctx.getNodeParameter('defaultArticleUnitId', i, ''),
		codingId: ctx.getNodeParameter('defaultArticleCodingId', i, ''),
		netPrice: ctx.getNodeParameter('defaultArticlePrice', i, ''),
	};
}

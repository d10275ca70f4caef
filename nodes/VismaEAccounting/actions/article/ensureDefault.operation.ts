import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { ensureArticles } from '../../services/articles';
import type { VismaClient } from '../../transport';
import { emitOutcomes, checkEachItem } from '../common/items';

export const defaultArticleFields: INodeProperties[] = [
	{
		displayName: 'Article Number',
		name: 'defaultArticleNumber',
		type: 'string',
		required: true,
		default: 'DEFAULT',
		description: 'Number of the default article. It is created the first time and reused afterwards.',
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

export const description = updateDisplayOptions(
	{ show: { resource: ['article'], operation: ['ensureDefault'] } },
	defaultArticleFields,
);

export function readDefaultArticle(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	return {
		number: ctx.getNodeParameter('defaultArticleNumber', i, ''),
		name: ctx.getNodeParameter('defaultArticleName', i, ''),
		unitId: ctx.getNodeParameter('defaultArticleUnitId', i, ''),
		codingId: ctx.getNodeParameter('defaultArticleCodingId', i, ''),
		netPrice: ctx.getNodeParameter('defaultArticlePrice', i, ''),
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const { requests, invalid } = await checkEachItem(this, items, (c, i) => ({
		input: checkArticleInput(c, readDefaultArticle(this, i)),
	}));
	const outcomes = await ensureArticles(client, requests);
	return emitOutcomes(this, items.length, invalid, requests, outcomes, ({ article, outcome, chosenAutomatically }) => ({
		...article,
		outcome,
		...(chosenAutomatically ? { chosenAutomatically: chosenAutomatically as IDataObject } : {}),
	}));
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkArticleInput } from '../../domain/article';
import { ensureArticles } from '../../services/ensureArticles';
import type { VismaClient } from '../../transport';
import { checkEachItem, emitOutcomes } from '../shared/items';
import type { OperationOption } from '../shared/types';
import { defaultArticleFields, readDefaultArticle } from './fields';

export const option: OperationOption = {
	name: 'Ensure Default Article',
	description:
		'Return the article with the default article number, creating it the first time. Rows without a known article use it.',
	action: 'Ensure the default article exists',
};

export const description = defaultArticleFields;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const { requests, invalid } = await checkEachItem(this, items, (c, i) => ({
		input: checkArticleInput(c, readDefaultArticle(this, i)),
	}));
	const outcomes = await ensureArticles(client, requests);
	return emitOutcomes(
		this,
		items.length,
		invalid,
		requests,
		outcomes,
		({ article, outcome, chosenAutomatically }) => ({
			...article,
			outcome,
			...(chosenAutomatically ? { chosenAutomatically: chosenAutomatically as IDataObject } : {}),
		}),
	);
}

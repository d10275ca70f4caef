import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkArticleNumber } from '../../domain/article';
import { Checker } from '../../domain/check';
import { findArticlesByNumber } from '../../services/ensureArticles';
import type { ItemError } from '../../services/outcome';
import { itemError, problemsError } from '../../services/outcome';
import type { VismaClient } from '../../transport';
import { errorItem, toItems } from '../shared/items';
import type { OperationOption } from '../shared/types';
import { articleNumberProperty } from './fields';

export const option: OperationOption = {
	name: 'Find by Number',
	description: 'Find an article by its article number',
	action: 'Find an article by number',
};

const properties: INodeProperties[] = [
	articleNumberProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Error If Not Found',
				name: 'errorIfNotFound',
				type: 'boolean',
				default: false,
				description: 'Whether a missing article fails the item. Off: the item produces no output.',
			},
		],
	},
];

export const description = properties;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const numbers: Array<string | undefined> = [];
	const invalid = new Map<number, ItemError>();
	for (let i = 0; i < items.length; i++) {
		const c = new Checker();
		numbers.push(checkArticleNumber(c, this.getNodeParameter('articleNumber', i)));
		if (!c.ok) invalid.set(i, problemsError(this.getNode(), c.problems, i));
	}
	// One batched look-up for every item's number.
	const found = await findArticlesByNumber(
		client,
		numbers.filter((n): n is string => !!n),
	);

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		let error = invalid.get(i);
		const article = numbers[i] ? found.get(numbers[i]!.toLowerCase()) : undefined;
		if (
			!error &&
			!article &&
			(this.getNodeParameter('options', i, {}) as IDataObject).errorIfNotFound
		) {
			error = itemError(
				this.getNode(),
				`Article number ${numbers[i]} is not in eAccounting`,
				i,
				'Check the number, or turn off "Error If Not Found" to continue without output.',
			);
		}
		if (error) {
			if (!this.continueOnFail()) throw error;
			out.push(errorItem(error, i));
		} else if (article) {
			out.push(...toItems(this, article as IDataObject, i));
		}
	}
	return out;
}

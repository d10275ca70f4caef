import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as create from './create.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as ensureDefault from './ensureDefault.operation';
import * as findByNumber from './findByNumber.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: OperationMap = { create, createOrUpdate, ensureDefault, findByNumber, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['article'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a new article from number, name, unit, account coding and price; fails if the article number already exists. Returns the article with its ID.',
				action: 'Create an article',
			},
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description:
					'Create an article, or update the one with the same article number (for CSV imports and syncing). Returns the article and whether it was created, updated or unchanged.',
				action: 'Create or update an article',
			},
			{
				name: 'Ensure Default Article',
				value: 'ensureDefault',
				description:
					'Return the article with the default article number, creating it the first time. Rows without a known article use it.',
				action: 'Ensure the default article exists',
			},
			{
				name: 'Find by Number',
				value: 'findByNumber',
				description: 'Find an article by its article number',
				action: 'Find an article by number',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one article by ID or article number',
				action: 'Get an article',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List articles, optionally filtered by name, article number, active state or last change. Returns one item per article.',
				action: 'Get many articles',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change fields of an article found by ID or article number; fields not given stay as they are. eAccounting cannot delete articles: turn Active off instead.',
				action: 'Update an article',
			},
		],
		default: 'ensureDefault',
	},
	...create.description,
	...createOrUpdate.description,
	...ensureDefault.description,
	...findByNumber.description,
	...get.description,
	...getAll.description,
	...update.description,
];

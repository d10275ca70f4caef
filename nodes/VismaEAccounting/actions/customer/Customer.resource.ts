import type { INodeProperties } from 'n8n-workflow';

import type { OperationMap } from '../common/types';
import * as create from './create.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as deleteCustomer from './delete.operation';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: OperationMap = {
	create,
	createOrUpdate,
	delete: deleteCustomer,
	findOrCreate,
	get,
	getAll,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a new customer from name, postal code, city and optional fields; fails if the customer number already exists. Returns the customer with its ID and number.',
				action: 'Create a customer',
			},
			{
				name: 'Create or Update',
				value: 'createOrUpdate',
				description:
					'Create a customer, or update the one with the same customer number (for CSV imports and syncing). Returns the customer and whether it was created, updated or unchanged.',
				action: 'Create or update a customer',
			},
			{
				name: 'Delete',
				value: 'delete',
				description:
					'Delete a customer by ID or customer number. A customer with invoices or drafts cannot be deleted; deactivate it with Update instead.',
				action: 'Delete a customer',
			},
			{
				name: 'Find or Create',
				value: 'findOrCreate',
				description: 'Find a customer by customer number, or create it if no customer has that number',
				action: 'Find or create a customer',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one customer by ID or customer number',
				action: 'Get a customer',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'List customers, optionally filtered by name, customer number, active state or last change. Returns one item per customer.',
				action: 'Get many customers',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change fields of a customer found by ID or customer number; fields not given stay as they are. Use Active off to deactivate.',
				action: 'Update a customer',
			},
		],
		default: 'findOrCreate',
	},
	...create.description,
	...createOrUpdate.description,
	...deleteCustomer.description,
	...findOrCreate.description,
	...get.description,
	...getAll.description,
	...update.description,
];

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkCustomerInput } from '../../domain/customer';
import type { CustomerRequest } from '../../services/findOrCreateCustomers';
import { findOrCreateCustomers } from '../../services/findOrCreateCustomers';
import type { VismaClient } from '../../transport';
import { checkEachItem, emitOutcomes } from '../shared/items';
import type { OperationOption } from '../shared/types';
import {
	customerAdditionalFields,
	customerCoreProperties,
	customerNumberProperty,
	ifInactiveOption,
	readCustomerParameters,
	readIfInactive,
} from './fields';

export const option: OperationOption = {
	name: 'Find or Create',
	description: 'Find a customer by customer number, or create it if no customer has that number',
	action: 'Find or create a customer',
};

const properties: INodeProperties[] = [
	customerNumberProperty,
	...customerCoreProperties,
	customerAdditionalFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			ifInactiveOption,
			{
				displayName: 'Update Existing Customer',
				name: 'updateExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether to update a customer that already exists with the fields given here when they differ. Off: an existing customer is used as it is.',
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
	const { requests, invalid } = await checkEachItem(
		this,
		items,
		(c, i): Omit<CustomerRequest, 'itemIndex'> => {
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			return {
				input: checkCustomerInput(c, readCustomerParameters(this, i)),
				updateExisting: options.updateExisting === true,
				ifInactive: readIfInactive(options),
			};
		},
	);
	const outcomes = await findOrCreateCustomers(client, requests);
	return emitOutcomes(
		this,
		items.length,
		invalid,
		requests,
		outcomes,
		({ customer, outcome, changed, inactive }) => ({
			...customer,
			outcome,
			...(changed ? { changedFields: changed } : {}),
			...(inactive ? { inactive } : {}),
		}),
	);
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../domain/check';
import { checkCustomerInput } from '../../domain/customer';
import type { CustomerRequest } from '../../services/customers';
import { findOrCreateCustomers } from '../../services/customers';
import { problemsError } from '../../services/outcome';
import type { VismaClient } from '../../transport';
import {
	customerAdditionalFields,
	customerCoreProperties,
	customerNumberProperty,
	readCustomerParameters,
} from '../common/customerFields';
import { emitOutcomes, stopOnInvalid } from '../common/items';

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

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['findOrCreate'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const requests: CustomerRequest[] = [];
	const invalid = new Map<number, ReturnType<typeof problemsError>>();
	for (let i = 0; i < items.length; i++) {
		const c = new Checker();
		const input = checkCustomerInput(c, readCustomerParameters(this, i));
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		if (!c.ok) invalid.set(i, problemsError(this.getNode(), c.problems, i));
		else requests.push({ itemIndex: i, input, updateExisting: options.updateExisting === true });
	}
	stopOnInvalid(this, invalid);
	const outcomes = await findOrCreateCustomers(client, requests);
	return emitOutcomes(this, items.length, invalid, requests, outcomes, ({ customer, outcome, changed }) => ({
		...customer,
		outcome,
		...(changed ? { changedFields: changed } : {}),
	}));
}

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { checkCustomerInput } from '../../domain/customer';
import { findOrCreateCustomers } from '../../services/findOrCreateCustomers';
import { batchOperation } from '../shared/operations';
import {
	customerAdditionalFields,
	customerCoreProperties,
	customerNumberProperty,
	ifInactiveOption,
	readCustomerParameters,
	readIfInactive,
} from './fields';

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

export const { option, description, execute } = batchOperation({
	option: {
		name: 'Find or Create',
		description: 'Find a customer by customer number, or create it if no customer has that number',
		action: 'Find or create a customer',
	},
	properties,
	read: (ctx, c, i) => {
		const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
		return {
			input: checkCustomerInput(c, readCustomerParameters(ctx, i)),
			updateExisting: options.updateExisting === true,
			ifInactive: readIfInactive(options),
		};
	},
	run: async (client, requests) =>
		await findOrCreateCustomers(
			client,
			requests.map(({ itemIndex, input }) => ({ itemIndex, ...input })),
		),
	toJson: (_ctx, { customer, outcome, changed, inactive }) => ({
		...customer,
		outcome,
		...(changed ? { changedFields: changed } : {}),
		...(inactive ? { inactive } : {}),
	}),
});

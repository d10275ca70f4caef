import type { IDataObject } from 'n8n-workflow';

import { checkCustomerInput } from '../../domain/customer';
import type { VismaCustomer } from '../../domain/visma';
import { CUSTOMER } from '../../records/customer';
import { updateCustomer } from '../../services/writeCustomers';
import { recordLocator } from '../shared/fields';
import { updateOperation } from '../shared/operations';
import { updateFieldsProperty } from './fields';

export const { option, description, execute } = updateOperation(CUSTOMER, {
	option: {
		name: 'Update',
		description:
			'Change fields of a customer found by ID or customer number; fields not given stay as they are. Use Active off to deactivate.',
		action: 'Update a customer',
	},
	properties: [
		recordLocator(
			CUSTOMER,
			'The customer to change: pick it from the list, or give its ID or customer number',
		),
		updateFieldsProperty,
	],
	read: async (ctx, c, i) =>
		checkCustomerInput(c, ctx.getNodeParameter('updateFields', i, {}) as IDataObject, false),
	apply: async (client, existing: VismaCustomer, input, i) => {
		const { customer, changed } = await updateCustomer(client, existing, input, i);
		return { ...customer, changedFields: changed } as IDataObject;
	},
});

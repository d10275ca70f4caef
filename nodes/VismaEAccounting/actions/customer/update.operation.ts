import type { IDataObject } from 'n8n-workflow';

import { checkCustomerInput } from '../../domain/customer';
import type { VismaCustomer } from '../../domain/visma';
import { updateCustomer } from '../../services/customerRecords';
import { customerLocator } from '../common/descriptions';
import { updateOperation } from '../common/recordOperations';
import { CUSTOMER } from '../common/records';
import { updateFieldsProperty } from './fields';

export const { description, execute } = updateOperation({
	resource: 'customer',
	type: CUSTOMER,
	properties: [
		customerLocator('The customer to change: pick it from the list, or give its ID or customer number'),
		updateFieldsProperty,
	],
	read: async (ctx, c, i) => checkCustomerInput(c, ctx.getNodeParameter('updateFields', i, {}) as IDataObject, false),
	apply: async (client, existing: VismaCustomer, input, i) => {
		const { customer, changed } = await updateCustomer(client, existing, input, i);
		return { ...customer, changedFields: changed } as IDataObject;
	},
});

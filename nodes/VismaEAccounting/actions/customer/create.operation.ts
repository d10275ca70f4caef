import type { IDataObject } from 'n8n-workflow';

import { checkCreatable, checkCustomerInput } from '../../domain/customer';
import { createCustomers } from '../../services/writeCustomers';
import { batchOperation } from '../shared/operations';
import { createProperties, readCustomerParameters } from './fields';

export const { option, description, execute } = batchOperation({
	option: {
		name: 'Create',
		description:
			'Create a new customer from name, postal code, city and optional fields; fails if the customer number already exists. Returns the customer with its ID and number.',
		action: 'Create a customer',
	},
	properties: createProperties,
	read: (ctx, c, i) => {
		const input = checkCustomerInput(c, readCustomerParameters(ctx, i), false);
		checkCreatable(c, input);
		return input;
	},
	run: createCustomers,
	toJson: (_ctx, { customer }) => customer as IDataObject,
});

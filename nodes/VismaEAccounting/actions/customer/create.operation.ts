import type { IDataObject } from 'n8n-workflow';

import { checkCreatable, checkCustomerInput } from '../../domain/customer';
import { createCustomers } from '../../services/customerRecords';
import { readCustomerParameters } from '../common/customerFields';
import { batchOperation } from '../common/recordOperations';
import { createProperties } from './fields';

export const { description, execute } = batchOperation({
	resource: 'customer',
	operation: 'create',
	properties: createProperties,
	read: (ctx, c, i) => {
		const input = checkCustomerInput(c, readCustomerParameters(ctx, i), false);
		checkCreatable(c, input);
		return input;
	},
	run: createCustomers,
	toJson: (_ctx, { customer }) => customer as IDataObject,
});

import { checkCustomerInput } from '../../domain/customer';
import { findOrCreateCustomers } from '../../services/customers';
import { readCustomerParameters } from '../common/customerFields';
import { batchOperation } from '../common/recordOperations';
import { createOrUpdateProperties } from './fields';

/**
 * Matched by customer number, for imports: one batched look-up for all items' numbers, a POST
 * per new number and a PUT per customer whose fields differ.
 */
export const { description, execute } = batchOperation({
	resource: 'customer',
	operation: 'createOrUpdate',
	properties: createOrUpdateProperties,
	read: (ctx, c, i) => checkCustomerInput(c, readCustomerParameters(ctx, i)),
	run: async (client, requests) =>
		await findOrCreateCustomers(
			client,
			requests.map((r) => ({ ...r, updateExisting: true })),
		),
	toJson: (_ctx, { customer, outcome, changed }) => ({
		...customer,
		// Create or Update finds a customer only to compare it: nothing to change.
		outcome: outcome === 'found' ? 'unchanged' : outcome,
		...(changed ? { changedFields: changed } : {}),
	}),
});

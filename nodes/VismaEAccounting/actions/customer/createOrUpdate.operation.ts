import { checkCustomerInput } from '../../domain/customer';
import { findOrCreateCustomers } from '../../services/findOrCreateCustomers';
import { batchOperation } from '../shared/operations';
import { createOrUpdateProperties, readCustomerParameters } from './fields';

/**
 * Matched by customer number, for imports: one batched look-up for all items' numbers, a POST
 * per new number and a PUT per customer whose fields differ.
 */
export const { option, description, execute } = batchOperation({
	option: {
		name: 'Create or Update',
		description:
			'Create a customer, or update the one with the same customer number (for CSV imports and syncing). Returns the customer and whether it was created, updated or unchanged.',
		action: 'Create or update a customer',
	},
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

import type { CustomerInput } from '../domain/customer';
import { mergeCustomerUpdate } from '../domain/customer';
import type { VismaCustomer } from '../domain/visma';
import type { VismaClient } from '../transport';
import { CUSTOMER } from '../records/customer';
import type { CustomerResult } from './findOrCreateCustomers';
import { createCustomer, findOrCreateCustomers } from './findOrCreateCustomers';
import type { Outcome } from './outcome';
import { failure } from './outcome';
import { alreadyExists, putRecord } from './getRecords';

/**
 * Customer > Create. A number must be new: numbered items go through the batched look-up of
 * Find or Create, and a number that exists fails its item instead of being reused. An empty
 * number lets eAccounting take the next one from the company's series.
 */
export async function createCustomers(
	client: VismaClient,
	requests: Array<{ itemIndex: number; input: CustomerInput }>,
): Promise<Array<Outcome<CustomerResult>>> {
	const numbered = requests.filter((r) => r.input.customerNumber);
	const found = await findOrCreateCustomers(
		client,
		numbered.map((r) => ({ ...r, updateExisting: false })),
	);
	const byRequest = new Map(numbered.map((r, k) => [r, found[k]]));
	const results: Array<Outcome<CustomerResult>> = [];
	for (const request of requests) {
		const outcome = byRequest.get(request) ?? (await createCustomer(client, request));
		results.push(
			outcome.ok && outcome.value.outcome !== 'created'
				? failure(
						alreadyExists(client.node, CUSTOMER, request.input.customerNumber, request.itemIndex),
					)
				: outcome,
		);
	}
	return results;
}

/**
 * PUTs the fetched customer with the given fields laid over it (PUT replaces the whole record),
 * or nothing when nothing differs.
 */
export async function updateCustomer(
	client: VismaClient,
	existing: VismaCustomer,
	input: CustomerInput,
	itemIndex: number,
): Promise<{ customer: VismaCustomer; changed: string[] }> {
	const { body, changed } = mergeCustomerUpdate(existing, input);
	if (changed.length === 0) return { customer: existing, changed };
	const customer = await putRecord<VismaCustomer>(client, CUSTOMER, {
		id: existing.Id,
		body,
		referenceDataIds: { termsOfPaymentId: input.termsOfPaymentId },
		itemIndex,
	});
	return { customer, changed };
}

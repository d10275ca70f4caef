import { Checker } from '../domain/check';
import type { CustomerInput } from '../domain/customer';
import { checkCreatable, customerCreateBody, mergeCustomer } from '../domain/customer';
import type { VismaCustomer } from '../domain/visma';
import type { VismaClient } from '../transport';
import { readFailure, resourcePath, withKeys } from '../transport';
import type { Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';
import { checkReferences, companySettings } from './reference';

export type CustomerOutcome = 'found' | 'created' | 'updated';

export interface CustomerRequest {
	itemIndex: number;
	input: CustomerInput;
	/** Update the existing customer from the input when fields differ. */
	updateExisting: boolean;
}

export interface CustomerResult {
	customer: VismaCustomer;
	outcome: CustomerOutcome;
	changed?: string[];
}

const numberKey = (n: string) => n.toLowerCase();

export async function findCustomersByNumber(
	client: VismaClient,
	numbers: Iterable<string>,
): Promise<Map<string, VismaCustomer>> {
	const found = await client.findIn<VismaCustomer>('/customers', 'CustomerNumber', 'string', numbers);
	return new Map(found.map((c) => [numberKey(c.CustomerNumber), c]));
}

async function findOne(client: VismaClient, number: string): Promise<VismaCustomer | undefined> {
	return (await findCustomersByNumber(client, [number])).get(numberKey(number));
}

/**
 * Finds each customer by number, creating the ones that don't exist: one batched look-up for
 * all items, one POST per new number however many items share it. A number that exists is
 * never created again: parallel executions in this process wait on a lock per number, and a
 * create that loses a race elsewhere gets Visma's duplicate error and picks up the winner.
 */
export async function findOrCreateCustomers(
	client: VismaClient,
	requests: CustomerRequest[],
): Promise<Array<Outcome<CustomerResult>>> {
	const node = client.node;
	const numbers = [...new Set(requests.map((r) => r.input.customerNumber))];
	const lockKeys = numbers.map((n) => `${client.scope}|customer|${numberKey(n)}`);

	return await withKeys(lockKeys, async () => {
		const known = await findCustomersByNumber(client, numbers);
		const created = new Map<string, Outcome<CustomerResult>>();
		const results: Array<Outcome<CustomerResult>> = [];

		for (const request of requests) {
			const { input, itemIndex } = request;
			const key = numberKey(input.customerNumber);
			try {
				const existing = known.get(key);
				if (existing) {
					if (!request.updateExisting) {
						results.push(success({ customer: existing, outcome: 'found' }));
						continue;
					}
					const { body, changed } = mergeCustomer(existing, input);
					if (changed.length === 0) {
						results.push(success({ customer: existing, outcome: 'found' }));
						continue;
					}
					const problems = await checkReferences(client, { termsOfPaymentId: input.termsOfPaymentId });
					if (problems.length) {
						results.push(failure(problemsError(node, problems, itemIndex)));
						continue;
					}
					const updated = await client.request<VismaCustomer>({
						method: 'PUT',
						path: resourcePath('customers', existing.Id),
						body,
						action: 'customer update',
						itemIndex,
					});
					known.set(key, updated);
					results.push(success({ customer: updated, outcome: 'updated', changed }));
					continue;
				}

				const earlier = created.get(key);
				if (earlier) {
					results.push(
						earlier.ok
							? success({ customer: earlier.value.customer, outcome: 'found' })
							: failure(forItem(node, earlier.error, itemIndex)),
					);
					continue;
				}
				const outcome = await createCustomer(client, request);
				created.set(key, outcome);
				if (outcome.ok) known.set(key, outcome.value.customer);
				results.push(outcome);
			} catch (error) {
				results.push(failure(asItemError(node, error, itemIndex)));
			}
		}
		return results;
	});
}

async function createCustomer(
	client: VismaClient,
	{ input, itemIndex }: CustomerRequest,
): Promise<Outcome<CustomerResult>> {
	const c = new Checker();
	checkCreatable(c, input);
	c.problems.push(...(await checkReferences(client, { termsOfPaymentId: input.termsOfPaymentId })));
	if (!c.ok) return failure(problemsError(client.node, c.problems, itemIndex));

	const defaultTerms = input.termsOfPaymentId ?? (await companySettings(client)).TermsOfPaymentId ?? '';
	const body = customerCreateBody(input, defaultTerms);
	try {
		const customer = await client.request<VismaCustomer>({
			method: 'POST',
			path: '/customers',
			body,
			action: 'customer',
			itemIndex,
			// A lost answer: the customer number is unique, so a look-up tells whether it was created.
			verify: async () => await findOne(client, input.customerNumber),
		});
		return success({ customer, outcome: 'created' });
	} catch (error) {
		// Another process created the same number first (Visma's duplicate error): use theirs.
		if (readFailure(error).body?.ErrorCode === 4000) {
			const winner = await findOne(client, input.customerNumber);
			if (winner) return success({ customer: winner, outcome: 'found' });
		}
		return failure(asItemError(client.node, error, itemIndex));
	}
}

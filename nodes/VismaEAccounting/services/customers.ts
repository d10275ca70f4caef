import { Checker } from '../domain/check';
import type { CustomerInput } from '../domain/customer';
import { checkCreatable, customerCreateBody, mergeCustomer } from '../domain/customer';
import type { VismaCustomer } from '../domain/visma';
import type { VismaClient } from '../transport';
import { isRefusal, mapPool, readFailure, resourcePath, withKeys } from '../transport';
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

/** Customers written at once; distinct numbers are independent of each other. */
const WRITE_CONCURRENCY = 8;

/**
 * Finds each customer by number, creating the ones that don't exist: one batched look-up for
 * all items, one POST per new number however many items share it. A number that exists is
 * never created again: parallel executions in this process wait on a lock per number, and a
 * create that loses a race elsewhere gets Visma's duplicate error and picks up the winner.
 * Items sharing a number are handled in input order; different numbers run in parallel.
 */
export async function findOrCreateCustomers(
	client: VismaClient,
	requests: CustomerRequest[],
): Promise<Array<Outcome<CustomerResult>>> {
	const byNumber = new Map<string, number[]>();
	requests.forEach((r, k) => {
		const key = numberKey(r.input.customerNumber);
		byNumber.set(key, [...(byNumber.get(key) ?? []), k]);
	});
	const lockKeys = [...byNumber.keys()].map((key) => `${client.scope}|customer|${key}`);

	return await withKeys(lockKeys, async () => {
		const known = await findCustomersByNumber(
			client,
			requests.map((r) => r.input.customerNumber),
		);
		const results = new Array<Outcome<CustomerResult>>(requests.length);
		await mapPool([...byNumber.entries()], WRITE_CONCURRENCY, async ([key, indexes]) => {
			let current = known.get(key);
			let createdBy: Outcome<CustomerResult> | undefined;
			for (const k of indexes) {
				results[k] = await resolveOne(client, requests[k], current, createdBy);
				if (results[k].ok) current = results[k].value.customer;
				else if (!current) createdBy = results[k];
			}
		});
		return results;
	});
}

/** One item: reuse, update or create its customer. `failedCreate` is an earlier item's failure. */
async function resolveOne(
	client: VismaClient,
	request: CustomerRequest,
	existing: VismaCustomer | undefined,
	failedCreate: Outcome<CustomerResult> | undefined,
): Promise<Outcome<CustomerResult>> {
	const { input, itemIndex } = request;
	const node = client.node;
	try {
		if (failedCreate && !failedCreate.ok) return failure(forItem(node, failedCreate.error, itemIndex));
		if (!existing) return await createCustomer(client, request);
		if (!request.updateExisting) return success({ customer: existing, outcome: 'found' });
		const { body, changed } = mergeCustomer(existing, input);
		if (changed.length === 0) return success({ customer: existing, outcome: 'found' });
		const problems = await checkReferences(client, { termsOfPaymentId: input.termsOfPaymentId });
		if (problems.length) return failure(problemsError(node, problems, itemIndex));
		const updated = await client.request<VismaCustomer>({
			method: 'PUT',
			path: resourcePath('customers', existing.Id),
			body,
			action: 'customer update',
			itemIndex,
		});
		return success({ customer: updated, outcome: 'updated', changed });
	} catch (error) {
		return failure(asItemError(node, error, itemIndex));
	}
}

/**
 * Creates one customer. With a number, a lost answer is checked by looking the number up; a
 * customer without a number can't be looked up, so its POST is never repeated blindly.
 */
export async function createCustomer(
	client: VismaClient,
	{ input, itemIndex }: Pick<CustomerRequest, 'input' | 'itemIndex'>,
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
			verify: input.customerNumber ? async () => await findOne(client, input.customerNumber) : undefined,
		});
		return success({ customer, outcome: 'created' });
	} catch (error) {
		// Refused: maybe another process created the same number first. Visma does not document
		// the duplicate error, so look instead of trusting a code; if it is there, use it.
		if (input.customerNumber && isRefusal(readFailure(error))) {
			const winner = await findOne(client, input.customerNumber);
			if (winner) return success({ customer: winner, outcome: 'found' });
		}
		return failure(asItemError(client.node, error, itemIndex));
	}
}

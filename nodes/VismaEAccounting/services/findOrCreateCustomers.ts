import type { INode, NodeOperationError } from 'n8n-workflow';

import { Checker } from '../domain/check';
import type { CustomerInput } from '../domain/customer';
import { checkCreatable, customerCreateBody, mergeCustomer } from '../domain/customer';
import type { VismaCustomer } from '../domain/visma';
import type { KeyWatch, VismaClient } from '../transport';
import { mapPool, resourcePath, watchKeys, withKeys } from '../transport';
import { CUSTOMER } from '../records/customer';
import { createUnique } from './createUnique';
import type { ItemError, Outcome } from './outcome';
import { asItemError, failure, forItem, itemError, problemsError, success } from './outcome';
import { checkReferenceDataIds, companySettings } from './referenceData';

export type CustomerOutcome = 'found' | 'created' | 'updated';

/** What to do with a found customer that is inactive in eAccounting. */
export type IfInactive = 'useAnyway' | 'reactivate' | 'fail';

export interface CustomerRequest {
	itemIndex: number;
	input: CustomerInput;
	/** Update the existing customer from the input when fields differ. */
	updateExisting: boolean;
	/** A found inactive customer: use it as it is (the default), reactivate it, or fail the item. */
	ifInactive?: IfInactive;
	/** Fields a customer created for this item gets unless the input says otherwise. */
	createDefaults?: Partial<CustomerInput>;
}

export interface CustomerResult {
	customer: VismaCustomer;
	outcome: CustomerOutcome;
	changed?: string[];
	/** The customer used is inactive in eAccounting (If Customer Is Inactive: Use Anyway). */
	inactive?: boolean;
}

const numberKey = (n: string) => n.toLowerCase();

export async function findCustomersByNumber(
	client: VismaClient,
	numbers: Iterable<string>,
): Promise<Map<string, VismaCustomer>> {
	const found = await client.findIn<VismaCustomer>(
		`/${CUSTOMER.path}`,
		CUSTOMER.key.field,
		CUSTOMER.key.kind,
		numbers,
	);
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
 * never created again: parallel executions in this process that create or change a number take
 * turns on a lock per number (see withCustomers), and a create that loses a race elsewhere gets Visma's duplicate error and picks up the winner.
 * Items sharing a number are handled in input order; different numbers run in parallel.
 */
export async function findOrCreateCustomers(
	client: VismaClient,
	requests: CustomerRequest[],
): Promise<Array<Outcome<CustomerResult>>> {
	return await withCustomers(
		client,
		requests,
		async (known) => await resolveCustomers(client, requests, known),
	);
}

/** A look-up of customers by number, with a watch on their locks started before it. */
export interface CustomerLook {
	watch: KeyWatch;
	known: Promise<Map<string, VismaCustomer>>;
}

const customerLockKey = (client: VismaClient, key: string) => `${client.scope}|customer|${key}`;

/** Starts looking up the requests' customers (see withCustomers). */
export function lookUpCustomers(client: VismaClient, requests: CustomerRequest[]): CustomerLook {
	const numbers = [...new Set(requests.map((r) => numberKey(r.input.customerNumber)))];
	const watch = watchKeys(numbers.map((key) => customerLockKey(client, key)));
	const known = findCustomersByNumber(
		client,
		requests.map((r) => r.input.customerNumber),
	);
	// Awaited by withCustomers, or not at all when nothing needs it.
	known.catch(() => undefined);
	return { watch, known };
}

/**
 * Runs `fn` with the customers that exist (one batched look-up), by lower-case number, holding
 * this process's locks on the numbers that must be created or changed: no parallel execution in
 * this process writes one of those meanwhile. Customers that exist and need no change are used
 * without a lock, so the executions of a burst for the same customers share their look-ups
 * instead of taking turns. A number whose lock changed hands since the look began (another
 * execution here may have created or changed it) is looked at again under its lock. `look` is
 * a look-up already started for these requests' customers (it may cover more).
 */
export async function withCustomers<T>(
	client: VismaClient,
	requests: CustomerRequest[],
	fn: (known: Map<string, VismaCustomer>) => Promise<T>,
	look: CustomerLook = lookUpCustomers(client, requests),
): Promise<T> {
	const lockKey = (key: string) => customerLockKey(client, key);
	const numbers = [...new Set(requests.map((r) => numberKey(r.input.customerNumber)))];
	const { watch } = look;
	try {
		const known = new Map(await look.known);
		const writing = numbers.filter((key) =>
			requests.some((r) => numberKey(r.input.customerNumber) === key && writes(r, known.get(key))),
		);
		if (writing.length === 0) return await fn(known);
		return await withKeys(writing.map(lockKey), async () => {
			watch.stop();
			const stale = new Set(writing.filter((key) => watch.changed.has(lockKey(key))));
			if (stale.size > 0) {
				const again = await findCustomersByNumber(
					client,
					requests.map((r) => r.input.customerNumber).filter((n) => stale.has(numberKey(n))),
				);
				for (const key of stale) {
					const customer = again.get(key);
					if (customer) known.set(key, customer);
					else known.delete(key);
				}
			}
			return await fn(known);
		});
	} finally {
		watch.stop();
	}
}

/** Whether a request creates or changes its customer (when nothing stops it). */
const writes = (request: CustomerRequest, existing: VismaCustomer | undefined) =>
	!existing || updateOf(request, existing).changed.length > 0;

/**
 * Uses, updates or creates each request's customer, given the customers found (`known`). Run
 * inside withCustomers.
 */
export async function resolveCustomers(
	client: VismaClient,
	requests: CustomerRequest[],
	known: Map<string, VismaCustomer>,
): Promise<Array<Outcome<CustomerResult>>> {
	const byNumber = new Map<string, number[]>();
	requests.forEach((r, k) => {
		const key = numberKey(r.input.customerNumber);
		byNumber.set(key, [...(byNumber.get(key) ?? []), k]);
	});
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
}

/**
 * Why a request's customer can be neither used nor created, decided before anything is written
 * (undefined when it can): an inactive customer with If Customer Is Inactive set to Fail, a
 * new customer without the fields Visma needs, an update Visma would refuse (terms of payment
 * that do not exist, reverse-charge construction VAT without a VAT number).
 */
export async function customerBlocker(
	client: VismaClient,
	request: CustomerRequest,
	existing: VismaCustomer | undefined,
): Promise<ItemError | undefined> {
	const { itemIndex } = request;
	if (!existing) {
		const problems = await creatableProblems(client, forCreate(request));
		return problems.length ? problemsError(client.node, problems, itemIndex) : undefined;
	}
	if (existing.IsActive === false && request.ifInactive === 'fail')
		return inactiveError(client.node, existing, itemIndex);
	const update = updateOf(request, existing);
	if (update.changed.length === 0) return undefined;
	const problems = await updateProblems(client, request, existing, update.body);
	return problems.length ? problemsError(client.node, problems, itemIndex) : undefined;
}

/**
 * The customer a draft would be planned for before anything is written: the one found (with
 * its update laid over it), or the one that would be created.
 */
export function prospectiveCustomer(
	request: CustomerRequest,
	existing: VismaCustomer | undefined,
): VismaCustomer {
	if (existing) return { ...existing, ...updateOf(request, existing).body } as VismaCustomer;
	const input = forCreate(request);
	return {
		...customerCreateBody(input, ''),
		Id: '',
		CustomerNumber: input.customerNumber,
		Name: input.name ?? '',
	} as VismaCustomer;
}

/** What stops a customer from being created: missing fields, terms of payment that do not exist. */
async function creatableProblems(client: VismaClient, input: CustomerInput) {
	const c = new Checker();
	checkCreatable(c, input);
	return [
		...c.problems,
		...(await checkReferenceDataIds(client, { termsOfPaymentId: input.termsOfPaymentId })),
	];
}

/**
 * What a found customer's PUT would hold: the input laid over it with Update Existing Customer,
 * IsActive when it is reactivated; `changed` is empty when nothing is to be written.
 */
function updateOf(
	request: CustomerRequest,
	existing: VismaCustomer,
): { body: Record<string, unknown>; changed: string[] } {
	const reactivate = existing.IsActive === false && request.ifInactive === 'reactivate';
	if (!request.updateExisting && !reactivate) return { body: existing, changed: [] };
	// Reactivating alone changes only IsActive; with Update Existing Customer the fields too.
	return mergeCustomer(existing, {
		...(request.updateExisting ? request.input : { customerNumber: request.input.customerNumber }),
		...(reactivate ? { isActive: true } : {}),
	});
}

/** What Visma would refuse in a customer's update. */
async function updateProblems(
	client: VismaClient,
	request: CustomerRequest,
	existing: VismaCustomer,
	body: Record<string, unknown>,
) {
	const problems = request.updateExisting
		? await checkReferenceDataIds(client, { termsOfPaymentId: request.input.termsOfPaymentId })
		: [];
	if (body.ReverseChargeOnConstructionServices === true && !body.VatNumber) {
		problems.push({
			field: 'VAT Number',
			message: `is required for reverse-charge construction VAT, and customer ${existing.CustomerNumber} has none (Visma needs it)`,
		});
	}
	return problems;
}

/** One item: reuse, update or create its customer. `failedCreate` is an earlier item's failure. */
async function resolveOne(
	client: VismaClient,
	request: CustomerRequest,
	existing: VismaCustomer | undefined,
	failedCreate: Outcome<CustomerResult> | undefined,
): Promise<Outcome<CustomerResult>> {
	const { itemIndex } = request;
	const node = client.node;
	try {
		if (failedCreate && !failedCreate.ok)
			return failure(forItem(node, failedCreate.error, itemIndex));
		const blocked = await customerBlocker(client, request, existing);
		if (blocked) return failure(blocked);
		if (!existing) return await createCustomer(client, { itemIndex, input: forCreate(request) });
		const { body, changed } = updateOf(request, existing);
		if (changed.length === 0) return success(foundResult(existing));
		const updated = await client.request<VismaCustomer>({
			method: 'PUT',
			path: resourcePath(CUSTOMER.path, existing.Id),
			body,
			action: 'customer update',
			itemIndex,
		});
		return success({
			customer: updated,
			outcome: 'updated',
			changed,
			...(updated.IsActive === false ? { inactive: true } : {}),
		});
	} catch (error) {
		return failure(asItemError(node, error, itemIndex));
	}
}

/** The input of a customer to create: the item's fields, then the defaults its draft asks for. */
function forCreate({ input, createDefaults }: CustomerRequest): CustomerInput {
	const complete: Record<string, unknown> = { ...input };
	for (const [key, value] of Object.entries(createDefaults ?? {}))
		if (complete[key] === undefined) complete[key] = value;
	return complete as unknown as CustomerInput;
}

/** A found customer as it is, flagged when it is inactive. */
const foundResult = (customer: VismaCustomer): CustomerResult =>
	customer.IsActive === false
		? { customer, outcome: 'found', inactive: true }
		: { customer, outcome: 'found' };

/** If Customer Is Inactive: Fail. Raised before anything is written for the item. */
function inactiveError(
	node: INode,
	customer: VismaCustomer,
	itemIndex: number,
): NodeOperationError {
	return itemError(
		node,
		`Customer number ${customer.CustomerNumber} (${customer.Name}) is inactive in eAccounting`,
		itemIndex,
		'Reactivate the customer in eAccounting, or set the option If Customer Is Inactive to Use Anyway or Reactivate. Nothing was written for this item.',
	);
}

/**
 * Creates one customer. With a number, a lost answer is checked by looking the number up; a
 * customer without a number can't be looked up, so its POST is never repeated blindly.
 */
export async function createCustomer(
	client: VismaClient,
	{ input, itemIndex }: Pick<CustomerRequest, 'input' | 'itemIndex'>,
): Promise<Outcome<CustomerResult>> {
	const problems = await creatableProblems(client, input);
	if (problems.length) return failure(problemsError(client.node, problems, itemIndex));

	const defaultTerms =
		input.termsOfPaymentId ?? (await companySettings(client)).TermsOfPaymentId ?? '';
	const body = customerCreateBody(input, defaultTerms);
	try {
		const { record, created } = await createUnique(client, {
			path: `/${CUSTOMER.path}`,
			body,
			action: 'customer',
			itemIndex,
			// Without a number there is nothing to look by.
			find: input.customerNumber
				? async () => await findOne(client, input.customerNumber)
				: undefined,
		});
		return success({ customer: record, outcome: created ? 'created' : 'found' });
	} catch (error) {
		return failure(asItemError(client.node, error, itemIndex));
	}
}

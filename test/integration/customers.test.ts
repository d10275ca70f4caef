import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { failureOf, lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import { byId, byNumber, fromItem, SEED_IDS, useTestBed } from './support';

type Json = Record<string, unknown>;

const customer = (bed: TestBed, number: string) =>
	bed.sim.list('customers').find((c) => c.CustomerNumber === number);
/** Fields Visma changes by itself on every write. */
const stable = (c: Json | undefined) => ({ ...c, ChangedUtc: null });

const fromCsvRow = {
	customerNumber: fromItem('number'),
	customerName: fromItem('name'),
	address1: fromItem('street'),
	postalCode: fromItem('zip'),
	city: fromItem('city'),
	customerFields: { email: fromItem('email'), isActive: fromItem('active') },
};

describe('Customer > Create', () => {
	const bed = useTestBed();

	const create = { resource: 'customer', operation: 'create', ...fromCsvRow };

	it('creates customers with and without a number, and refuses a number that exists', async () => {
		const next = bed.sim.companySettings().NextCustomerNumber as number;
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(
			create,
			[
				{
					number: 'C-1',
					name: 'Fjällvägens "Bygg", AB',
					zip: '903 26',
					city: 'Umeå',
					email: 'info@fjall.se',
				},
				{ name: 'Utan Nummer AB', zip: '972 31', city: 'Luleå', active: false },
				{ number: '1001', name: 'Dubblett AB', zip: '111 11', city: 'Stockholm' },
				{ number: 'C-1', name: 'Samma nummer igen', zip: '111 11', city: 'Stockholm' },
			],
			{ continueOnFail: true },
		);
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[0].json).toMatchObject({
			CustomerNumber: 'C-1',
			Name: 'Fjällvägens "Bygg", AB',
			Id: expect.any(String),
		});
		expect(out[1].json.CustomerNumber).toBe(String(next));
		expect(out[2].json.error).toBe('Customer number 1001 already exists in eAccounting [item 2]');
		expect(out[2].json.message).toMatch(/Use Create or Update/);
		expect(out[3].json.error).toBe('Customer number C-1 already exists in eAccounting [item 3]');

		expect(customer(bed, 'C-1')).toMatchObject({
			Name: 'Fjällvägens "Bygg", AB',
			InvoicePostalCode: '903 26',
			InvoiceCity: 'Umeå',
			EmailAddress: 'info@fjall.se',
			IsActive: true,
			TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
		});
		expect(customer(bed, String(next))).toMatchObject({ Name: 'Utan Nummer AB', IsActive: false });
		expect(customer(bed, '1001')!.Name).not.toBe('Dubblett AB');
		expect(writesAfter(bed, mark)).toEqual(['POST customers', 'POST customers']);
	});

	it('checks every item before writing anything', async () => {
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run(create, [
				{ number: 'C-2', name: 'Giltig AB', zip: '903 26', city: 'Umeå' },
				{ number: 'C-3', name: 'Ingen Stad AB', zip: '903 26' },
			]),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('City is required to create customer C-3 [item 1]');
		expect(writesAfter(bed, mark)).toEqual([]);
	});
});

describe('Customer > Create or Update', () => {
	const bed = useTestBed();

	const upsert = { resource: 'customer', operation: 'createOrUpdate', ...fromCsvRow };

	it('creates new numbers, updates changed customers and leaves the rest, with one batched look-up', async () => {
		const before = bed.sim.list('customers');
		const c1002 = customer(bed, '1002')!;
		const c1003 = customer(bed, '1003')!;
		bed.sim.resetStats();
		const { items: out } = await bed.run(upsert, [
			{ number: 'U-1', name: 'Ny Kund AB', zip: '903 26', city: 'Umeå' },
			{ number: '1002', name: c1002.Name, zip: c1002.InvoicePostalCode, city: 'Kiruna' },
			{ number: '1003', name: c1003.Name, zip: c1003.InvoicePostalCode, city: c1003.InvoiceCity },
			{ number: 'u-1', name: 'Ny Kund AB', zip: '903 26', city: 'Umeå', active: false },
		]);
		expect(out.map((o) => [o.json.CustomerNumber, o.json.outcome, o.json.changedFields])).toEqual([
			['U-1', 'created', undefined],
			['1002', 'updated', ['InvoiceCity']],
			['1003', 'unchanged', undefined],
			['U-1', 'updated', ['IsActive']],
		]);
		expect(bed.sim.stats().byRoute).toEqual({
			'GET customers': 1,
			'GET companysettings': 1,
			'POST customers': 1,
			'PUT customers/{customerId}': 2,
		});
		expect(bed.sim.list('customers')).toHaveLength(before.length + 1);
		expect(customer(bed, 'U-1')).toMatchObject({ Name: 'Ny Kund AB', IsActive: false });
		// PUT replaces the whole customer: everything we did not change is still there.
		expect(stable({ ...customer(bed, '1002'), InvoiceCity: 'x' })).toEqual(
			stable({ ...c1002, InvoiceCity: 'x' }),
		);
		expect(customer(bed, '1002')!.InvoiceCity).toBe('Kiruna');
		expect(customer(bed, '1003')).toEqual(c1003);
	});
});

describe('Customer > Get, Get Many', () => {
	const bed = useTestBed();

	it('gets customers by ID, from the list and by number, simplified or raw, in one look-up per kind', async () => {
		const c1003 = customer(bed, '1003')!;
		bed.sim.resetStats();
		const { items: out } = await bed.run(
			{
				resource: 'customer',
				operation: 'get',
				customer: (item: { json: Json }) => item.json.locator,
				simplify: (item: { json: Json }) => item.json.simplify ?? true,
			},
			[
				{ locator: byId(SEED_IDS.customers.first) },
				{ locator: { __rl: true, mode: 'list', value: SEED_IDS.customers.apostrophe } },
				{ locator: byNumber('1003'), simplify: false },
				{ locator: byNumber("O'Learys") },
				{ locator: byId('11111111-2222-4333-8444-555555555555') },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toEqual({
			Id: SEED_IDS.customers.first,
			CustomerNumber: '1001',
			Name: customer(bed, '1001')!.Name,
			CorporateIdentityNumber: customer(bed, '1001')!.CorporateIdentityNumber,
			EmailAddress: customer(bed, '1001')!.EmailAddress,
			Telephone: customer(bed, '1001')!.Telephone,
			InvoicePostalCode: customer(bed, '1001')!.InvoicePostalCode,
			InvoiceCity: customer(bed, '1001')!.InvoiceCity,
			IsActive: true,
			ChangedUtc: customer(bed, '1001')!.ChangedUtc,
		});
		expect(out[1].json.CustomerNumber).toBe('1003');
		expect(out[2].json).toEqual(c1003);
		expect(out[3].json.error).toBe("Customer with number O'Learys is not in eAccounting [item 3]");
		expect(out[4].json.error).toBe(
			'Customer with ID 11111111-2222-4333-8444-555555555555 is not in eAccounting [item 4]',
		);
		// Numbers in one filter; IDs through Visma's documented GET /customers/{id}.
		expect(bed.sim.stats().byRoute).toEqual({
			'GET customers': 1,
			'GET customers/{customerId}': 3,
		});
	});

	it('a missing customer stops the node without Continue On Fail', async () => {
		const error = await failureOf(
			bed.run({ resource: 'customer', operation: 'get', customer: byNumber('NOPE') }),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Customer with number NOPE is not in eAccounting [item 0]');
	});

	it('lists customers with each filter, Limit and Return All', async () => {
		const all = bed.sim.list('customers');
		const getMany = { resource: 'customer', operation: 'getAll' };
		const run = async (params: Json) =>
			(await bed.run({ ...getMany, ...params })).items.map((o) => o.json);

		expect(await run({})).toHaveLength(50);
		expect(await run({ limit: 7 })).toHaveLength(7);
		const everything = await run({ returnAll: true });
		expect(everything).toHaveLength(all.length);
		expect(everything.map((c) => c.Id).sort()).toEqual(all.map((c) => c.Id).sort());
		expect(Object.keys(everything[0])).toHaveLength(10);

		const named = await run({ returnAll: true, filters: { nameContains: 'Bygg' } });
		expect(named.length).toBeGreaterThan(0);
		expect(named.map((c) => c.Id).sort()).toEqual(
			all
				.filter((c) => (c.Name as string).includes('Bygg'))
				.map((c) => c.Id)
				.sort(),
		);

		expect((await run({ filters: { number: '1003' } })).map((c) => c.Name)).toEqual([
			customer(bed, '1003')!.Name,
		]);

		const inactive = await run({ returnAll: true, filters: { isActive: false } });
		expect(inactive.map((c) => c.CustomerNumber)).toEqual(
			all.filter((c) => !c.IsActive).map((c) => c.CustomerNumber),
		);
		expect(inactive.map((c) => c.CustomerNumber)).toContain('1007');

		const raw = await run({ filters: { number: '1003' }, simplify: false });
		expect(raw[0]).toEqual(customer(bed, '1003'));

		const since = new Date(bed.sim.clock.now().getTime() - 1000).toISOString();
		bed.sim.api('PUT', `/v2/customers/${SEED_IDS.customers.last}`, {
			...customer(bed, '1120'),
			Note: 'touched',
		});
		expect(
			(await run({ returnAll: true, filters: { changedSince: since } })).map(
				(c) => c.CustomerNumber,
			),
		).toEqual(['1120']);
	});

	it('sends Changed Since as UTC, whatever zone it was given in', async () => {
		await bed.run({
			resource: 'customer',
			operation: 'getAll',
			filters: { changedSince: '2026-01-01T10:00:00+02:00', isActive: true },
		});
		expect(bed.sim.log.at(-1)!.query.$filter).toBe(
			'IsActive eq true and ChangedUtc ge 2026-01-01T08:00:00.000Z',
		);
		await bed.run({
			resource: 'customer',
			operation: 'getAll',
			filters: { changedSince: '2026-01-01', nameContains: "O'L" },
		});
		expect(bed.sim.log.at(-1)!.query.$filter).toBe(
			"contains(Name,'O''L') and ChangedUtc ge 2026-01-01T00:00:00.000Z",
		);
	});

	it('rejects a malformed filter before calling Visma', async () => {
		const error = await failureOf(
			bed.run({
				resource: 'customer',
				operation: 'getAll',
				filters: { changedSince: '2026-02-30' },
			}),
		);
		expect(error!.message).toBe(
			'Changed Since "2026-02-30" is not a date in the form YYYY-MM-DD [item 0]',
		);
	});
});

describe('Customer > Update, Delete', () => {
	const bed = useTestBed();

	const update = (ref: unknown, updateFields: Json) => ({
		resource: 'customer',
		operation: 'update',
		customer: ref,
		updateFields,
	});

	it('merges the fields into the fetched customer, by number or ID, and renumbers', async () => {
		const before = customer(bed, '1004')!;
		const { items: out } = await bed.run(
			update(byNumber('1004'), { city: 'Åbo', email: 'ny@example.fi', isActive: false }),
		);
		expect(out[0].json).toMatchObject({
			Id: before.Id,
			InvoiceCity: 'Åbo',
			EmailAddress: 'ny@example.fi',
			IsActive: false,
		});
		expect(out[0].json.changedFields).toEqual(['InvoiceCity', 'EmailAddress', 'IsActive']);
		const after = customer(bed, '1004')!;
		expect(stable({ ...after, InvoiceCity: 0, EmailAddress: 0, IsActive: 0 })).toEqual(
			stable({ ...before, InvoiceCity: 0, EmailAddress: 0, IsActive: 0 }),
		);
		expect(after).toMatchObject({
			InvoiceCity: 'Åbo',
			EmailAddress: 'ny@example.fi',
			IsActive: false,
			CurrencyCode: 'EUR',
		});

		await bed.run(update(byId(before.Id as string), { customerNumber: 'FI-1004' }));
		expect(bed.sim.list('customers').find((c) => c.Id === before.Id)!.CustomerNumber).toBe(
			'FI-1004',
		);
	});

	it('sends nothing when nothing changes, and names a bad field', async () => {
		const c = customer(bed, '1005')!;
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(update(byNumber('1005'), { city: c.InvoiceCity }));
		expect(out[0].json.changedFields).toEqual([]);
		expect(writesAfter(bed, mark)).toEqual([]);

		const error = await failureOf(bed.run(update(byNumber('1005'), { countryCode: 'Sverige' })));
		expect(error!.message).toBe(
			'Country Code "SVERIGE" is not valid: use a 2-letter ISO country code such as SE [item 0]',
		);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('deletes a customer without transactions and returns { deleted: true, id }', async () => {
		const used = new Set(
			[...bed.sim.list('customerinvoices'), ...bed.sim.list('customerinvoicedrafts')].map(
				(r) => r.CustomerId,
			),
		);
		const free = bed.sim.list('customers').find((c) => !used.has(c.Id))!;
		const { items: out } = await bed.run({
			resource: 'customer',
			operation: 'delete',
			customer: byNumber(free.CustomerNumber as string),
		});
		expect(out[0].json).toEqual({ deleted: true, id: free.Id });
		expect(bed.sim.list('customers').some((c) => c.Id === free.Id)).toBe(false);
	});

	it('a customer with invoices cannot be deleted: the error says to deactivate it', async () => {
		const error = await failureOf(
			bed.run({
				resource: 'customer',
				operation: 'delete',
				customer: byId(SEED_IDS.customers.first),
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe(
			'eAccounting cannot delete this record because other records use it [item 0]',
		);
		expect(error!.description).toMatch(/Deactivate it instead \(Update with Active turned off\)/);
		expect(customer(bed, '1001')).toBeDefined();
	});

	it('an unknown ID fails the item; the others go on with Continue On Fail', async () => {
		const { items: out } = await bed.run(
			{ resource: 'customer', operation: 'delete', customer: fromItem('ref') },
			[{ ref: byId('11111111-2222-4333-8444-555555555555') }, { ref: byNumber('NOPE') }],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toBe(
			"A record this request refers to does not exist in eAccounting: Customer with id '11111111-2222-4333-8444-555555555555' was not found. [item 0]",
		);
		expect(out[1].json.error).toBe('Customer with number NOPE is not in eAccounting [item 1]');
	});
});

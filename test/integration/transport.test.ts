import { afterEach, describe, expect, it } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import {
	configurePacing,
	eq,
	resetBatchLimits,
	resetPacing,
	value,
	VismaClient,
} from '../../nodes/VismaEAccounting/transport';
import { buildContext } from '../../dev/harness/context';
import type { TestBed } from './support';
import { SEED_IDS, useTestBed } from './support';

async function clientFor(bed: TestBed) {
	const counter = { calls: 0 };
	const { execute } = buildContext(
		{ nodeType: new VismaEAccounting(), parameters: {}, credential: bed.credential },
		counter,
	);
	return { client: await VismaClient.create(execute), counter };
}

const newCustomer = (number: string, name = `Kund ${number}`) => ({
	CustomerNumber: number,
	Name: name,
	InvoiceCity: 'Umeå',
	InvoicePostalCode: '903 26',
	TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
	IsPrivatePerson: false,
	IsActive: true,
});

async function caught(p: Promise<unknown>): Promise<NodeApiError> {
	const outcome = await p.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(outcome).toBeInstanceOf(NodeApiError);
	return outcome as NodeApiError;
}

describe('transport against the simulator', () => {
	const bed = useTestBed();
	afterEach(() => {
		bed.sim.configure({ rateLimit: null, faults: null, latencyMs: 0 });
		resetPacing();
	});

	it('pages through every record, or stops at a limit', async () => {
		const { client } = await clientFor(bed);
		const total = bed.sim.list('customers').length;
		expect(total).toBeGreaterThan(100);
		bed.sim.resetStats();
		const all = await client.all<{ Id: string }>('/customers', { pageSize: 50 });
		expect(all).toHaveLength(total);
		expect(new Set(all.map((c) => c.Id)).size).toBe(total);
		expect(bed.sim.stats().byEndpoint['GET customers']).toBe(Math.ceil(total / 50));

		bed.sim.resetStats();
		expect(await client.all('/customers', { limit: 70 })).toHaveLength(70);
		expect(bed.sim.stats().byEndpoint['GET customers']).toBe(1);
	});

	it('finds a number or name containing quotes exactly, and nothing else', async () => {
		const { client } = await clientFor(bed);
		for (const [n, name] of [
			["10'01", "O'Brien Bygg"],
			['1001x', "Ann' or Name ne 'x"],
			["' or 1 eq 1", 'Plain'],
		]) {
			expect(bed.sim.api('POST', '/v2/customers', newCustomer(n, name)).status).toBe(201);
		}
		const byNumber = await client.findIn<{ CustomerNumber: string }>(
			'/customers',
			'CustomerNumber',
			'string',
			["10'01"],
		);
		expect(byNumber.map((c) => c.CustomerNumber)).toEqual(["10'01"]);
		const injection = await client.findIn<{ CustomerNumber: string }>(
			'/customers',
			'CustomerNumber',
			'string',
			["' or 1 eq 1"],
		);
		expect(injection.map((c) => c.CustomerNumber)).toEqual(["' or 1 eq 1"]);
		const byName = await client.all<{ Name: string }>('/customers', {
			filter: eq('Name', value.string("Ann' or Name ne 'x")),
		});
		expect(byName.map((c) => c.Name)).toEqual(["Ann' or Name ne 'x"]);
	});

	it('splits long OR-filters so every URL stays under the limit', async () => {
		const { client } = await clientFor(bed);
		const numbers = bed.sim.list('customers').map((c) => String(c.CustomerNumber));
		bed.sim.configure({ maxFilterNodes: null });
		bed.sim.resetStats();
		const found = await client.findIn('/customers', 'CustomerNumber', 'string', numbers);
		expect(found).toHaveLength(numbers.length);
		const calls = bed.sim.stats().byEndpoint['GET customers'];
		expect(calls).toBeGreaterThan(1);
		expect(calls).toBeLessThan(numbers.length / 20);
		expect(bed.sim.log.every((e) => e.status !== 414)).toBe(true);
		bed.sim.configure({ maxFilterNodes: 100 });
	});

	it("never sends a filter over 100 nodes (ASP.NET's default limit), so a first look-up is not refused", async () => {
		const { client } = await clientFor(bed);
		// 45 values: one URL would hold them, 100 nodes hold 25.
		const numbers = bed.sim
			.list('customers')
			.map((c) => String(c.CustomerNumber))
			.slice(0, 45);
		bed.sim.configure({ maxFilterNodes: 100 });
		const start = bed.sim.log.at(-1)!.seq;
		const found = await client.findIn('/customers', 'CustomerNumber', 'string', numbers);
		expect(found).toHaveLength(numbers.length);
		const calls = bed.sim.log.filter((e) => e.seq > start && e.route === 'customers');
		expect(calls.map((e) => e.status)).toEqual([200, 200]);
	});

	it('splits an OR-filter a stricter server refuses as too complex, and keeps the size that works', async () => {
		const { client } = await clientFor(bed);
		// Few enough for one URL, so the OR-filters are cheaper than reading the collection.
		const numbers = bed.sim
			.list('customers')
			.map((c) => String(c.CustomerNumber))
			.slice(0, 45);
		bed.sim.configure({ maxFilterNodes: 60 });
		const start = bed.sim.log.at(-1)!.seq;
		const found = await client.findIn('/customers', 'CustomerNumber', 'string', numbers);
		expect(found).toHaveLength(numbers.length);
		const first = bed.sim.log.filter((e) => e.seq > start && e.route === 'customers');
		expect(first.some((e) => e.status === 400)).toBe(true);
		// 15 terms is the most a 60-node filter holds; no batch that got through was larger.
		const terms = (e: { query: Record<string, string> }) => e.query.$filter.split(' or ').length;
		expect(Math.max(...first.filter((e) => e.status === 200).map(terms))).toBeLessThanOrEqual(15);

		// Learned for this credential and endpoint: the next look-ups go straight to sizes that work.
		const refusedPerRun: number[] = [];
		for (let run = 0; run < 5; run++) {
			const mark = bed.sim.log.at(-1)!.seq;
			expect(await client.findIn('/customers', 'CustomerNumber', 'string', numbers)).toHaveLength(
				numbers.length,
			);
			refusedPerRun.push(
				bed.sim.log.filter((e) => e.seq > mark && e.route === 'customers' && e.status === 400)
					.length,
			);
		}
		// A few probes between the largest size accepted and the smallest refused, then none.
		expect(refusedPerRun.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
		expect(refusedPerRun.at(-1)).toBe(0);
		bed.sim.configure({ maxFilterNodes: 100 });
		resetBatchLimits();
	});

	it("turns Visma's error body into an error that says what happened and how to fix it", async () => {
		const { client } = await clientFor(bed);
		const tooLong = await caught(
			client.request({
				method: 'POST',
				path: '/customers',
				body: newCustomer('X-1', 'N'.repeat(51)),
				action: 'customer',
				itemIndex: 3,
			}),
		);
		expect(tooLong.message).toMatch(/^Visma eAccounting rejected the customer: Name.*\[item 3\]$/);
		expect(tooLong.description).toMatch(/error ID [0-9a-f-]{36}/);
		expect(tooLong.httpCode).toBe('400');

		// Visma's own words, whatever code it uses for a duplicate.
		const duplicate = await caught(
			client.request({ method: 'POST', path: '/customers', body: newCustomer('1001') }),
		);
		expect(duplicate.message).toMatch(/customer number is already in use/);

		const missing = await caught(
			client.request({ method: 'GET', path: '/customers/6f1b7a3e-0000-4000-8000-000000000001' }),
		);
		expect(missing.message).toMatch(/does not exist|not found/);

		const scope = await caught(client.request({ method: 'GET', path: '/vatcodes' }));
		expect(scope.message).toBe('The credential is missing a permission (scope) this request needs');
		expect(scope.description).toMatch(/VAT codes need ea:accounting/);
	});

	it('never puts tokens or the client secret into an error', async () => {
		const { client } = await clientFor(bed);
		const error = await caught(
			client.request({ method: 'POST', path: '/customers', body: { Name: 'x' } }),
		);
		const text = JSON.stringify({
			...error,
			message: error.message,
			description: error.description,
			stack: error.stack,
		});
		expect(text).not.toContain(bed.credential.data.oauthTokenData.access_token);
		expect(text).not.toContain(bed.credential.data.oauthTokenData.refresh_token);
		expect(text).not.toContain('sim-secret');
	});

	it('retries reads after 503 and 5001, and succeeds', async () => {
		const { client } = await clientFor(bed);
		bed.sim.injectFault({ method: 'GET', path: '/v2/companysettings', kind: '503', times: 1 });
		bed.sim.injectFault({ method: 'GET', path: '/v2/companysettings', kind: '500-5001', times: 1 });
		bed.sim.resetStats();
		const settings = await client.request<{ CurrencyCode: string }>({
			method: 'GET',
			path: '/companysettings',
		});
		expect(settings.CurrencyCode).toBe('SEK');
		expect(bed.sim.stats().byEndpoint['GET companysettings']).toBe(3);
	});

	it('does not repeat a POST whose answer was lost unless a look-up proves it did not happen', async () => {
		const { client } = await clientFor(bed);
		const count = (n: string) =>
			bed.sim.list('customers').filter((c) => c.CustomerNumber === n).length;

		// Applied, answer lost, no way to check: fail clearly and do not post again.
		bed.sim.injectFault({ method: 'POST', path: '/v2/customers', kind: 'lost-response', times: 1 });
		const lost = await caught(
			client.request({
				method: 'POST',
				path: '/customers',
				body: newCustomer('L-1'),
				action: 'customer',
			}),
		);
		expect(lost.description).toMatch(/may or may not have been created/);
		expect(count('L-1')).toBe(1);

		// Applied, answer lost, look-up finds it: return it, no second POST.
		const find = async (n: string) =>
			(await client.findIn<{ Id: string }>('/customers', 'CustomerNumber', 'string', [n]))[0];
		bed.sim.injectFault({ method: 'POST', path: '/v2/customers', kind: 'lost-response', times: 1 });
		bed.sim.resetStats();
		const recovered = await client.request<{ CustomerNumber: string }>({
			method: 'POST',
			path: '/customers',
			body: newCustomer('L-2'),
			verify: async () => await find('L-2'),
		});
		expect(recovered.CustomerNumber).toBe('L-2');
		expect(count('L-2')).toBe(1);
		expect(bed.sim.stats().byEndpoint['POST customers']).toBe(1);

		// Not applied (503), look-up proves it: post again, exactly one customer.
		bed.sim.injectFault({ method: 'POST', path: '/v2/customers', kind: '503', times: 1 });
		bed.sim.resetStats();
		await client.request({
			method: 'POST',
			path: '/customers',
			body: newCustomer('L-3'),
			verify: async () => await find('L-3'),
		});
		expect(count('L-3')).toBe(1);
		expect(bed.sim.stats().byEndpoint['POST customers']).toBe(2);
	});

	it('repeats PUT and DELETE after a lost answer, since doing them twice changes nothing', async () => {
		const { client } = await clientFor(bed);
		const created = bed.sim.api('POST', '/v2/customers', newCustomer('P-1')).body as Record<
			string,
			unknown
		>;
		bed.sim.injectFault({ method: 'PUT', path: '/v2/customers/', kind: 'lost-response', times: 1 });
		const updated = await client.request<{ InvoiceCity: string }>({
			method: 'PUT',
			path: `/customers/${String(created.Id)}`,
			body: { ...created, InvoiceCity: 'Kiruna' },
		});
		expect(updated.InvoiceCity).toBe('Kiruna');

		bed.sim.injectFault({
			method: 'DELETE',
			path: '/v2/customers/',
			kind: 'lost-response',
			times: 1,
		});
		await client.request({ method: 'DELETE', path: `/customers/${String(created.Id)}` });
		expect(bed.sim.list('customers').some((c) => c.Id === created.Id)).toBe(false);
	});

	it('waits out 429s, writes included, without failing', async () => {
		const { client } = await clientFor(bed);
		// The limit is shared with another client: our own pacing alone cannot avoid 429s.
		configurePacing({ limit: 1000, windowMs: 60_000 });
		bed.sim.configure({ rateLimit: { perMinute: 5, windowMs: 1500 } });
		bed.sim.resetStats();
		const results = await Promise.all(
			Array.from(
				{ length: 12 },
				async (_, n) =>
					await client.request<{ CustomerNumber: string }>({
						method: 'POST',
						path: '/customers',
						body: newCustomer(`R-${n}`),
					}),
			),
		);
		expect(results.map((r) => r.CustomerNumber).sort()).toEqual(
			Array.from({ length: 12 }, (_, n) => `R-${n}`).sort(),
		);
		expect(bed.sim.stats().rateLimited).toBeGreaterThan(0);
		expect(
			bed.sim.list('customers').filter((c) => String(c.CustomerNumber).startsWith('R-')),
		).toHaveLength(12);
	});

	it('paces itself under the limit so Visma never has to say 429', async () => {
		const { client } = await clientFor(bed);
		configurePacing({ limit: 8, windowMs: 1000 });
		bed.sim.configure({ rateLimit: { perMinute: 10, windowMs: 1000 } });
		bed.sim.resetStats();
		await Promise.all(
			Array.from(
				{ length: 30 },
				async () => await client.request({ method: 'GET', path: '/units' }),
			),
		);
		expect(bed.sim.stats().rateLimited).toBe(0);
		expect(bed.sim.stats().byEndpoint['GET units']).toBe(30);
	});

	it('refreshes an expired token once for many parallel calls and keeps the rotated refresh token', async () => {
		const { client } = await clientFor(bed);
		bed.sim.expireAccessTokens();
		const refreshesBefore = bed.credential.refreshes;
		const oldRefresh = bed.credential.data.oauthTokenData.refresh_token;
		await Promise.all(
			Array.from(
				{ length: 10 },
				async () => await client.request({ method: 'GET', path: '/units' }),
			),
		);
		expect(bed.credential.refreshes).toBe(refreshesBefore + 1);
		expect(bed.credential.data.oauthTokenData.refresh_token).not.toBe(oldRefresh);
		bed.sim.expireAccessTokens();
		await client.request({ method: 'GET', path: '/units' });
		expect(bed.credential.refreshes).toBe(refreshesBefore + 2);
	});
});

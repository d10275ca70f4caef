import { describe, expect, it } from '@jest/globals';
import { sleep } from 'n8n-workflow';

import { customerBody, http, type Sim } from './helpers';
import { SEED_IDS } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

const newCustomer = (CustomerNumber: string) => customerBody({ Name: 'Felsim AB', CustomerNumber });

describe('simulator limits, faults and control', () => {
	let sim: Sim;

	useSimulator({}, (started) => (sim = started));

	it('rate-limits per client and endpoint with a sliding window and the Visma 4010 message', async () => {
		sim.configure({ rateLimit: { perMinute: 3, windowMs: 1000 } });
		const api = http(sim, sim.issueTokens().access_token);
		const statuses = [];
		for (let i = 0; i < 3; i++)
			statuses.push((await api('GET', '/v2/customers?$pagesize=1')).status);
		expect(statuses).toEqual([200, 200, 200]);
		const limited = await api('GET', '/v2/customers');
		expect(limited.status).toBe(429);
		expect(limited.body.ErrorCode).toBe(4010);
		expect(limited.body.DeveloperErrorMessage).toBe(
			'API calls quota exceeded! maximum admitted 3 per Minute. Try again in 1 seconds.',
		);
		expect(limited.body.ErrorId).toMatch(/^[0-9a-f-]{36}$/);
		expect(limited.headers.get('retry-after')).toBeNull();
		// other endpoints have their own window; /customers/{id} shares the customers window
		expect((await api('GET', '/v2/articles?$pagesize=1')).status).toBe(200);
		expect((await api('GET', `/v2/customers/${SEED_IDS.customers.first}`)).status).toBe(429);
		// a rejected write is not applied
		expect((await api('POST', '/v2/customers', newCustomer('RL-1'))).status).toBe(429);
		expect(sim.list('customers').some((c) => c.CustomerNumber === 'RL-1')).toBe(false);
		expect(sim.stats().rateLimited).toBe(3);

		// the window slides: after it passes, exactly perMinute more are accepted (rejections were not counted)
		await sleep(1050);
		const again = [];
		for (let i = 0; i < 4; i++) again.push((await api('GET', '/v2/customers?$pagesize=1')).status);
		expect(again).toEqual([200, 200, 200, 429]);
	});

	it('can send Retry-After and computes N from the oldest request in the window', async () => {
		sim.configure({ rateLimit: { perMinute: 2, windowMs: 60000, sendRetryAfter: true } });
		const api = http(sim, sim.issueTokens().access_token);
		await api('GET', '/v2/units');
		sim.clock.advance(20000);
		await api('GET', '/v2/units');
		const limited = await api('GET', '/v2/units');
		expect(limited.headers.get('retry-after')).toBe('40');
		expect(limited.body.DeveloperErrorMessage).toContain(
			'maximum admitted 2 per Minute. Try again in 40 seconds.',
		);
		sim.clock.advance(40001);
		expect((await api('GET', '/v2/units')).status).toBe(200);
	});

	it('injects 503 and 5001 faults without applying the request', async () => {
		const api = http(sim, sim.issueTokens().access_token);
		sim.injectFault({ method: 'POST', path: '/v2/customers', kind: '503', times: 1 });
		sim.injectFault({ method: 'POST', path: '/v2/customers', kind: '500-5001', times: 1 });
		const unavailable = await api('POST', '/v2/customers', newCustomer('F-1'));
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers.get('content-type')).toContain('text/html');
		expect(unavailable.text).toContain('Service Unavailable');
		const dependency = await api('POST', '/v2/customers', newCustomer('F-1'));
		expect(dependency.status).toBe(500);
		expect(dependency.body).toMatchObject({ ErrorCode: 5001 });
		expect(sim.list('customers').some((c) => c.CustomerNumber === 'F-1')).toBe(false);
		expect((await api('POST', '/v2/customers', newCustomer('F-1'))).status).toBe(201);
		expect(sim.stats().faults).toEqual({ '503': 1, '500-5001': 1 });
	});

	it('applies a write and then drops the connection for lost-response', async () => {
		const api = http(sim, sim.issueTokens().access_token);
		sim.injectFault({ method: 'POST', path: '/v2/customers', kind: 'lost-response' });
		await expect(api('POST', '/v2/customers', newCustomer('LOST-1'))).rejects.toThrow();
		expect(sim.list('customers').filter((c) => c.CustomerNumber === 'LOST-1')).toHaveLength(1);
		const entry = sim.log[sim.log.length - 1];
		expect(entry).toMatchObject({
			status: 0,
			fault: 'lost-response',
			appliedStatus: 201,
			body: { CustomerNumber: 'LOST-1' },
		});
		// the retry then sees the duplicate (ErrorCode 2000 by default, see duplicateErrorCode)
		expect((await api('POST', '/v2/customers', newCustomer('LOST-1'))).body.ErrorCode).toBe(2000);

		sim.injectFault({ path: '/v2/customers', kind: 'connection-refused-like' });
		await expect(api('POST', '/v2/customers', newCustomer('GONE-1'))).rejects.toThrow();
		expect(sim.list('customers').some((c) => c.CustomerNumber === 'GONE-1')).toBe(false);
	});

	it('draws random faults deterministically from the seed and never loses GET responses', async () => {
		const run = async () => {
			sim.reset();
			sim.configure({ faults: { rate: 0.5, kinds: ['503', 'lost-response'], seed: 7 } });
			const api = http(sim, sim.issueTokens().access_token);
			const out: Array<number | string> = [];
			for (let i = 0; i < 12; i++)
				out.push((await api('GET', '/v2/units').catch(() => ({ status: 'dropped' }))).status);
			return out;
		};
		const a = await run();
		expect(await run()).toEqual(a);
		expect(a).toContain(503);
		expect(a).toContain(200);
		expect(a).not.toContain('dropped');
	});

	it('answers 414 for long request targets and 403/4006 for missing scopes', async () => {
		const api = http(sim, sim.issueTokens().access_token);
		const ids = Array.from({ length: 60 }, (_, i) => `CustomerNumber eq '${1001 + i}'`).join(
			' or ',
		);
		const long = await api('GET', `/v2/customers?$filter=${encodeURIComponent(ids)}`);
		expect(long.status).toBe(414);
		expect(long.text).toBe('');
		const fits = await api(
			'GET',
			`/v2/customers?$filter=${encodeURIComponent(ids.split(' or ').slice(0, 20).join(' or '))}`,
		);
		expect(fits.body.Meta.TotalNumberOfResults).toBe(20);

		const vat = await api('GET', '/v2/vatcodes');
		expect(vat.status).toBe(403);
		expect(vat.body.ErrorCode).toBe(4006);
		const accounting = http(
			sim,
			sim.issueTokens({ scopes: ['ea:api', 'ea:accounting_readonly'] }).access_token,
		);
		expect((await accounting('GET', '/v2/vatcodes')).body.Data).toHaveLength(5);
		expect((await accounting('GET', '/v2/customers')).status).toBe(403);
		const noApi = http(sim, sim.issueTokens({ scopes: ['ea:sales'] }).access_token);
		expect((await noApi('GET', '/v2/customers')).status).toBe(403);
	});

	it('adds latency and runs beforeHandle so tests can change data during a poll', async () => {
		sim.configure({ latencyMs: 120 });
		const api = http(sim, sim.issueTokens().access_token);
		const started = Date.now();
		await api('GET', '/v2/units');
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		sim.configure({ latencyMs: 0 });

		let polls = 0;
		sim.hooks.beforeHandle = async ({ method, path, query }) => {
			if (method === 'GET' && path === '/v2/customers' && query.$page === '2' && polls++ === 0) {
				sim.api('POST', '/v2/customers', newCustomer('MID-POLL'));
			}
		};
		const page1 = await api('GET', '/v2/customers?$page=1&$pagesize=100');
		const page2 = await api('GET', '/v2/customers?$page=2&$pagesize=100');
		expect(page1.body.Meta.TotalNumberOfResults).toBe(120);
		expect(page2.body.Meta.TotalNumberOfResults).toBe(121);
		expect(page2.body.Data.map((c: { CustomerNumber: string }) => c.CustomerNumber)).toContain(
			'MID-POLL',
		);
	});

	it('offers the same operations over the /__sim control API', async () => {
		const control = http(sim);
		const tokens = (await control('POST', '/__sim/tokens', { scopes: ['ea:api', 'ea:sales'] }))
			.body;
		expect(tokens.refresh_token).toBeUndefined();
		const api = http(sim, tokens.access_token);
		await api('GET', '/v2/customers?$pagesize=1');
		const stats = (await control('GET', '/__sim/stats')).body;
		expect(stats.byEndpoint['GET customers']).toBe(1);
		expect((await control('GET', '/__sim/log')).body[0]).toMatchObject({
			method: 'GET',
			path: '/v2/customers',
			query: { $pagesize: '1' },
			status: 200,
			endpoint: 'customers',
		});
		expect((await control('POST', '/__sim/reset-stats')).status).toBe(200);
		expect((await control('GET', '/__sim/stats')).body.total).toBe(0);

		const created = (
			await control('POST', '/__sim/api', {
				method: 'POST',
				path: '/v2/customers',
				body: newCustomer('CTL-1'),
			})
		).body;
		expect(created.status).toBe(201);
		expect(
			(await control('GET', '/__sim/state/customers')).body.some(
				(c: { CustomerNumber: string }) => c.CustomerNumber === 'CTL-1',
			),
		).toBe(true);
		const paid = await control('POST', `/__sim/invoices/${SEED_IDS.invoices.overdue}/pay`);
		expect(paid.body).toMatchObject({ PaymentStatus: 0, RemainingAmount: 0 });

		await control('POST', '/__sim/fault', { method: 'GET', path: '/v2/units', kind: '503' });
		expect((await api('GET', '/v2/units')).status).toBe(503);
		await control('POST', '/__sim/configure', { rateLimit: { perMinute: 1, windowMs: 60000 } });
		await api('GET', '/v2/articles');
		expect((await api('GET', '/v2/articles')).status).toBe(429);
		await control('POST', '/__sim/configure', { rateLimit: null });
		await control('POST', '/__sim/expire-tokens');
		expect((await api('GET', '/v2/articles')).status).toBe(401);
		await control('POST', '/__sim/reset', { seed: 'empty' });
		expect((await control('GET', '/__sim/state/customers')).body).toEqual([]);
		expect((await control('POST', '/__sim/reset', { seed: 'nope' })).status).toBe(400);
	});
});

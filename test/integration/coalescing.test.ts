import { describe, expect, it } from '@jest/globals';
import { sleep } from 'n8n-workflow';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { configurePacing, VismaClient } from '../../nodes/VismaEAccounting/transport';
import { READ_RETRIES } from '../../nodes/VismaEAccounting/transport/retryPolicy';
import { batchAccepted, batchRefused } from '../../nodes/VismaEAccounting/transport/batchLimits';
import { executionsInFlight } from '../../nodes/VismaEAccounting/transport/companions';
import { buildContext } from '../../dev/harness/context';
import type { TestBed } from './support';
import { exportInvoiceParameters, testBed, closeAfterEach } from './support';

/** A client of its own execution, on the bed's credential. */
async function execution(bed: TestBed) {
	const { execute } = buildContext(
		{ nodeType: new VismaEAccounting(), parameters: {}, credential: bed.credential },
		{ calls: 0 },
	);
	return await VismaClient.create(execute);
}

const numbersOf = (records: Array<{ CustomerNumber: string }>) =>
	records.map((c) => c.CustomerNumber).sort();

let bed: TestBed;
closeAfterEach(() => bed);

describe('look-ups coalesced across executions running at the same time', () => {
	it('share one request, and each execution gets exactly its own records', async () => {
		bed = await testBed({ seed: 'default' });
		const [a, b, c] = await Promise.all([execution(bed), execution(bed), execution(bed)]);
		bed.sim.resetStats();
		const [forA, forB, forC] = await Promise.all([
			a.findIn<{ CustomerNumber: string }>('/customers', 'CustomerNumber', 'string', [
				'1001',
				'1003',
			]),
			b.findIn<{ CustomerNumber: string }>('/customers', 'CustomerNumber', 'string', [
				'1003',
				'1005',
			]),
			c.findIn<{ CustomerNumber: string }>('/customers', 'CustomerNumber', 'string', ['NOT-THERE']),
		]);
		expect(numbersOf(forA)).toEqual(['1001', '1003']);
		expect(numbersOf(forB)).toEqual(['1003', '1005']);
		expect(forC).toEqual([]);
		expect(bed.sim.stats().byRoute).toEqual({ 'GET customers': 1 });
	});

	it('executions of the node count as in flight while they run, failed ones too, and no longer after', async () => {
		bed = await testBed({ seed: 'default' });
		const { scope } = await execution(bed);
		const seen: number[] = [];
		bed.sim.hooks.beforeHandle = () => {
			seen.push(executionsInFlight(scope));
		};
		configurePacing({ retryBaseMs: 10 });
		// Every attempt of the article listing fails: that execution fails.
		bed.sim.injectFault({
			method: 'GET',
			path: '/v2/articles',
			kind: '503',
			times: READ_RETRIES + 1,
		});
		const runs = await Promise.allSettled([
			bed.run({ resource: 'customer', operation: 'getAll' }),
			bed.run({ resource: 'customer', operation: 'getAll' }),
			bed.run({ resource: 'article', operation: 'getAll' }),
		]);
		bed.sim.hooks.beforeHandle = null;
		expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
		expect(Math.max(...seen)).toBe(3);
		expect(executionsInFlight(scope)).toBe(0);
	});

	it('a failed shared request fails only the executions whose values were in it', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ retryBaseMs: 10 });
		const clients = await Promise.all([execution(bed), execution(bed), execution(bed)]);
		// Batches of at most 10 values here, so the 20 values go out in two requests, in order.
		const key = `${clients[0].scope}|customers`;
		batchRefused(key, 11);
		batchAccepted(key, 10);
		const numbers = bed.sim
			.list('customers')
			.map((c) => String(c.CustomerNumber))
			.slice(0, 20);
		// Every attempt of the first request fails.
		bed.sim.injectFault({
			method: 'GET',
			path: '/v2/customers',
			kind: '503',
			times: READ_RETRIES + 1,
		});
		const asked = [numbers.slice(0, 10), numbers.slice(10, 20), numbers.slice(0, 3)];
		const outcomes = await Promise.allSettled(
			clients.map(
				async (client, k) =>
					await client.findIn<{ CustomerNumber: string }>(
						'/customers',
						'CustomerNumber',
						'string',
						asked[k],
					),
			),
		);
		// The first and third asked for values of the failed request; the second did not.
		expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
		const second = outcomes[1] as PromiseFulfilledResult<Array<{ CustomerNumber: string }>>;
		expect(numbersOf(second.value)).toEqual(numbers.slice(10, 20).sort());
		expect(bed.sim.log.filter((e) => e.route === 'customers').map((e) => e.status)).toEqual([
			...Array(READ_RETRIES + 1).fill(503),
			200,
		]);
	});

	it('many values against a small collection read the collection instead of many OR-filters', async () => {
		bed = await testBed({ seed: 'default', maxFilterNodes: 100 });
		const client = await execution(bed);
		const numbers = bed.sim.list('customers').map((c) => String(c.CustomerNumber));
		expect(numbers.length).toBeGreaterThan(100);
		bed.sim.resetStats();
		const found = await client.findIn<{ CustomerNumber: string }>(
			'/customers',
			'CustomerNumber',
			'string',
			[...numbers, 'NOT-THERE'],
		);
		expect(numbersOf(found)).toEqual([...numbers].sort());
		// One call to count, one page of 500: instead of at least five filters of 25.
		expect(bed.sim.stats().byRoute).toEqual({ 'GET customers': 2 });
	});

	it('30 single approvals at once look up together: far fewer calls than 30 executions alone', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 300 });
		const customers = bed.sim.list('customers').slice(0, 10);
		await bed.run(exportInvoiceParameters, [
			{
				invoiceNumber: 'WARM-0',
				customer: { number: customers[0].CustomerNumber },
				// A row on the default article: the warm-up creates it, as the first export does.
				rows: [{ articleNumber: 'UNKNOWN-WARM', quantity: 1, unitPrice: 100 }],
			},
		]);
		bed.sim.resetStats();
		const runs = await Promise.all(
			Array.from(
				{ length: 30 },
				async (_, n) =>
					await bed.run(exportInvoiceParameters, [
						{
							invoiceNumber: `BURST-${n}`,
							customer: { number: customers[n % 10].CustomerNumber },
							rows: [
								{ articleNumber: n % 2 ? 'A100' : `UNKNOWN-${n}`, quantity: 1, unitPrice: 100 },
							],
						},
					]),
			),
		);
		runs.forEach((run, n) =>
			expect(run.items[0].json).toMatchObject({ outcome: 'created', ContractNumber: `BURST-${n}` }),
		);
		const stats = bed.sim.stats();
		expect(stats.byRoute['POST customerinvoicedrafts']).toBe(30);
		expect(stats.total / 30).toBeLessThanOrEqual(2.5);
		expect(
			bed.sim
				.list('customerinvoicedrafts')
				.filter((d) => String(d.ContractNumber).startsWith('BURST-')),
		).toHaveLength(30);
	});
});

describe('the look for twins after creating', () => {
	it('is shared by executions that finish at about the same time, also when they arrive spread out', async () => {
		bed = await testBed({ seed: 'default', latencyMs: 20 });
		const customers = bed.sim.list('customers').slice(0, 10);
		const approval = (ref: string, n: number) => ({
			invoiceNumber: ref,
			customer: { number: customers[n % 10].CustomerNumber },
			rows: [{ articleNumber: 'A100', quantity: 1, unitPrice: 100 }],
		});
		await bed.run(exportInvoiceParameters, [approval('WARM-1', 0)]);
		const mark = bed.sim.log.at(-1)!.seq;
		// As n8n starts a burst's executions: over some hundreds of milliseconds.
		await Promise.all(
			Array.from({ length: 30 }, async (_, n) => {
				await sleep(n * 20);
				return await bed.run(exportInvoiceParameters, [approval(`SPREAD-${n}`, n)]);
			}),
		);
		// A twin look asks only for references whose drafts were POSTed before it.
		const posted = new Set<string>();
		let twinLooks = 0;
		for (const e of bed.sim.log.filter((x) => x.seq > mark)) {
			if (e.method === 'POST' && e.route === 'customerinvoicedrafts')
				posted.add(String((e.body as { ContractNumber: string }).ContractNumber));
			if (e.method !== 'GET' || e.route !== 'customerinvoicedrafts') continue;
			const refs = [...String(e.query.$filter).matchAll(/'([^']*)'/g)].map((m) => m[1]);
			if (refs.every((ref) => posted.has(ref))) twinLooks++;
		}
		expect(posted.size).toBe(30);
		// Before: one look per execution, 1.5 s after its own POST, so hardly ever together.
		expect(twinLooks).toBeLessThanOrEqual(12);
	});
});

import { afterEach, describe, expect, it } from '@jest/globals';

import { resetPacing } from '../../nodes/VismaEAccounting/transport';
import type { TestBed } from './support';
import { ensureDefaultArticleParameters, exportInvoiceParameters, testBed } from './support';

/*
 * Look first, lock only to write: executions running at the same time in one process look
 * customers and articles up without the per-number lock, so they share those look-ups; only a
 * number that must be created or changed is locked, and looked at again under the lock when
 * another execution held it meanwhile.
 */

const approval = (ref: string, customer: Record<string, unknown>) => ({
	invoiceNumber: ref,
	customer,
	rows: [{ articleNumber: 'A100', quantity: 1, unitPrice: 100 }],
});

let bed: TestBed;
afterEach(async () => {
	resetPacing();
	await bed?.close();
});

describe('look first, lock only to write', () => {
	it('executions at once for the same existing customer share its look-up and the articles', async () => {
		bed = await testBed({ seed: 'default' });
		const customer = { number: bed.sim.list('customers')[0].CustomerNumber };
		bed.sim.resetStats();
		const runs = await Promise.all(
			Array.from(
				{ length: 5 },
				async (_, n) => await bed.run(exportInvoiceParameters, [approval(`SAME-${n}`, customer)]),
			),
		);
		for (const run of runs)
			expect(run.items[0].json).toMatchObject({
				outcome: 'created',
				customer: { CustomerNumber: customer.number, outcome: 'found' },
			});
		const calls = bed.sim.stats().byRoute;
		// One look-up for all five: they used to take turns on the customer's lock, one each.
		expect(calls['GET customers']).toBe(1);
		expect(calls['GET articles']).toBe(1);
		expect(calls['POST customerinvoicedrafts']).toBe(5);
	});

	it('executions at once for the same new customer create it once, with one POST', async () => {
		bed = await testBed({ seed: 'default' });
		const customer = { number: 'NEW-77', name: 'Ny Kund AB', postalCode: '903 26', city: 'Umeå' };
		const runs = await Promise.all(
			Array.from(
				{ length: 4 },
				async (_, n) => await bed.run(exportInvoiceParameters, [approval(`NEW-${n}`, customer)]),
			),
		);
		const outcomes = runs.map((r) => (r.items[0].json.customer as { outcome: string }).outcome);
		expect(outcomes.sort()).toEqual(['created', 'found', 'found', 'found']);
		expect(bed.sim.list('customers').filter((c) => c.CustomerNumber === 'NEW-77')).toHaveLength(1);
		// The others looked again under the lock after the first created it, instead of POSTing
		// a duplicate for Visma to refuse.
		expect(bed.sim.stats().byRoute['POST customers']).toBe(1);
		const ids = new Set(runs.map((r) => (r.items[0].json.customer as { Id: string }).Id));
		expect(ids.size).toBe(1);
	});

	it('an execution alone that creates a customer looks it up once: nobody held its lock meanwhile', async () => {
		bed = await testBed({ seed: 'default' });
		const customer = {
			number: 'NEW-78',
			name: 'Ensam Kund AB',
			postalCode: '903 26',
			city: 'Umeå',
		};
		const { items } = await bed.run(exportInvoiceParameters, [approval('ALONE-1', customer)]);
		expect(items[0].json).toMatchObject({ outcome: 'created', customer: { outcome: 'created' } });
		expect(bed.sim.stats().byRoute['GET customers']).toBe(1);
		expect(bed.sim.stats().byRoute['POST customers']).toBe(1);
	});

	it('executions at once that update the same customer change it once', async () => {
		bed = await testBed({ seed: 'default' });
		const existing = bed.sim.list('customers')[0];
		const customer = { number: existing.CustomerNumber, name: 'Nytt Namn AB' };
		const parameters = {
			...exportInvoiceParameters,
			exportOptions: {
				...exportInvoiceParameters.exportOptions,
				updateExisting: true,
			},
		};
		const runs = await Promise.all(
			Array.from(
				{ length: 3 },
				async (_, n) => await bed.run(parameters, [approval(`UPD-${n}`, customer)]),
			),
		);
		const outcomes = runs.map((r) => (r.items[0].json.customer as { outcome: string }).outcome);
		expect(outcomes.sort()).toEqual(['found', 'found', 'updated']);
		expect(bed.sim.stats().byEndpoint['PUT customers']).toBe(1);
		expect(bed.sim.list('customers').find((c) => c.Id === existing.Id)?.Name).toBe('Nytt Namn AB');
	});

	it('Ensure Default Article at once: one POST when the article is missing, one look-up when it exists', async () => {
		bed = await testBed({ seed: 'default' });
		const first = await Promise.all(
			Array.from({ length: 3 }, async () => await bed.run(ensureDefaultArticleParameters, [{}])),
		);
		expect(first.map((r) => r.items[0].json.outcome).sort()).toEqual(['created', 'found', 'found']);
		expect(bed.sim.stats().byRoute['POST articles']).toBe(1);
		expect(bed.sim.list('articles').filter((a) => a.Number === 'DEFAULT')).toHaveLength(1);

		bed.sim.resetStats();
		const again = await Promise.all(
			Array.from({ length: 3 }, async () => await bed.run(ensureDefaultArticleParameters, [{}])),
		);
		expect(again.map((r) => r.items[0].json.outcome)).toEqual(['found', 'found', 'found']);
		// Shared: they used to take turns on the article's lock and look one after another.
		expect(bed.sim.stats().byRoute).toEqual({ 'GET articles': 1 });
	});
});

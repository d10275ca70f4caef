import { describe, expect, it } from '@jest/globals';
import type { INodeExecutionData } from 'n8n-workflow';

import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import type { TestBed } from './support';
import { exportInvoiceParameters, testBed, closeAfterEach, otherProcess } from './support';

const exportInvoice = exportInvoiceParameters;

const approved = (n: number, customers: number) => ({
	invoiceNumber: `SRC-${String(n).padStart(4, '0')}`,
	customer: {
		number: `C-${n % customers}`,
		name: `Kund ${n % customers} AB`,
		postalCode: '903 26',
		city: 'Umeå',
	},
	rows: [
		{
			articleNumber: n % 3 === 0 ? 'A100' : `UNKNOWN-${n % 7}`,
			text: `Arbete ${n}`,
			quantity: 1 + (n % 4),
			unitPrice: 450,
		},
		{ articleNumber: 'A110', quantity: 2, unitPrice: 120 },
	],
});

/** Every source reference in the simulator, with how many drafts carry it. */
function draftsByReference(bed: TestBed): Map<string, number> {
	const counts = new Map<string, number>();
	for (const d of bed.sim.list('customerinvoicedrafts')) {
		const ref = String(d.ContractNumber ?? '');
		if (ref) counts.set(ref, (counts.get(ref) ?? 0) + 1);
	}
	return counts;
}

function expectNoDuplicates(bed: TestBed) {
	const dup = [...draftsByReference(bed)].filter(([, n]) => n > 1);
	expect(dup).toEqual([]);
	const numbers = bed.sim.list('customers').map((c) => c.CustomerNumber);
	expect(numbers.length).toBe(new Set(numbers).size);
	expect(bed.sim.list('articles').filter((a) => a.Number === 'DEFAULT')).toHaveLength(1);
}

let bed: TestBed;
closeAfterEach(() => bed);

describe('nothing lost, nothing twice', () => {
	it('exports 500 invoices through 5% faults: each exactly once, none lost to a passing fault', async () => {
		bed = await testBed({
			seed: 'empty',
			faults: { rate: 0.05, kinds: ['503', '500-5001', 'lost-response'], seed: 11 },
		});
		// Real back-off waits are seconds; the simulator applies writes at once, so shorter waits prove
		// the same. It has no rate limit here, so our own pacing need not hold back either.
		configurePacing({ retryBaseMs: 40, settleMs: 50, lostAnswerWaitMs: 400, limit: 100_000 });
		const invoices = Array.from({ length: 500 }, (_, n) => approved(n, 60));
		const outcomes: INodeExecutionData[] = [];
		// Ten executions of 50 approvals, as a burst of webhooks would arrive.
		for (let batch = 0; batch < 10; batch++) {
			const { items } = await bed.run(exportInvoice, invoices.slice(batch * 50, batch * 50 + 50), {
				continueOnFail: true,
			});
			outcomes.push(...items);
		}
		const faults = bed.sim.stats().faults;
		expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(20);

		expect(faults['lost-response']).toBeGreaterThan(3);
		expect(outcomes).toHaveLength(500);
		const refs = draftsByReference(bed);
		const failed: string[] = [];
		outcomes.forEach((item, n) => {
			const ref = invoices[n].invoiceNumber;
			if (item.json.error) {
				// A failure is reported, never silent, and says what to do.
				expect(item.json.error).toEqual(expect.stringMatching(/\[item \d+\]$/));
				expect(item.json.message).toEqual(expect.any(String));
				failed.push(ref);
			} else {
				expect(item.json.ContractNumber).toBe(ref);
				expect(refs.get(ref)).toBe(1);
			}
		});
		expectNoDuplicates(bed);
		expect(bed.sim.list('customers')).toHaveLength(60);
		// A passing fault never costs an approval: a draft POST refused before anything was done
		// is sent again once two looks agree it is not there.
		expect(failed).toEqual([]);

		// Running the whole lot again exports what failed and duplicates nothing.
		bed.sim.configure({ faults: null });
		const rerun = await bed.run(exportInvoice, invoices.slice(0, 500));
		expect(rerun.items.filter((i) => i.json.outcome === 'created')).toHaveLength(failed.length);
		expect(draftsByReference(bed).size).toBe(500);
		expectNoDuplicates(bed);
	});

	it('twenty executions at once for the same new customer and references leave one customer and one draft per reference', async () => {
		bed = await testBed({ seed: 'empty', latencyMs: 15 });
		const invoices = Array.from({ length: 5 }, (_, n) => ({
			...approved(n, 1),
			customer: { ...approved(n, 1).customer, number: 'RACE-1' },
		}));
		const runs = await Promise.all(
			Array.from({ length: 20 }, async () => await bed.run(exportInvoice, invoices)),
		);
		expect(bed.sim.list('customers').map((c) => c.CustomerNumber)).toEqual(['RACE-1']);
		expect(draftsByReference(bed)).toEqual(new Map(invoices.map((i) => [i.invoiceNumber, 1])));
		// Every execution reports the same draft for a reference.
		for (let n = 0; n < invoices.length; n++) {
			expect(new Set(runs.map((r) => r.items[n].json.Id)).size).toBe(1);
		}
		expectNoDuplicates(bed);
	});

	it('two processes racing on the same references converge on one draft each', async () => {
		bed = await testBed({ seed: 'empty' });
		// A second copy of the node with its own module state (locks, pacing) stands in for another worker.
		const other = await otherProcess();
		const invoices = Array.from({ length: 8 }, (_, n) => approved(n, 2));
		await bed.run(
			exportInvoice,
			invoices.map((i) => ({ ...i, rows: i.rows, invoiceNumber: `WARM-${i.invoiceNumber}` })),
		);

		// Hold every draft POST until both processes have looked for existing drafts, so both
		// find nothing and both create: the worst case.
		let lookups = 0;
		let release!: () => void;
		const bothLooked = new Promise<void>((resolve) => (release = resolve));
		bed.sim.hooks.beforeHandle = async ({ method, path }) => {
			if (method === 'GET' && path === '/v2/customerinvoicedrafts' && ++lookups === 2) release();
			if (method === 'POST' && path === '/v2/customerinvoicedrafts') await bothLooked;
		};
		const [a, b] = await Promise.all([
			bed.run(exportInvoice, invoices),
			bed.run(exportInvoice, invoices, { nodeType: other }),
		]);
		bed.sim.hooks.beforeHandle = null;

		expect(bed.sim.stats().byEndpoint['POST customerinvoicedrafts']).toBe(8 + 16);
		// Both see both twins and delete the later one; the second delete of a draft finds it gone.
		expect(bed.sim.stats().byEndpoint['DELETE customerinvoicedrafts']).toBeGreaterThanOrEqual(8);
		expect(draftsByReference(bed).size).toBe(16);
		invoices.forEach((inv, n) => {
			expect(draftsByReference(bed).get(inv.invoiceNumber)).toBe(1);
			expect(a.items[n].json.Id).toBe(b.items[n].json.Id);
		});
		expect([...a.items, ...b.items].map((i) => i.json.outcome).sort()).toEqual([
			...Array(8).fill('created'),
			...Array(8).fill('existingDraft'),
		]);
		expectNoDuplicates(bed);
	});

	it('recovers from a storm of 429s when the rate limit is shared with other clients', async () => {
		bed = await testBed({ seed: 'empty' });
		configurePacing({ limit: 10_000, windowMs: 60_000 });
		bed.sim.configure({ rateLimit: { perMinute: 25, windowMs: 2000 } });
		const invoices = Array.from({ length: 60 }, (_, n) => approved(n, 10));
		const { items } = await bed.run(exportInvoice, invoices);
		expect(items.every((i) => i.json.outcome === 'created')).toBe(true);
		expect(bed.sim.stats().rateLimited).toBeGreaterThan(0);
		expect(draftsByReference(bed).size).toBe(60);
		expectNoDuplicates(bed);
	});

	it('parallel executions over an expired token refresh once, even where n8n would not serialise refreshes', async () => {
		bed = await testBed({ seed: 'empty' });
		bed.credential.serializeRefresh = false;
		bed.sim.expireAccessTokens();
		const runs = await Promise.all(
			Array.from(
				{ length: 6 },
				async (_, k) => await bed.run(exportInvoice, [approved(k, 3), approved(k + 10, 3)]),
			),
		);
		expect(runs.flatMap((r) => r.items).every((i) => i.json.outcome === 'created')).toBe(true);
		expect(bed.credential.refreshes).toBe(1);
		expect(bed.sim.stats().tokenGrants.refresh_token).toBe(1);
	});
});

import { describe, expect, it } from '@jest/globals';

import { failureOf, lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import {
	byId,
	exportInvoiceParameters,
	fromItem,
	SEED_IDS,
	testBed,
	closeAfterEach,
} from './support';
import { TriggerNode } from './triggerNode';
import { handMadeDraft } from '../support/simulator';

/**
 * Where Visma's documentation is silent, the node takes the documented path and adapts to a
 * server stricter than our simulator's friendly answers: filter size limits, fields that cannot
 * be filtered or sorted, 404 versus 400, duplicate errors without ErrorCode 4000.
 */
type Json = Record<string, unknown>;

const approval = (n: number) => ({
	invoiceNumber: `SRC-${String(n).padStart(4, '0')}`,
	customer: { number: `K-${n}`, name: `Kund ${n} AB`, postalCode: '903 26', city: 'Umeå' },
	rows: [
		{
			articleNumber: n % 2 === 0 ? 'A100' : `UNKNOWN-${n}`,
			text: `Arbete ${n}`,
			quantity: 1 + (n % 3),
			unitPrice: 450,
		},
		{ articleNumber: `A1${String(n % 40).padStart(2, '0')}`, quantity: 1 },
	],
});

/** What a draft says, without ids and times that differ between runs. */
function comparable(bed: TestBed): Json[] {
	const customers = new Map(bed.sim.list('customers').map((c) => [c.Id, c.CustomerNumber]));
	const articles = new Map(bed.sim.list('articles').map((a) => [a.Id, a.Number]));
	return bed.sim
		.list('customerinvoicedrafts')
		.filter((d) => d.ContractNumber)
		.map((d) => ({
			ref: d.ContractNumber,
			customer: customers.get(d.CustomerId),
			rows: (d.Rows as Json[]).map((r) => [
				articles.get(r.ArticleId),
				r.Text,
				r.Quantity,
				r.UnitPrice,
			]),
			total: d.TotalAmount,
		}))
		.sort((a, b) => String(a.ref).localeCompare(String(b.ref)));
}

let bed: TestBed;
closeAfterEach(() => bed);

describe('filter limits: lookups survive a server that refuses long OR-filters', () => {
	const approvals = Array.from({ length: 100 }, (_, n) => approval(n));

	async function exportAll(maxFilterNodes: number | null) {
		bed = await testBed({ seed: 'default', maxFilterNodes });
		const first = await bed.run(exportInvoiceParameters, approvals);
		const refused = bed.sim.log.filter((e) => e.status === 400).length;
		const mark = lastSeq(bed);
		const again = await bed.run(exportInvoiceParameters, approvals);
		return {
			first,
			again,
			refused,
			rerunWrites: writesAfter(bed, mark),
			drafts: comparable(bed),
			calls: bed.sim.stats(),
		};
	}

	it('100 approvals in one execution make the same 100 drafts with 100 nodes, 60 nodes or no limit', async () => {
		const results = [];
		for (const limit of [100, 60, null]) {
			const run = await exportAll(limit);
			expect(run.first.items.map((i) => i.json.outcome)).toEqual(Array(100).fill('created'));
			expect(run.again.items.map((i) => i.json.outcome)).toEqual(Array(100).fill('existingDraft'));
			expect(run.rerunWrites).toEqual([]);
			expect(run.drafts).toHaveLength(100);
			results.push(run);
			await bed.close();
		}
		const [limit100, limit60, unlimited] = results;
		expect(limit100.drafts).toEqual(unlimited.drafts);
		expect(limit60.drafts).toEqual(unlimited.drafts);
		// No filter is larger than ASP.NET's default of 100 nodes; for 100 values reading the
		// small collections is cheaper than filtering them anyway (a stricter server's refusals
		// are the next test's).
		expect(limit100.refused).toBe(0);
		expect(unlimited.refused).toBe(0);
	});

	it('learns the size that works, so later executions are refused less and less', async () => {
		bed = await testBed({ seed: 'default', maxFilterNodes: 60 });
		const refusals: number[] = [];
		for (let run = 0; run < 5; run++) {
			const mark = lastSeq(bed);
			// 20 values to a look-up: one filter of 20 terms, refused at 60 nodes (15 terms).
			const batch = Array.from({ length: 20 }, (_, n) => approval(1000 * (run + 1) + n));
			const { items } = await bed.run(exportInvoiceParameters, batch);
			expect(items.every((i) => i.json.outcome === 'created')).toBe(true);
			refusals.push(bed.sim.log.filter((e) => e.seq > mark && e.status === 400).length);
		}
		// Each endpoint probes between the largest size accepted and the smallest refused.
		expect(refusals[0]).toBeGreaterThan(0);
		refusals.slice(1).forEach((r, k) => expect(r).toBeLessThanOrEqual(refusals[k]));
		expect(refusals[4]).toBe(0);
	});
});

describe('reads by ID use GET /<collection>/{id}', () => {
	it('gets customers, articles, drafts and invoices by ID where Id cannot be filtered, and an unknown ID is "not found"', async () => {
		bed = await testBed({ seed: 'default', refuseFilterOn: ['Id'] });
		const missing = '11111111-2222-4333-8444-555555555555';
		const cases: Array<[string, string, string, string]> = [
			['customer', 'customer', SEED_IDS.customers.first, 'Customer'],
			['article', 'article', SEED_IDS.articles.snickare, 'Article'],
			['customerInvoiceDraft', 'draft', SEED_IDS.drafts.first, 'Draft invoice'],
			['customerInvoice', 'invoice', SEED_IDS.invoices.paid, 'Invoice'],
		];
		for (const [resource, locator, id, label] of cases) {
			const { items } = await bed.run(
				{ resource, operation: 'get', [locator]: fromItem('ref'), simplify: false },
				[{ ref: byId(id) }, { ref: byId(missing) }],
				{ continueOnFail: true },
			);
			expect(items[0].json.Id).toBe(id);
			expect(items[1].json.error).toBe(
				`${label} with ID ${missing} is not in eAccounting [item 1]`,
			);
		}
		expect(bed.sim.log.filter((e) => e.status === 400)).toEqual([]);
		expect(Object.keys(bed.sim.stats().byRoute)).toEqual(
			expect.arrayContaining(['GET customers/{customerId}', 'GET articles/{articleId}']),
		);
	});

	it('a draft deleted by a request whose answer was lost counts as deleted when a read agrees it is gone', async () => {
		bed = await testBed({ seed: 'default' });
		bed.sim.injectFault({
			method: 'DELETE',
			path: `/v2/customerinvoicedrafts/${SEED_IDS.drafts.first}`,
			kind: 'lost-response',
			times: 1,
		});
		const { items } = await bed.run({
			resource: 'customerInvoiceDraft',
			operation: 'delete',
			draft: byId(SEED_IDS.drafts.first),
		});
		expect(items[0].json).toMatchObject({ deleted: true });
		expect(bed.sim.list('customerinvoicedrafts').some((d) => d.Id === SEED_IDS.drafts.first)).toBe(
			false,
		);
		// The repeat was refused (the draft was gone), and a read confirmed it.
		const routes = bed.sim.log.map((e) => `${e.method} ${e.status}`);
		expect(routes).toEqual(expect.arrayContaining(['DELETE 400', 'GET 404']));
	});
});

describe('source references are checked first', () => {
	it('a re-export costs only the reference look-ups: no customer, article or company settings', async () => {
		bed = await testBed({ seed: 'default' });
		const approvals = Array.from({ length: 5 }, (_, n) => approval(n));
		await bed.run(exportInvoiceParameters, approvals);
		bed.sim.resetStats();
		const { items } = await bed.run(exportInvoiceParameters, approvals);
		expect(items.map((i) => i.json.outcome)).toEqual(Array(5).fill('existingDraft'));
		expect(items[0].json.customer).toMatchObject({ CustomerNumber: 'K-0', outcome: 'found' });
		expect(bed.sim.stats().byEndpoint).toEqual({
			'GET customerinvoicedrafts': 1,
			'GET customerinvoices': 1,
		});
	});

	it('a new export reads drafts alone, then booked invoices, customers and articles at the same time', async () => {
		bed = await testBed({ seed: 'default', latencyMs: 100 });
		await bed.run(exportInvoiceParameters, [approval(1)]);
		const mark = lastSeq(bed);
		const { items } = await bed.run(exportInvoiceParameters, [approval(2)]);
		expect(items[0].json.outcome).toBe('created');
		const reads = bed.sim.log.filter((e) => e.seq > mark && e.method === 'GET');
		const at = (route: string) => Date.parse(reads.find((e) => e.route === route)!.t);
		const drafts = at('customerinvoicedrafts');
		const together = ['customerinvoices', 'customers', 'articles'].map(at);
		expect(reads[0].route).toBe('customerinvoicedrafts');
		// The first call went alone (see oldN8nTokens.test.ts); the next three in one round trip.
		expect(Math.min(...together) - drafts).toBeGreaterThanOrEqual(90);
		expect(Math.max(...together) - Math.min(...together)).toBeLessThan(60);
	});

	it('a re-export of a booked invoice writes nothing, though its customer and articles were read beside the invoices', async () => {
		bed = await testBed({ seed: 'default' });
		const { items: first } = await bed.run(exportInvoiceParameters, [approval(3)]);
		const draftId = String(first[0].json.Id);
		expect(bed.sim.api('POST', `/v2/customerinvoicedrafts/${draftId}/convert`).status).toBe(201);
		const mark = lastSeq(bed);
		bed.sim.resetStats();
		const { items } = await bed.run(exportInvoiceParameters, [approval(3)]);
		expect(items[0].json.outcome).toBe('existingInvoice');
		expect(writesAfter(bed, mark)).toEqual([]);
		expect(bed.sim.stats().byEndpoint).toEqual({
			'GET customerinvoicedrafts': 1,
			'GET customerinvoices': 1,
			'GET customers': 1,
			'GET articles': 1,
		});
	});

	it('a reference field Visma refuses to filter stops the node before anything is written, and says what to choose', async () => {
		bed = await testBed({
			seed: 'default',
			refuseFilterOn: ['customerinvoicedrafts.ContractNumber'],
		});
		const before = {
			customers: bed.sim.list('customers').length,
			articles: bed.sim.list('articles').length,
		};
		const mark = lastSeq(bed);
		const error = await failureOf(bed.run(exportInvoiceParameters, [approval(1), approval(2)]));
		expect(error?.message).toBe(
			'Visma eAccounting does not allow searching by Contract Number (ContractNumber), so the source reference cannot protect against duplicates',
		);
		expect(error?.description).toContain(
			"Your Reference, Our Reference, Buyer's Order Reference, Subscription Number",
		);
		expect(error?.description).toContain('Nothing was written');
		// With Continue On Fail every item gets that error (an error branch can answer each one).
		const { items: failed } = await bed.run(exportInvoiceParameters, [approval(1), approval(2)], {
			continueOnFail: true,
		});
		expect(failed.map((i) => i.json)).toEqual(
			[0, 1].map((i) => ({
				error: `${error?.message} [item ${i}]`,
				message: error?.description,
			})),
		);
		expect(writesAfter(bed, mark)).toEqual([]);
		expect(bed.sim.list('customers')).toHaveLength(before.customers);
		expect(bed.sim.list('articles')).toHaveLength(before.articles);

		// Another field works, and the refusal taught nothing about batch sizes: 20 references
		// cost one look-up on drafts before creating and one after.
		bed.sim.resetStats();
		const { items } = await bed.run(
			{
				...exportInvoiceParameters,
				exportOptions: {
					sourceReference: fromItem('invoiceNumber'),
					sourceReferenceField: 'YourReference',
				},
			},
			Array.from({ length: 20 }, (_, n) => approval(n)),
		);
		expect(items[1].json).toMatchObject({ outcome: 'created', YourReference: 'SRC-0001' });
		expect(bed.sim.stats().byEndpoint['GET customerinvoicedrafts']).toBe(2);
	});

	it('Create Draft Invoice stops the same way', async () => {
		bed = await testBed({ seed: 'default', refuseFilterOn: ['customerinvoices.ContractNumber'] });
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run(
				{
					resource: 'customerInvoiceDraft',
					operation: 'create',
					customer: byId(SEED_IDS.customers.first),
					rowsSource: 'mapFromInput',
					rowsData: fromItem('rows'),
					options: { sourceReference: fromItem('invoiceNumber') },
				},
				[approval(3)],
			),
		);
		expect(error?.message).toContain('does not allow searching by Contract Number');
		expect(writesAfter(bed, mark)).toEqual([]);
	});
});

describe('prices are never left to Visma', () => {
	it('a row without a price is sent with its article price, so the draft is not billed at 0', async () => {
		bed = await testBed({ seed: 'default' });
		const a100 = bed.sim.list('articles').find((a) => a.Number === 'A100')!;
		const { items } = await bed.run(exportInvoiceParameters, [
			{
				...approval(1),
				rows: [
					{ articleNumber: 'A100', quantity: 2 },
					{ articleNumber: 'A100', quantity: 1, unitPrice: 0 },
				],
			},
		]);
		const draft = bed.sim.list('customerinvoicedrafts').find((d) => d.Id === items[0].json.Id)!;
		expect((draft.Rows as Json[]).map((r) => r.UnitPrice)).toEqual([a100.NetPrice, 0]);
		expect(draft.ReplaceUnitPriceWhenZero).toBe(false);
		expect((items[0].json.articleMatches as Json[])[0]).toMatchObject({ priceFrom: 'article' });
	});
});

describe('duplicates are recognised by looking, not by an error code', () => {
	it('a customer or article number created elsewhere a moment before our POST is found and used', async () => {
		bed = await testBed({ seed: 'empty' });
		let raced = 0;
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			// Another system creates the same numbers just before our writes arrive.
			if (method === 'POST' && path === '/v2/customers' && raced++ === 0) {
				bed.sim.api('POST', '/v2/customers', {
					CustomerNumber: 'K-1',
					Name: 'Kund 1 AB',
					InvoiceCity: 'Umeå',
					InvoicePostalCode: '903 26',
					TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
					IsPrivatePerson: false,
					IsActive: true,
				});
			}
			if (method === 'POST' && path === '/v2/articles' && raced++ === 1) {
				bed.sim.api('POST', '/v2/articles', {
					Number: 'DEFAULT',
					Name: 'Other',
					UnitId: SEED_IDS.units.styck,
					CodingId: SEED_IDS.codings.tjanster25,
					IsActive: true,
				});
			}
		};
		const { items } = await bed.run(exportInvoiceParameters, [
			{ ...approval(1), rows: [{ text: 'Arbete', quantity: 1, unitPrice: 10 }] },
		]);
		bed.sim.hooks.beforeHandle = null;
		expect(items[0].json).toMatchObject({
			outcome: 'created',
			customer: { outcome: 'found' },
			defaultArticle: { outcome: 'found' },
		});
		// Both creates were refused, with an ErrorCode other than 4000.
		const refused = bed.sim.log.filter((e) => e.method === 'POST' && e.status === 400);
		expect(refused.map((e) => e.route)).toEqual(['customers', 'articles']);
		expect(bed.sim.list('customers')).toHaveLength(1);
		expect(bed.sim.list('articles').filter((a) => a.Number === 'DEFAULT')).toHaveLength(1);
	});
});

describe('the trigger reads invoices with modifiedSinceUtc and copes without $orderby or $select', () => {
	const bookInvoice = (b: TestBed) => {
		const draft = handMadeDraft(b.sim, SEED_IDS.customers.first);
		return b.sim.api('POST', `/v2/customerinvoicedrafts/${String(draft.Id)}/convert`).body as Json;
	};
	const ids = (items: Json[]) => items.map((i) => i.Id);

	it('New Booked Invoice and Invoice Paid never filter or sort invoices on ModifiedUtc', async () => {
		bed = await testBed({
			seed: 'default',
			refuseFilterOn: ['customerinvoices.ModifiedUtc'],
			refuseOrderByOn: ['customerinvoices.ModifiedUtc'],
		});
		const booked = new TriggerNode(bed, { event: 'newBookedInvoice' });
		const paid = new TriggerNode(bed, { event: 'invoicePaid' });
		expect(await booked.poll()).toEqual([]);
		expect(await paid.poll()).toEqual([]);
		const invoice = bookInvoice(bed);
		expect(ids(await booked.poll())).toEqual([invoice.Id]);
		expect(await paid.poll()).toEqual([]);
		bed.sim.markInvoicePaid(String(invoice.Id));
		expect(ids(await paid.poll())).toEqual([invoice.Id]);
		expect(await booked.poll()).toEqual([]);
		const invoiceReads = bed.sim.log.filter(
			(e) => e.method === 'GET' && e.route === 'customerinvoices',
		);
		expect(invoiceReads.length).toBeGreaterThan(0);
		expect(invoiceReads.filter((e) => e.status !== 200)).toEqual([]);
		expect(invoiceReads.filter((e) => e.query.$filter !== undefined)).toEqual([]);
		expect(invoiceReads.some((e) => e.query.modifiedSinceUtc !== undefined)).toBe(true);
	});

	it('New Draft Invoice works where $orderby and $select are refused: it sorts and picks fields itself', async () => {
		bed = await testBed({ seed: 'default', refuseOrderByOn: ['CreatedUtc'], refuseSelect: true });
		const node = new TriggerNode(bed, { event: 'newDraftInvoice' });
		expect(await node.poll()).toEqual([]);
		const created = [0, 1, 2].map(() => {
			bed.sim.clock.advance(1000);
			return handMadeDraft(bed.sim, SEED_IDS.customers.first).Id;
		});
		expect(ids(await node.poll())).toEqual(created);
		expect(await node.poll()).toEqual([]);
		const manual = await new TriggerNode(bed, { event: 'newDraftInvoice' }).poll('manual');
		expect(ids(manual).slice(0, 3)).toEqual([...created].reverse());
	});
});

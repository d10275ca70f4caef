import { describe, expect, it } from '@jest/globals';

import {
	byId,
	byNumber,
	fromItem,
	SEED_IDS,
	testBed,
	useTestBed,
	ensureDefaultArticleParameters,
	exportInvoiceParameters,
} from './support';
import { draftsWith, rowsOf } from './simLog';

/** The four-node flow's parameters, reading the approved invoice from each item. */
const findOrCreateCustomer = {
	resource: 'customer',
	operation: 'findOrCreate',
	customerNumber: fromItem('customer.number'),
	customerName: fromItem('customer.name'),
	postalCode: fromItem('customer.postalCode'),
	city: fromItem('customer.city'),
};
const createDraft = (extra: Record<string, unknown> = {}) => ({
	resource: 'customerInvoiceDraft',
	operation: 'create',
	customer: (item: { json: Record<string, unknown> }) => byId(String(item.json.customerId)),
	defaultArticle: byNumber('DEFAULT'),
	rowsSource: 'mapFromInput',
	rowsData: fromItem('rows'),
	options: { sourceReference: fromItem('invoiceNumber'), sourceReferenceField: 'ContractNumber' },
	...extra,
});

const invoice = (n: number, customerNumber: string, rows: unknown[]) => ({
	invoiceNumber: `INV-${n}`,
	customer: {
		number: customerNumber,
		name: `Kund ${customerNumber}`,
		postalCode: '903 26',
		city: 'Umeå',
	},
	rows,
});

describe('approval to draft, step by step', () => {
	const bed = useTestBed();

	it('Find or Create Customer creates a new number exactly once across many items', async () => {
		const before = bed.sim.list('customers').length;
		const items = [
			invoice(1, 'N-100', []),
			invoice(2, 'N-100', []),
			invoice(3, '1001', []),
			invoice(4, 'N-100', []),
			invoice(5, 'N-200', []),
		];
		const { items: out } = await bed.run(findOrCreateCustomer, items);
		expect(out.map((o) => [o.json.CustomerNumber, o.json.outcome])).toEqual([
			['N-100', 'created'],
			['N-100', 'found'],
			['1001', 'found'],
			['N-100', 'found'],
			['N-200', 'created'],
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		const customers = bed.sim.list('customers');
		expect(customers).toHaveLength(before + 2);
		expect(customers.filter((c) => c.CustomerNumber === 'N-100')).toHaveLength(1);
		const created = customers.find((c) => c.CustomerNumber === 'N-100')!;
		expect(created).toMatchObject({
			Name: 'Kund N-100',
			InvoicePostalCode: '903 26',
			InvoiceCity: 'Umeå',
			IsActive: true,
			IsPrivatePerson: false,
			TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
		});

		const again = await bed.run(findOrCreateCustomer, items.slice(0, 1));
		expect(again.items[0].json.outcome).toBe('found');
		expect(bed.sim.list('customers')).toHaveLength(before + 2);
	});

	it('updates an existing customer only when asked, merging into the full record', async () => {
		const existing = bed.sim.list('customers').find((c) => c.CustomerNumber === '1002')!;
		const params = { ...findOrCreateCustomer, city: 'Luleå' };
		const item = invoice(9, '1002', []);
		expect((await bed.run(params, [item])).items[0].json.outcome).toBe('found');
		expect(bed.sim.list('customers').find((c) => c.Id === existing.Id)!.InvoiceCity).toBe(
			existing.InvoiceCity,
		);

		const updated = await bed.run(
			{
				...params,
				customerName: existing.Name,
				postalCode: existing.InvoicePostalCode,
				options: { updateExisting: true },
			},
			[item],
		);
		expect(updated.items[0].json).toMatchObject({
			outcome: 'updated',
			changedFields: ['InvoiceCity'],
		});
		const after = bed.sim.list('customers').find((c) => c.Id === existing.Id)!;
		expect({ ...after, ChangedUtc: null, InvoiceCity: null }).toEqual({
			...existing,
			ChangedUtc: null,
			InvoiceCity: null,
		});
		expect(after.InvoiceCity).toBe('Luleå');
	});

	it('Ensure Default Article creates the article once and reuses it', async () => {
		const first = await bed.run(ensureDefaultArticleParameters, [{}, {}, {}]);
		expect(first.items.map((o) => o.json.outcome)).toEqual(['created', 'found', 'found']);
		const second = await bed.run(ensureDefaultArticleParameters, [{}]);
		expect(second.items[0].json).toMatchObject({
			outcome: 'found',
			Number: 'DEFAULT',
			Id: first.items[0].json.Id,
		});
		const defaults = bed.sim.list('articles').filter((a) => a.Number === 'DEFAULT');
		expect(defaults).toHaveLength(1);
		expect(defaults[0]).toMatchObject({
			Name: 'Other',
			UnitId: SEED_IDS.units.styck,
			CodingId: SEED_IDS.codings.tjanster25,
			IsActive: true,
		});
	});

	it('Create Draft Invoice matches rows to articles and sends the rest to the default article', async () => {
		const customer = bed.sim.list('customers').find((c) => c.CustomerNumber === 'N-100')!;
		const defaultArticle = bed.sim.list('articles').find((a) => a.Number === 'DEFAULT')!;
		const item = {
			customerId: customer.Id,
			invoiceNumber: 'INV-100',
			rows: [
				{ articleNumber: 'A100', text: 'Snickeri vecka 47', quantity: 7.5, unitPrice: 650 },
				{
					articleNumber: 'FS-9000',
					text: 'Fältservice utryckning',
					quantity: 1,
					unitPrice: 1450.505,
				},
				{ text: 'Resa', quantity: 2, unitPrice: 250, discountPercent: 12.5 },
				{ isTextRow: true, text: 'Tack för förtroendet!' },
			],
		};
		const { items: out } = await bed.run(createDraft(), [item]);
		expect(out[0].json.outcome).toBe('created');
		expect(
			(out[0].json.articleMatches as Array<Record<string, unknown>>).map((m) => [
				m.match,
				m.usedArticleNumber,
			]),
		).toEqual([
			['article', 'A100'],
			['default', 'DEFAULT'],
			['default', 'DEFAULT'],
			['text', null],
		]);

		const drafts = draftsWith(bed, 'INV-100');
		expect(drafts).toHaveLength(1);
		const draft = drafts[0];
		expect(draft).toMatchObject({
			CustomerId: customer.Id,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
			IsCreditInvoice: false,
		});
		expect(rowsOf(draft)).toEqual([
			[SEED_IDS.articles.snickare, 'Snickeri vecka 47', 7.5, 650, 0, false],
			[defaultArticle.Id, 'Fältservice utryckning', 1, 1450.51, 0, false],
			[defaultArticle.Id, 'Resa', 2, 250, 0.125, false],
			[null, 'Tack för förtroendet!', 0, 0, 0, true],
		]);
	});

	it('re-exporting the same source reference returns the existing draft or invoice, never a second draft', async () => {
		const customer = bed.sim.list('customers').find((c) => c.CustomerNumber === 'N-100')!;
		const item = {
			customerId: customer.Id,
			invoiceNumber: 'INV-100',
			rows: [{ articleNumber: 'A100', quantity: 1 }],
		};
		const draftsBefore = bed.sim.list('customerinvoicedrafts').length;
		const rerun = await bed.run(createDraft(), [item, item]);
		expect(rerun.items.map((o) => o.json.outcome)).toEqual(['existingDraft', 'existingDraft']);
		expect(bed.sim.list('customerinvoicedrafts')).toHaveLength(draftsBefore);

		// Once the draft is booked, the invoice is what a re-export finds.
		const draft = bed.sim
			.list('customerinvoicedrafts')
			.find((d) => d.ContractNumber === 'INV-100')!;
		expect(bed.sim.api('POST', `/v2/customerinvoicedrafts/${draft.Id}/convert`).status).toBe(201);
		const afterBooking = await bed.run(createDraft(), [item]);
		expect(afterBooking.items[0].json).toMatchObject({
			outcome: 'existingInvoice',
			ContractNumber: 'INV-100',
		});
		expect(afterBooking.items[0].json.InvoiceNumber).toEqual(expect.any(Number));
		expect(
			bed.sim.list('customerinvoicedrafts').filter((d) => d.ContractNumber === 'INV-100'),
		).toHaveLength(0);

		// Items sharing a new reference in one run make one draft.
		const twice = await bed.run(createDraft(), [
			{ ...item, invoiceNumber: 'INV-101' },
			{ ...item, invoiceNumber: 'INV-101' },
		]);
		expect(twice.items.map((o) => o.json.outcome)).toEqual(['created', 'existingDraft']);
		expect(twice.items[0].json.Id).toBe(twice.items[1].json.Id);
		expect(
			bed.sim.list('customerinvoicedrafts').filter((d) => d.ContractNumber === 'INV-101'),
		).toHaveLength(1);
	});

	it('finds the customer by number too', async () => {
		const { items: out } = await bed.run(createDraft({ customer: byNumber('1003'), options: {} }), [
			{ rows: [{ articleNumber: 'A110', quantity: 10 }] },
		]);
		const customer = bed.sim.list('customers').find((c) => c.CustomerNumber === '1003')!;
		expect(out[0].json).toMatchObject({ outcome: 'created', CustomerId: customer.Id });
	});
});

describe('approval to draft in one step', () => {
	const bed = useTestBed({ seed: 'empty' });

	const exportInvoice = { ...exportInvoiceParameters, defaultArticleUnitId: SEED_IDS.units.timme };

	it('creates customer, default article and draft, and is safe to re-run', async () => {
		const items = [
			invoice(1, '500', [{ articleNumber: 'X1', text: 'Service', quantity: 2, unitPrice: 100 }]),
			invoice(2, '500', [{ text: 'Material', quantity: 1, unitPrice: 40 }]),
			invoice(3, '501', [{ articleNumber: 'X2', quantity: 3, unitPrice: 10 }]),
		];
		const first = await bed.run(exportInvoice, items);
		expect(
			first.items.map((o) => [
				o.json.outcome,
				(o.json.customer as Record<string, unknown>).outcome,
				(o.json.defaultArticle as Record<string, unknown>).outcome,
			]),
		).toEqual([
			['created', 'created', 'created'],
			['created', 'found', 'found'],
			['created', 'created', 'found'],
		]);
		expect(
			bed.sim
				.list('customers')
				.map((c) => c.CustomerNumber)
				.sort(),
		).toEqual(['500', '501']);
		expect(bed.sim.list('articles').map((a) => a.Number)).toEqual(['DEFAULT']);
		expect(bed.sim.list('customerinvoicedrafts')).toHaveLength(3);

		const second = await bed.run(exportInvoice, items);
		expect(second.items.map((o) => o.json.outcome)).toEqual([
			'existingDraft',
			'existingDraft',
			'existingDraft',
		]);
		expect(bed.sim.list('customerinvoicedrafts')).toHaveLength(3);
		expect(bed.sim.list('customers')).toHaveLength(2);
	});
});

describe('look-ups are batched', () => {
	it('50 invoices from 10 customers with 20 article numbers cost one POST each plus a few look-ups', async () => {
		const bed = await testBed();
		try {
			const customers = bed.sim.list('customers').slice(0, 10);
			const items = Array.from({ length: 50 }, (_, n) => ({
				customerId: customers[n % 10].Id,
				invoiceNumber: `BATCH-${n}`,
				rows: Array.from({ length: 4 }, (__, r) => ({
					articleNumber: `ART-${(n * 4 + r) % 20}`,
					quantity: 1,
					unitPrice: 100 + r,
				})),
			}));
			await bed.run(ensureDefaultArticleParameters, [{}]);
			bed.sim.resetStats();
			const { items: out } = await bed.run(createDraft(), items);
			expect(out.every((o) => o.json.outcome === 'created')).toBe(true);
			const stats = bed.sim.stats();
			expect(stats.byEndpoint['POST customerinvoicedrafts']).toBe(50);
			// 200 rows and 50 references cost: customers by ID 10 (Visma documents GET /customers/{id},
			// not a filter on Id), articles 1, and two filters of 25 references (the most a
			// 100-node filter holds, never refused) for each of the draft check, the invoice check
			// and the after-create look at drafts and invoices. Not one look-up per row or per item.
			// No company settings: every row has its own price with at most 2 decimals.
			expect(stats.byRoute).toEqual({
				'GET customers/{customerId}': 10,
				'GET articles': 1,
				'GET customerinvoicedrafts': expect.any(Number),
				'GET customerinvoices': expect.any(Number),
				'POST customerinvoicedrafts': 50,
			});
			expect(bed.sim.log.filter((e) => e.status === 400)).toHaveLength(0);
			expect(stats.byRoute['GET customerinvoicedrafts']).toBe(4);
			expect(stats.byRoute['GET customerinvoices']).toBe(4);
		} finally {
			await bed.close();
		}
	});
});

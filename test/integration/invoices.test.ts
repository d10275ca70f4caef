import { describe, expect, it } from '@jest/globals';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { listSearch } from '../../nodes/VismaEAccounting/methods/listSearch';
import { buildContext } from '../../dev/harness/context';
import { byId, byNumber, fromItem, SEED_IDS, useTestBed } from './support';

type Json = Record<string, unknown>;
const { searchInvoices } = listSearch;

describe('Customer Invoice > Get, Get Many, Download PDF', () => {
	const bed = useTestBed();

	const invoice = (id: string) => bed.sim.list('customerinvoices').find((i) => i.Id === id)!;

	it('gets invoices by ID and by invoice number', async () => {
		const unpaid = invoice(SEED_IDS.invoices.unpaid);
		const { items: out } = await bed.run(
			{
				resource: 'customerInvoice',
				operation: 'get',
				invoice: fromItem('ref'),
				simplify: fromItem('simplify'),
			},
			[
				{ ref: byId(SEED_IDS.invoices.unpaid), simplify: true },
				{ ref: byNumber(String(unpaid.InvoiceNumber)), simplify: false },
				{ ref: byNumber('99999'), simplify: true },
				{ ref: byNumber('12a'), simplify: true },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toEqual({
			Id: unpaid.Id,
			InvoiceNumber: unpaid.InvoiceNumber,
			CustomerId: SEED_IDS.customers.first,
			CustomerName: unpaid.CustomerName,
			InvoiceDate: unpaid.InvoiceDate,
			DueDate: unpaid.DueDate,
			CurrencyCode: 'SEK',
			TotalAmount: unpaid.TotalAmount,
			RemainingAmount: unpaid.RemainingAmount,
			PaymentStatus: 1,
		});
		expect(out[1].json).toEqual(unpaid);
		expect(out[2].json.error).toBe(
			'Invoice with invoice number 99999 is not in eAccounting [item 2]',
		);
		expect(out[3].json.error).toBe('Invoice: Invoice Number must be a number, got "12a" [item 3]');
	});

	it('lists invoices by payment status, customer and change time', async () => {
		const all = bed.sim.list('customerinvoices');
		const run = async (filters: Json) =>
			(
				await bed.run({
					resource: 'customerInvoice',
					operation: 'getAll',
					returnAll: true,
					filters,
				})
			).items.map((o) => o.json.Id);
		const ids = (pick: (i: Json) => boolean) =>
			all
				.filter(pick)
				.map((i) => i.Id)
				.sort();
		expect((await run({})).sort()).toEqual(ids(() => true));
		expect((await run({ paymentStatus: [0] })).sort()).toEqual(ids((i) => i.PaymentStatus === 0));
		expect((await run({ paymentStatus: [1, 2] })).sort()).toEqual(
			ids((i) => i.PaymentStatus !== 0),
		);
		expect(await run({ paymentStatus: [2] })).toEqual([SEED_IDS.invoices.overdue]);
		expect((await run({ customer: byNumber('1001') })).sort()).toEqual(
			ids((i) => i.CustomerId === SEED_IDS.customers.first),
		);
		expect((await run({ customer: byNumber('1001'), paymentStatus: [1] })).sort()).toEqual([
			SEED_IDS.invoices.unpaid,
		]);

		const since = new Date(bed.sim.clock.now().getTime() - 1000).toISOString();
		bed.sim.markInvoicePaid(SEED_IDS.invoices.unpaid2);
		expect(await run({ changedSince: since })).toEqual([SEED_IDS.invoices.unpaid2]);
		const listCall = bed.sim.log.filter((e) => e.route === 'customerinvoices').at(-1)!;
		expect(listCall.query.modifiedSinceUtc).toBe(since);
	});

	it('downloads the PDF as binary data named after the invoice number', async () => {
		const unpaid = invoice(SEED_IDS.invoices.unpaid);
		const { items: out } = await bed.run(
			{
				resource: 'customerInvoice',
				operation: 'downloadPdf',
				invoice: fromItem('ref'),
				binaryPropertyName: 'faktura',
			},
			[
				{ ref: byNumber(String(unpaid.InvoiceNumber)) },
				{ ref: byId('11111111-2222-4333-8444-555555555555') },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toMatchObject({
			Id: unpaid.Id,
			InvoiceNumber: unpaid.InvoiceNumber,
			fileName: `invoice-${unpaid.InvoiceNumber}.pdf`,
		});
		const file = out[0].binary!.faktura;
		expect(file).toMatchObject({
			fileName: `invoice-${unpaid.InvoiceNumber}.pdf`,
			mimeType: 'application/pdf',
		});
		const pdf = Buffer.from(file.data, 'base64');
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.toString('latin1')).toContain(`Faktura ${unpaid.InvoiceNumber}`);
		expect(out[1].binary).toBeUndefined();
		expect(out[1].json.error).toMatch(/is not in eAccounting \[item 1\]$/);
		expect(
			bed.sim.log.filter((e) => e.route === 'customerinvoices/{invoiceId}/print'),
		).toHaveLength(1);
	});

	it('From List finds invoices by invoice number or customer name', async () => {
		const { loadOptions } = buildContext(
			{ nodeType: new VismaEAccounting(), parameters: {}, credential: bed.credential },
			{ calls: 0 },
		);
		const unpaid = invoice(SEED_IDS.invoices.unpaid);
		const byNumberResult = await searchInvoices.call(loadOptions, String(unpaid.InvoiceNumber));
		expect(byNumberResult.results.map((r) => r.value)).toEqual([unpaid.Id]);
		expect(
			byNumberResult.results[0].name.startsWith(
				`${String(unpaid.InvoiceNumber)} ${String(unpaid.CustomerName)} `,
			),
		).toBe(true);
		const byName = await searchInvoices.call(loadOptions, String(unpaid.CustomerName).slice(0, 6));
		expect(byName.results.map((r) => r.value)).toContain(unpaid.Id);
		expect((await searchInvoices.call(loadOptions)).results).toHaveLength(
			bed.sim.list('customerinvoices').length,
		);
	});
});

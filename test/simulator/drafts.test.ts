import { describe, expect, it } from '@jest/globals';

import { articleRow, draftBody, fields, textRow, type Sim, authorized, type Api } from './helpers';
import { SEED_IDS, articleIdFor } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

const C = SEED_IDS.customers;
const A = SEED_IDS.articles;
const GUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

describe('simulator customer invoice drafts and invoices', () => {
	let sim: Sim;
	let api: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started);
	});

	it('computes row amounts, totals and customer fields', async () => {
		const res = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(
				C.first,
				[
					articleRow(A.snickare, 1.5, { DiscountPercentage: 0.1 }),
					textRow('Tack för uppdraget!'),
					articleRow(A.facklitteratur, 2, { UnitPrice: 99.5 }),
				],
				{
					YourReference: 'Order 4711',
					InvoiceDate: '2026-03-01',
					ReplaceUnitPriceWhenZero: true, // row 0 has no UnitPrice: take the article's
				},
			),
		);
		expect(res.status).toBe(201);
		const d = res.body;
		expect(d).toMatchObject({
			CustomerNumber: '1001',
			CustomerName: 'Bergström Bygg AB',
			InvoiceCustomerName: 'Bergström Bygg AB',
			InvoiceCurrencyCode: 'SEK',
			CustomerIsPrivatePerson: false,
			IncludesVat: false,
			YourReference: 'Order 4711',
			InvoiceDate: '2026-03-01T00:00:00',
			DueDate: '2026-03-31T00:00:00',
			TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
		});
		expect(d.CreatedUtc).toBeTruthy();
		expect(d).not.toHaveProperty('ModifiedUtc');
		// 1.5 × 650 × 0.9 = 877.50 (25 %), 2 × 99.50 = 199.00 (6 %)
		expect(d.Rows.map((r: { Amount: number }) => r.Amount)).toEqual([877.5, 0, 199]);
		expect(d.Rows[0]).toMatchObject({
			ArticleNumber: 'A100',
			Text: 'Arbetstid snickare',
			UnitPrice: 650,
			UnitName: 'Timme',
			UnitAbbreviation: 'tim',
			VatRate: 0.25,
			LineNumber: 0,
		});
		expect(d.Rows[1]).toMatchObject({ IsTextRow: true, VatRate: null, ArticleId: null });
		// VAT 219.38 + 11.94; 1076.50 + 231.32 = 1307.82 → rounded to 1308 kr
		expect(d).toMatchObject({ TotalVatAmount: 231.32, TotalAmount: 1308, TotalRoundings: 0.18 });
	});

	it('enforces the row rules with indexed field names', async () => {
		const res = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [
				articleRow(A.snickare, 1),
				{ IsTextRow: false, ReversedConstructionServicesVatFree: false, Quantity: 1 },
				{ IsTextRow: false, ReversedConstructionServicesVatFree: false, ArticleId: A.snickare },
				textRow('', { ArticleId: A.snickare, UnitPrice: 10 }),
			]),
		);
		expect(res.status).toBe(400);
		expect(fields(res.body)).toEqual([
			'Rows[1].ArticleId',
			'Rows[2].Quantity',
			'Rows[3].Text',
			'Rows[3].ArticleId',
			'Rows[3].UnitPrice',
		]);
		// the two required row flags are checked first (model validation)
		const flags = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [
				articleRow(A.snickare, 1),
				{ IsTextRow: true, Text: 'x' },
				{ ArticleId: A.snickare, Quantity: 1 },
			]),
		);
		expect(fields(flags.body)).toEqual([
			'Rows[1].ReversedConstructionServicesVatFree',
			'Rows[2].IsTextRow',
			'Rows[2].ReversedConstructionServicesVatFree',
		]);

		const onlyText = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [textRow('Hej')]),
		);
		expect(fields(onlyText.body)).toEqual(['Rows']);
		const noRows = await api('POST', '/v2/customerinvoicedrafts', {
			CustomerId: C.first,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
		});
		expect(fields(noRows.body)).toEqual(['Rows']);
		const tooMany = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(
				C.first,
				Array.from({ length: 1001 }, () => articleRow(A.snickare, 1)),
			),
		);
		expect(fields(tooMany.body)).toEqual(['Rows']);
		expect(
			(
				await api(
					'POST',
					'/v2/customerinvoicedrafts',
					draftBody(
						C.first,
						Array.from({ length: 1000 }, () => articleRow(A.snickare, 1)),
					),
				)
			).status,
		).toBe(201);

		const missingTop = await api('POST', '/v2/customerinvoicedrafts', {
			Rows: [articleRow(A.snickare, 1)],
		});
		expect(fields(missingTop.body).sort()).toEqual([
			'CustomerId',
			'EuThirdParty',
			'RotReducedInvoicingType',
		]);
	});

	it('answers 3000 for unknown customers and articles, 2000 for inactive articles', async () => {
		const unknownCustomer = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(GUID, [articleRow(A.snickare, 1)]),
		);
		expect(unknownCustomer.body.ErrorCode).toBe(3000);
		expect(fields(unknownCustomer.body)).toEqual(['CustomerId']);
		const unknownArticle = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1), articleRow(GUID, 1)]),
		);
		expect(unknownArticle.body.ErrorCode).toBe(3000);
		expect(fields(unknownArticle.body)).toEqual(['Rows[1].ArticleId']);
		const unknownTerms = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], { TermsOfPaymentId: GUID }),
		);
		expect(fields(unknownTerms.body)).toEqual(['TermsOfPaymentId']);
		const inactive = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.inactive, 1)]),
		);
		expect(inactive.body.ErrorCode).toBe(2000);
		expect(fields(inactive.body)).toEqual(['Rows[0].ArticleId']);
	});

	it('limits decimals: UnitPrice 2 (SEK) or 4 (foreign currency), Quantity 2, DiscountPercentage 4 within 0..1', async () => {
		const sek = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1.123, { DiscountPercentage: 0.12345 })]),
		);
		expect(fields(sek.body).sort()).toEqual(['Rows[0].DiscountPercentage', 'Rows[0].Quantity']);
		const price = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [
				articleRow(A.snickare, 1.12, { UnitPrice: 10.125, DiscountPercentage: 0.1234 }),
			]),
		);
		expect(fields(price.body)).toEqual(['Rows[0].UnitPrice']);
		expect(price.body.Errors[0].Key).toBe('Decimals');
		expect(
			fields(
				(
					await api(
						'POST',
						'/v2/customerinvoicedrafts',
						draftBody(C.first, [articleRow(A.snickare, 1, { DiscountPercentage: 10 })]),
					)
				).body,
			),
		).toEqual(['Rows[0].DiscountPercentage']);
		const eur = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.eur, [articleRow(A.snickare, 3, { UnitPrice: 56.7525 })]),
		);
		expect(eur.status).toBe(201);
		expect(eur.body).toMatchObject({
			InvoiceCurrencyCode: 'EUR',
			TotalAmount: 212.83,
			TotalVatAmount: 42.57,
			TotalRoundings: 0,
		});
		// 3 × 56.7525 = 170.2575 → 170.26; VAT 42.565 → 42.57 (half away from zero); no whole-unit rounding outside SEK
		expect(eur.body.Rows[0].Amount).toBe(170.26);
		expect(
			fields(
				(
					await api(
						'POST',
						'/v2/customerinvoicedrafts',
						draftBody(C.eur, [articleRow(A.snickare, 1, { UnitPrice: 1.23456 })]),
					)
				).body,
			),
		).toEqual(['Rows[0].UnitPrice']);
	});

	it('prices an omitted UnitPrice at 0 unless ReplaceUnitPriceWhenZero, and applies customer rules', async () => {
		const res = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.privatePerson, [articleRow(A.gipsskiva, 10)]),
		);
		expect(res.status).toBe(201);
		expect(res.body.Rows[0]).toMatchObject({ UnitPrice: 0, Amount: 0 });
		expect(res.body).toMatchObject({ TotalAmount: 0, CustomerIsPrivatePerson: true });
		const explicitFalse = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.gipsskiva, 10)], { ReplaceUnitPriceWhenZero: false }),
		);
		expect(explicitFalse.body.Rows[0]).toMatchObject({ UnitPrice: 0, Amount: 0 });

		// ReplaceUnitPriceWhenZero: an omitted or 0 UnitPrice takes the article's price (converted for foreign currencies)
		const replaced = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(
				C.first,
				[
					articleRow(A.gipsskiva, 10),
					articleRow(A.gipsskiva, 1, { UnitPrice: 0 }),
					articleRow(A.gipsskiva, 1, { UnitPrice: 50 }),
					textRow('Tack'),
				],
				{
					ReplaceUnitPriceWhenZero: true,
				},
			),
		);
		expect(
			replaced.body.Rows.map((r: { UnitPrice: number; Amount: number }) => [r.UnitPrice, r.Amount]),
		).toEqual([
			[89, 890],
			[89, 89],
			[50, 50],
			[0, 0],
		]);
		const zeroKept = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.gipsskiva, 1, { UnitPrice: 0 })]),
		);
		expect(zeroKept.body.Rows[0].UnitPrice).toBe(0);
		const eur = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.eur, [articleRow(A.snickare, 1)], { ReplaceUnitPriceWhenZero: true }),
		);
		expect(eur.body.Rows[0].UnitPrice).toBe(56.7686); // 650 SEK / 11.45

		const eref = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.privatePerson, [articleRow(A.gipsskiva, 1)], { ElectronicReference: 'PO-1' }),
		);
		expect(fields(eref.body)).toEqual(['ElectronicReference']);
		const reverse = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [
				articleRow(A.snickare, 1, { ReversedConstructionServicesVatFree: true }),
			]),
		);
		expect(fields(reverse.body)).toEqual(['Rows[0].ReversedConstructionServicesVatFree']);
		const reverseOk = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.reverseCharge, [
				articleRow(A.snickare, 1, { ReversedConstructionServicesVatFree: true }),
			]),
		);
		expect(reverseOk.body).toMatchObject({
			TotalVatAmount: 0,
			ReverseChargeOnConstructionServices: true,
		});
		const rot = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.privatePerson, [articleRow(A.snickare, 1)], { RotReducedInvoicingType: 1 }),
		);
		expect(fields(rot.body)).toEqual(['Persons']);
		const dates = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], {
				InvoiceDate: '2026-03-10',
				DueDate: '2026-03-09T00:00:00Z',
			}),
		);
		expect(fields(dates.body)).toEqual(['DueDate']);
		const longRef = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], {
				BuyersOrderReference: 'x'.repeat(36),
				YourReference: 'y'.repeat(101),
			}),
		);
		expect(fields(longRef.body).sort()).toEqual(['BuyersOrderReference', 'YourReference']);
	});

	it('replaces drafts with PUT and deletes them', async () => {
		const created = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], { YourReference: 'A' }),
		);
		const id = created.body.Id;
		const got = await api('GET', `/v2/customerinvoicedrafts/${id}`);
		const put = await api('PUT', `/v2/customerinvoicedrafts/${id}`, {
			...got.body,
			Rows: [...got.body.Rows, articleRow(A.gipsskiva, 2)],
		});
		expect(put.status).toBe(200);
		expect(put.body.Rows).toHaveLength(2);
		expect(put.body.YourReference).toBe('A');
		expect(put.body.CreatedUtc).toBe(created.body.CreatedUtc);
		const replaced = await api(
			'PUT',
			`/v2/customerinvoicedrafts/${id}`,
			draftBody(C.first, [articleRow(A.snickare, 2)]),
		);
		expect(replaced.body.YourReference).toBeNull();
		expect((await api('DELETE', `/v2/customerinvoicedrafts/${id}`)).status).toBe(200);
		expect((await api('GET', `/v2/customerinvoicedrafts/${id}`)).status).toBe(404);
	});

	it('converts a draft into a booked invoice', async () => {
		sim.clock.set('2026-03-15T09:00:00Z');
		const next = sim.companySettings().NextCustomerInvoiceNumber;
		const draft = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 2, { UnitPrice: 650 })], {
				InvoiceDate: '2026-03-01',
				OurReference: 'Karin',
			}),
		);
		const inv = await api('POST', `/v2/customerinvoicedrafts/${draft.body.Id}/convert`);
		expect(inv.status).toBe(201);
		expect(inv.body).toMatchObject({
			InvoiceNumber: next,
			InvoiceDate: '2026-03-15T00:00:00', // past draft date → today
			DueDate: '2026-04-14T00:00:00',
			PaymentStatus: 1,
			RemainingAmount: 1625,
			TotalAmount: 1625,
			TotalVatAmount: 325,
			CreatedFromDraftId: draft.body.Id,
			OurReference: 'Karin',
			CustomerNumber: '1001',
			CurrencyCode: 'SEK',
		});
		expect(inv.body.VoucherNumber).toBeTruthy();
		expect(inv.body.VoucherId).not.toBe('00000000-0000-0000-0000-000000000000');
		expect(inv.body.CreatedUtc).toBe(inv.body.ModifiedUtc);
		expect(sim.companySettings().NextCustomerInvoiceNumber).toBe(next + 1);
		expect((await api('GET', `/v2/customerinvoicedrafts/${draft.body.Id}`)).status).toBe(404);

		const keep = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], { InvoiceDate: '2026-03-01' }),
		);
		const kept = await api(
			'POST',
			`/v2/customerinvoicedrafts/${keep.body.Id}/convert?keepOriginalDraftDate=true`,
		);
		expect(kept.body).toMatchObject({
			InvoiceNumber: next + 1,
			InvoiceDate: '2026-03-01T00:00:00',
		});
		const future = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1)], { InvoiceDate: '2026-04-01' }),
		);
		expect(
			(await api('POST', `/v2/customerinvoicedrafts/${future.body.Id}/convert`)).body.InvoiceDate,
		).toBe('2026-04-01T00:00:00');

		const check = await api(
			'POST',
			'/v2/customerinvoicedrafts',
			draftBody(C.first, [articleRow(A.snickare, 1, { UnitPrice: 650 })]),
		);
		const wrongTotal = await api('POST', `/v2/customerinvoicedrafts/${check.body.Id}/convert`, {
			TotalAmountInvoiceCurrency: 1,
		});
		expect(fields(wrongTotal.body)).toEqual(['TotalAmountInvoiceCurrency']);
		expect(
			(
				await api('POST', `/v2/customerinvoicedrafts/${check.body.Id}/convert`, {
					TotalAmountInvoiceCurrency: 813,
					TotalVatAmountInvoiceCurrency: 162.5,
				})
			).status,
		).toBe(201);
	});

	it('serves invoice PDFs (bytes and an anonymous temporary link)', async () => {
		const inv = sim.list('customerinvoices')[0];
		const print = await fetch(`${sim.url}/v2/customerinvoices/${inv.Id}/print`, {
			headers: { Authorization: `Bearer ${sim.issueTokens().access_token}` },
		});
		expect(print.status).toBe(200);
		expect(print.headers.get('content-type')).toBe('application/pdf');
		const pdf = await print.text();
		expect(pdf.startsWith('%PDF-1.')).toBe(true);
		expect(pdf).toContain(`Faktura ${inv.InvoiceNumber}`);
		expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);

		const link = await api('GET', `/v2/customerinvoices/${inv.Id}/pdf`);
		expect(link.body.Url).toMatch(
			new RegExp(`^${sim.url}/storage/temp/fileanonymous/[0-9a-f-]{36}$`),
		);
		const anon = await fetch(link.body.Url);
		expect(anon.status).toBe(200);
		expect(await anon.text()).toBe(pdf);
	});

	it('tracks payment status, payments, markInvoicePaid and modifiedSinceUtc', async () => {
		const invoices = sim.list('customerinvoices');
		expect(invoices.map((i) => i.PaymentStatus).sort()).toEqual([0, 0, 1, 1, 1, 2]);
		const overdue = await api(
			'GET',
			`/v2/customerinvoices${'?$filter=' + encodeURIComponent('PaymentStatus eq 2')}`,
		);
		expect(overdue.body.Data.map((i: { Id: string }) => i.Id)).toEqual([SEED_IDS.invoices.overdue]);

		const unpaid = invoices.find((i) => i.Id === SEED_IDS.invoices.unpaid);
		const payment = {
			CompanyBankAccountId: SEED_IDS.bankAccounts.foretagskonto,
			PaymentAmount: 1000,
			PaymentCurrency: 'SEK',
			PaymentType: 1,
		};
		const partial = await api('POST', `/v2/customerinvoices/${unpaid?.Id}/payments`, payment);
		expect(partial.status).toBe(201);
		const after = await api('GET', `/v2/customerinvoices/${unpaid?.Id}`);
		expect(after.body).toMatchObject({
			PaymentStatus: 1,
			RemainingAmount: (unpaid?.RemainingAmount ?? 0) - 1000,
		});
		expect(
			fields(
				(
					await api('POST', `/v2/customerinvoices/${unpaid?.Id}/payments`, {
						...payment,
						PaymentCurrency: 'EUR',
						CompanyBankAccountId: GUID,
					})
				).body,
			),
		).toEqual(['CompanyBankAccountId']);
		const rest = await api('POST', `/v2/customerinvoices/${unpaid?.Id}/payments`, {
			...payment,
			PaymentAmount: after.body.RemainingAmount,
			PaymentType: 2,
		});
		expect(rest.status).toBe(201);
		expect((await api('GET', `/v2/customerinvoices/${unpaid?.Id}`)).body).toMatchObject({
			PaymentStatus: 0,
			RemainingAmount: 0,
		});

		const since = new Date(sim.clock.now().getTime() + 1000).toISOString();
		sim.clock.advance(2000);
		const paid = sim.markInvoicePaid(SEED_IDS.invoices.unpaid2);
		expect(paid).toMatchObject({ PaymentStatus: 0, RemainingAmount: 0 });
		const changed = await api(
			'GET',
			`/v2/customerinvoices?modifiedSinceUtc=${encodeURIComponent(since)}`,
		);
		expect(changed.body.Data.map((i: { Id: string }) => i.Id)).toEqual([SEED_IDS.invoices.unpaid2]);
		const combined = await api(
			'GET',
			`/v2/customerinvoices?modifiedSinceUtc=${encodeURIComponent(since)}&$filter=${encodeURIComponent('PaymentStatus eq 1')}`,
		);
		expect(combined.body.Meta.TotalNumberOfResults).toBe(0);
		expect(
			(await api('GET', '/v2/customerinvoices?modifiedSinceUtc=yesterday')).body.ErrorCode,
		).toBe(6000);
	});

	it('seeds realistic reference data with stable ids', async () => {
		expect(sim.list('units').map((u) => u.Abbreviation)).toEqual([
			'st',
			'tim',
			'kg',
			'm',
			'dag',
			'mån',
			'l',
		]);
		const codings = await api('GET', `/v2/articleaccountcodings/${SEED_IDS.codings.varor25}`);
		expect(codings.body).toMatchObject({
			Name: 'Varor 25 %',
			VatRatePercent: 0.25,
			IsActive: true,
		});
		expect(sim.list('articles').find((a) => a.Id === articleIdFor('A100'))?.Number).toBe('A100');
		expect(sim.companySettings()).toMatchObject({
			Name: 'Norrsken Bygg & Service AB',
			CountryCode: 'SE',
			CurrencyCode: 'SEK',
			TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
		});
		sim.reset('empty');
		expect(sim.list('customers')).toHaveLength(0);
		expect(sim.list('units')).toHaveLength(7);
	});
});

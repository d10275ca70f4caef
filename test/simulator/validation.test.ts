import { describe, expect, it } from '@jest/globals';

import {
	articleBody as article,
	customerBody as customer,
	fields,
	type Sim,
	authorized,
	type Api,
} from './helpers';
import { SEED_IDS } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

describe('simulator request validation', () => {
	let sim: Sim;
	let api: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started);
	});

	const postCustomer = async (fields: Record<string, unknown> = {}) =>
		await api('POST', '/v2/customers', customer(fields));

	it('creates a customer with a generated number and returns the full PascalCase object', async () => {
		const res = await postCustomer();
		expect(res.status).toBe(201);
		expect(res.body.CustomerNumber).toBe('1121');
		expect(res.body.Id).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(res.body.TermsOfPayment).toMatchObject({
			Id: SEED_IDS.termsOfPayment.dagar30,
			Name: '30 dagar',
			NumberOfDays: 30,
		});
		expect(res.body.CurrencyCode).toBe('SEK');
		expect(res.body).toHaveProperty('EmailAddress', null);
		expect(res.body).toHaveProperty('ChangedUtc');
		expect(res.body).not.toHaveProperty('CreatedUtc');
		expect(sim.companySettings().NextCustomerNumber).toBe(1122);
	});

	it('reports every missing required field and every maxLength violation by field name', async () => {
		const missing = await api('POST', '/v2/customers', { IsActive: true });
		expect(missing.status).toBe(400);
		expect(missing.body.ErrorCode).toBe(2000);
		expect(missing.body.ErrorId).toMatch(/^[0-9a-f-]{36}$/);
		expect(fields(missing.body).sort()).toEqual([
			'InvoiceCity',
			'InvoicePostalCode',
			'IsPrivatePerson',
			'Name',
			'TermsOfPaymentId',
		]);

		const long = await postCustomer({
			Name: 'N'.repeat(51),
			InvoicePostalCode: '12345678901',
			CustomerNumber: '12345678901234567',
			EmailAddress: `${'e'.repeat(251)}@x.se`,
		});
		expect(long.status).toBe(400);
		expect(fields(long.body).sort()).toEqual([
			'CustomerNumber',
			'EmailAddress',
			'InvoicePostalCode',
			'Name',
		]);
		expect(long.body.Errors[0]).toMatchObject({ ErrorCode: '2000', Key: 'MaxLength' });
		// exactly at the limit is fine
		expect((await postCustomer({ Name: 'N'.repeat(50) })).status).toBe(201);
		// empty required strings count as missing
		expect(fields((await postCustomer({ Name: '  ' })).body)).toEqual(['Name']);
	});

	it('rejects unknown (e.g. camelCase) properties by name', async () => {
		const res = await postCustomer({ customerNumber: '5000', EmailAdress: 'a@b.se' });
		expect(res.status).toBe(400);
		expect(fields(res.body)).toEqual(['customerNumber', 'EmailAdress']);
		expect(res.body.Errors[0].Message).toContain("did you mean 'CustomerNumber'");
	});

	it('is type-strict like System.Text.Json', async () => {
		const res = await postCustomer({
			IsActive: 'true',
			Name: 42,
			DiscountPercentage: '0.1',
			TermsOfPaymentId: 'not-a-guid',
			ForceBookkeepVat: null,
			PropertyType: 1.5,
		});
		expect(res.status).toBe(400);
		expect(fields(res.body).sort()).toEqual([
			'DiscountPercentage',
			'ForceBookkeepVat',
			'IsActive',
			'Name',
			'PropertyType',
			'TermsOfPaymentId',
		]);
		const dates = await api('POST', '/v2/customerinvoicedrafts', {
			CustomerId: SEED_IDS.customers.first,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
			InvoiceDate: '2024-02-30',
			DueDate: '31/12/2024',
			Rows: [
				{
					IsTextRow: false,
					ReversedConstructionServicesVatFree: false,
					ArticleId: SEED_IDS.articles.snickare,
					Quantity: '2',
				},
			],
		});
		expect(fields(dates.body).sort()).toEqual(['DueDate', 'InvoiceDate', 'Rows[0].Quantity']);
	});

	it('accepts read-only properties it returned (GET → PUT round trip) and PUT replaces the whole object', async () => {
		const created = await postCustomer({
			EmailAddress: 'info@test.se',
			Telephone: '090-123',
			Note: 'VIP',
		});
		const id = created.body.Id;
		const got = await api('GET', `/v2/customers/${id}`);
		const roundTrip = await api('PUT', `/v2/customers/${id}`, {
			...got.body,
			Name: 'Nytt Namn AB',
		});
		expect(roundTrip.status).toBe(200);
		expect(roundTrip.body).toMatchObject({
			Name: 'Nytt Namn AB',
			EmailAddress: 'info@test.se',
			CustomerNumber: created.body.CustomerNumber,
		});

		const partial = await api('PUT', `/v2/customers/${id}`, customer({ Name: 'Bara Krav AB' }));
		expect(partial.status).toBe(200);
		expect(partial.body).toMatchObject({
			EmailAddress: null,
			Telephone: null,
			Note: null,
			CustomerNumber: created.body.CustomerNumber,
		});
		const tooLittle = await api('PUT', `/v2/customers/${id}`, { Name: 'Only a name' });
		expect(tooLittle.status).toBe(400);
		expect(fields(tooLittle.body)).toContain('InvoiceCity');
	});

	it('round-trips articles and drafts (with text rows) from GET to PUT unchanged', async () => {
		const art = await api('GET', `/v2/articles/${SEED_IDS.articles.gipsskiva}`);
		const putArt = await api('PUT', `/v2/articles/${SEED_IDS.articles.gipsskiva}`, {
			...art.body,
			Name: 'Gipsskiva 13 mm (normal)',
		});
		expect(putArt.status).toBe(200);
		expect(putArt.body).toMatchObject({
			Number: 'A110',
			NetPrice: 89,
			GrossPrice: 111.25,
			CreatedUtc: art.body.CreatedUtc,
		});
		// changing only the net price while sending the old gross price back contradicts the VAT rate
		expect(
			(
				await api('PUT', `/v2/articles/${SEED_IDS.articles.gipsskiva}`, {
					...art.body,
					NetPrice: 95,
				})
			).body.ErrorCode,
		).toBe(2000);

		const draft = await api('GET', `/v2/customerinvoicedrafts/${SEED_IDS.drafts.second}`);
		expect(draft.body.Rows[0]).toMatchObject({
			IsTextRow: true,
			UnitPrice: 0,
			Quantity: 0,
			ArticleId: null,
		});
		const putDraft = await api(
			'PUT',
			`/v2/customerinvoicedrafts/${SEED_IDS.drafts.second}`,
			draft.body,
		);
		expect(putDraft.status).toBe(200);
		expect(putDraft.body.TotalAmount).toBe(draft.body.TotalAmount);
	});

	it('answers 3000 naming the field for unknown GUID references, 404 for unknown ids on GET and 400/3000 on writes', async () => {
		const res = await postCustomer({ TermsOfPaymentId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' });
		expect(res.status).toBe(400);
		expect(res.body.ErrorCode).toBe(3000);
		expect(fields(res.body)).toEqual(['TermsOfPaymentId']);
		const purchaseOnly = await postCustomer({
			TermsOfPaymentId: SEED_IDS.termsOfPayment.purchaseOnly,
		});
		expect(purchaseOnly.body).toMatchObject({ ErrorCode: 2000 });

		const art = await api(
			'POST',
			'/v2/articles',
			article({ UnitId: '3fa85f64-5717-4562-b3fc-2c963f66afa6' }),
		);
		expect(art.body.ErrorCode).toBe(3000);
		expect(fields(art.body)).toEqual(['UnitId']);

		const missing = await api('GET', '/v2/customers/3fa85f64-5717-4562-b3fc-2c963f66afa6');
		expect(missing.status).toBe(404);
		expect(missing.body.ErrorCode).toBe(3000);
		const put = await api('PUT', '/v2/articles/3fa85f64-5717-4562-b3fc-2c963f66afa6', article());
		expect([put.status, put.body.ErrorCode]).toEqual([400, 3000]);
		const del = await api(
			'DELETE',
			'/v2/customerinvoicedrafts/3fa85f64-5717-4562-b3fc-2c963f66afa6',
		);
		expect([del.status, del.body.ErrorCode]).toEqual([400, 3000]);
	});

	it('enforces unique customer and article numbers with 2000, also for concurrent creates', async () => {
		const dup = await postCustomer({ CustomerNumber: '1001' });
		expect(dup.status).toBe(400);
		expect(dup.body.ErrorCode).toBe(2000);
		expect(dup.body.DeveloperErrorMessage).toContain('1001');

		sim.configure({ latencyMs: 30 });
		const results = await Promise.all([
			postCustomer({ CustomerNumber: 'K-77' }),
			postCustomer({ CustomerNumber: 'K-77' }),
		]);
		sim.configure({ latencyMs: 0 });
		expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
		expect(results.find((r) => r.status === 400)?.body.ErrorCode).toBe(2000);
		expect(sim.list('customers').filter((c) => c.CustomerNumber === 'K-77')).toHaveLength(1);

		expect((await api('POST', '/v2/articles', article({ Number: 'A100' }))).body.ErrorCode).toBe(
			2000,
		);
	});

	it('validates VAT numbers (4025), currencies and reverse charge', async () => {
		const vat = await postCustomer({ VatNumber: 'SE12' });
		expect(vat.status).toBe(400);
		expect(vat.body.ErrorCode).toBe(4025);
		expect(
			(await postCustomer({ VatNumber: 'SE556677889901', InvoiceCountryCode: 'SE' })).status,
		).toBe(201);
		const currency = await postCustomer({ CurrencyCode: 'XYZ' });
		expect(currency.body.ErrorCode).toBe(2000);
		expect(fields(currency.body)).toEqual(['CurrencyCode']);
		expect((await postCustomer({ CurrencyCode: 'EUR' })).body.CurrencyCode).toBe('EUR');
		expect(
			fields((await postCustomer({ ReverseChargeOnConstructionServices: true })).body),
		).toEqual(['VatNumber']);
	});

	it('refuses to delete customers with drafts or invoices (4001) and deletes others', async () => {
		const blocked = await api('DELETE', `/v2/customers/${SEED_IDS.customers.first}`);
		expect(blocked.status).toBe(400);
		expect(blocked.body.ErrorCode).toBe(4001);
		const created = await postCustomer();
		expect((await api('DELETE', `/v2/customers/${created.body.Id}`)).status).toBe(200);
		expect((await api('GET', `/v2/customers/${created.body.Id}`)).status).toBe(404);
	});

	it('checks article prices against the coding VAT rate, ranges and decimals', async () => {
		const fromNet = await api('POST', '/v2/articles', article({ NetPrice: 100 }));
		expect(fromNet.status).toBe(201);
		expect(fromNet.body).toMatchObject({
			NetPrice: 100,
			GrossPrice: 125,
			CodingName: 'Tjänster 25 %',
			UnitName: 'Timme',
			UnitAbbreviation: 'tim',
			IsServiceArticle: true,
		});
		expect(fromNet.body.CreatedUtc).toBe(fromNet.body.ChangedUtc);
		const fromGross = await api(
			'POST',
			'/v2/articles',
			article({ Number: 'T-2', GrossPrice: 112, CodingId: SEED_IDS.codings.varor12 }),
		);
		expect(fromGross.body).toMatchObject({
			NetPrice: 100,
			GrossPrice: 112,
			IsServiceArticle: false,
		});
		const mismatch = await api(
			'POST',
			'/v2/articles',
			article({ Number: 'T-3', NetPrice: 100, GrossPrice: 130 }),
		);
		expect(mismatch.body.ErrorCode).toBe(2000);
		expect(fields(mismatch.body)).toEqual(['GrossPrice']);
		expect(
			fields(
				(await api('POST', '/v2/articles', article({ Number: 'T-4', NetPrice: 10.005 }))).body,
			),
		).toEqual(['NetPrice']);
		expect(
			fields(
				(await api('POST', '/v2/articles', article({ Number: 'T-5', NetPrice: 99000001 }))).body,
			),
		).toEqual(['NetPrice']);
		expect(
			fields(
				(
					await api(
						'POST',
						'/v2/articles',
						article({ Number: 'T-6', CodingId: SEED_IDS.codings.inactive }),
					)
				).body,
			),
		).toEqual(['CodingId']);
		expect(fields((await api('POST', '/v2/articles', { Name: 'x' })).body).sort()).toEqual([
			'CodingId',
			'IsActive',
			'Number',
			'UnitId',
		]);
	});

	it('answers 405, 415, 404 and malformed JSON like the API', async () => {
		const del = await api('DELETE', `/v2/articles/${SEED_IDS.articles.snickare}`);
		expect(del.status).toBe(405);
		expect(del.headers.get('allow')).toBe('GET, PUT');
		expect((await api('POST', '/v2/units', {})).status).toBe(405);
		expect(
			(
				await api('POST', '/v2/customers', 'Name=x', {
					'Content-Type': 'application/x-www-form-urlencoded',
				})
			).status,
		).toBe(415);
		const bad = await api('POST', '/v2/customers', '{"Name": "x",}');
		expect(bad.status).toBe(400);
		expect(bad.body.ErrorCode).toBe(2000);
		expect((await api('GET', '/v2/nosuchthing')).status).toBe(404);
		const empty = await api('POST', '/v2/customers', undefined, {
			'Content-Type': 'application/json',
		});
		expect(empty.status).toBe(400);
	});
});

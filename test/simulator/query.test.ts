import { describe, expect, it } from '@jest/globals';

import {
	customerBody,
	filterQuery,
	type HttpResult,
	type Sim,
	authorized,
	type Api,
} from './helpers';
import { SEED_IDS } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

const newCustomer = (Name: string, CustomerNumber: string) =>
	customerBody({ Name, CustomerNumber });

describe('simulator list queries: paging, $orderby and the $filter parser', () => {
	let sim: Sim;
	let api: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started);
	});

	const numbers = (res: HttpResult): string[] =>
		res.body.Data.map((c: { CustomerNumber: string }) => c.CustomerNumber);

	it('pages through more than 100 customers with correct Meta', async () => {
		const first = await api('GET', '/v2/customers');
		expect(first.body.Meta).toMatchObject({
			CurrentPage: 1,
			PageSize: 50,
			TotalNumberOfPages: 3,
			TotalNumberOfResults: 120,
		});
		expect(first.body.Meta.ServerTimeUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
		expect(first.body.Data).toHaveLength(50);

		const seen: string[] = [];
		for (let page = 1; ; page++) {
			const res = await api('GET', `/v2/customers?$page=${page}&$pagesize=45`);
			expect(res.body.Meta).toMatchObject({
				CurrentPage: page,
				PageSize: 45,
				TotalNumberOfPages: 3,
				TotalNumberOfResults: 120,
			});
			seen.push(...numbers(res));
			if (page >= res.body.Meta.TotalNumberOfPages) break;
		}
		expect(seen).toHaveLength(120);
		expect(new Set(seen).size).toBe(120);
		expect(seen[0]).toBe('1001');
		expect(seen[119]).toBe('1120');

		const beyond = await api('GET', '/v2/customers?$page=9&$pagesize=50');
		expect(beyond.body.Data).toEqual([]);
		expect((await api('GET', '/v2/customers?$pagesize=500')).body.Data).toHaveLength(120);
		for (const bad of [
			'$pagesize=501',
			'$pagesize=0',
			'$page=0',
			'$page=x',
			'$top=5',
			'$Filter=IsActive',
			'$skip=1',
		]) {
			const res = await api('GET', `/v2/customers?${bad}`);
			expect([bad, res.status, res.body.ErrorCode]).toEqual([bad, 400, 6000]);
		}
	});

	it('orders by one or more fields and selects fields', async () => {
		const byName = await api('GET', '/v2/customers?$orderby=Name desc,CustomerNumber&$pagesize=3');
		const names = byName.body.Data.map((c: { Name: string }) => c.Name);
		expect([...names].sort().reverse()).toEqual(names);
		const selected = await api('GET', '/v2/articles?$select=Number,NetPrice&$pagesize=1');
		expect(selected.body.Data).toEqual([{ Number: 'A100', NetPrice: 650 }]);
		expect((await api('GET', '/v2/customers?$orderby=Nope')).body.ErrorCode).toBe(6000);
		expect((await api('GET', '/v2/customers?$orderby=Name sideways')).body.ErrorCode).toBe(6000);
	});

	it('matches string literals with escaped quotes exactly', async () => {
		const res = await api(
			'GET',
			`/v2/customers${filterQuery("Name eq 'O''Learys Restaurang Umeå AB'")}`,
		);
		expect(res.status).toBe(200);
		expect(res.body.Meta.TotalNumberOfResults).toBe(1);
		expect(res.body.Data[0].Id).toBe(SEED_IDS.customers.apostrophe);
	});

	it('keeps an injection attempt inside a literal as a literal', async () => {
		const sneaky = "Kalle' or 1 eq 1 or Name eq 'x";
		expect((await api('POST', '/v2/customers', newCustomer(sneaky, 'INJ-1'))).status).toBe(201);
		const escaped = sneaky.replace(/'/g, "''");
		const res = await api('GET', `/v2/customers${filterQuery(`Name eq '${escaped}'`)}`);
		expect(numbers(res)).toEqual(['INJ-1']);
		// unescaped, the same text parses as `Name eq 'Kalle' or 1 eq 1 or ...`, true for everyone: clients must double quotes
		const unescaped = await api('GET', `/v2/customers${filterQuery(`Name eq '${sneaky}'`)}`);
		expect(unescaped.status).toBe(200);
		expect(unescaped.body.Meta.TotalNumberOfResults).toBe(120 + 1);
		// a quote left open is a syntax error with a position
		const open = await api('GET', `/v2/customers${filterQuery("Name eq 'Kalle")}`);
		expect(open.body.ErrorCode).toBe(6000);
		expect(open.body.DeveloperErrorMessage).toMatch(/position 8/);
	});

	it('supports and/or/not, parentheses, functions, numbers, booleans, null, GUIDs and dates', async () => {
		const byNumber = async (f: string) =>
			numbers(await api('GET', `/v2/customers${filterQuery(f, '&$pagesize=500')}`));
		expect(await byNumber("CustomerNumber eq '1001' or CustomerNumber eq '1003'")).toEqual([
			'1001',
			'1003',
		]);
		expect(
			await byNumber(
				"(CustomerNumber eq '1001' or CustomerNumber eq '1003') and not IsPrivatePerson",
			),
		).toEqual(['1001', '1003']);
		expect(await byNumber("startswith(Name,'Pohjolan') or endswith(Name, 'GmbH')")).toEqual([
			'1004',
			'1005',
		]);
		expect(await byNumber("contains(Name,'o''learys')")).toEqual(['1003']);
		expect(await byNumber('IsActive eq false')).toEqual(['1007']);
		expect(await byNumber(`Id eq ${SEED_IDS.customers.eur.toUpperCase()}`)).toEqual(['1004']);
		expect(await byNumber("CurrencyCode ne 'SEK'")).toEqual(['1004', '1005']);
		expect(
			await byNumber('VatNumber ne null and ReverseChargeOnConstructionServices eq true'),
		).toEqual(['1006']);
		expect((await byNumber('ChangedUtc ge 2000-01-01')).length).toBe(120);
		expect((await byNumber(`ChangedUtc gt ${sim.clock.now().toISOString()}`)).length).toBe(0);

		const invoices = await api(
			'GET',
			`/v2/customerinvoices${filterQuery('TotalAmount gt 10000 and PaymentStatus ne 0 and RemainingAmount eq TotalAmount')}`,
		);
		expect(
			invoices.body.Data.every(
				(i: { TotalAmount: number; PaymentStatus: number }) =>
					i.TotalAmount > 10000 && i.PaymentStatus !== 0,
			),
		).toBe(true);
		expect(invoices.body.Meta.TotalNumberOfResults).toBeGreaterThan(0);
		const rows = await api(
			'GET',
			`/v2/customerinvoices${filterQuery("Rows/any(r: r/ArticleNumber eq 'A100')")}`,
		);
		expect(rows.body.Meta.TotalNumberOfResults).toBe(2);
		const articles = await api('GET', `/v2/articles${filterQuery("Number eq 'A110'")}`);
		expect(articles.body.Data.map((a: { Id: string }) => a.Id)).toEqual([
			SEED_IDS.articles.gipsskiva,
		]);
	});

	it('rejects type mismatches, unknown fields and malformed filters with 6000', async () => {
		const bad = [
			'CustomerNumber eq 1001', // string field, unquoted number
			`Id eq '${SEED_IDS.customers.first}'`, // GUID field, quoted literal
			"ChangedUtc ge '2024-01-01'", // date field, quoted literal
			"IsActive eq 'true'", // bool field, quoted literal
			"customerNumber eq '1001'", // field names are case-sensitive
			'TermsOfPayment eq null', // not a scalar
			"Name eq 'a' and", // dangling operator
			"Name eq 'a')", // unbalanced
			"(Name eq 'a'", // unbalanced
			"Name eq 'a' or 1", // non-boolean operand
			'Name', // not a boolean
			'IsActive gt false', // ordering on booleans
			"substringof('a', Name)", // unknown function
			'ChangedUtc ge 2024-13-01', // impossible date
			'Name eq "x"', // double quotes are not OData
			'',
		];
		for (const f of bad) {
			const res = await api('GET', `/v2/customers${filterQuery(f)}`);
			expect([f, res.status, res.body.ErrorCode]).toEqual([f, 400, 6000]);
		}
		const res = await api('GET', `/v2/customers${filterQuery('CustomerNumber eq 1001')}`);
		expect(res.body.DeveloperErrorMessage).toContain("CustomerNumber eq '1001'");
	});

	it('decodes the query like ASP.NET: + is a space, %2B is a plus', async () => {
		expect((await api('POST', '/v2/customers', newCustomer('Plus+Minus AB', 'P-1'))).status).toBe(
			201,
		);
		const encoded = await api('GET', `/v2/customers?$filter=Name+eq+'Plus%2BMinus+AB'`);
		expect(numbers(encoded)).toEqual(['P-1']);
		const raw = await api('GET', `/v2/customers?$filter=Name+eq+'Plus+Minus+AB'`);
		expect(numbers(raw)).toEqual([]);
	});
});

import { describe, expect, it } from '@jest/globals';

import {
	articleBody,
	customerBody,
	draftBody,
	articleRow,
	filterQuery,
	http,
	setup,
	type Sim,
	authorized,
	type Api,
} from './helpers';
import { optionsFromArgs } from '../../dev/simulator/cli';
import { SEED_IDS } from '../../dev/simulator';
import { countNodes, parseFilter } from '../../dev/simulator/odata';
import { useSimulator } from '../support/simulator';

const UNKNOWN = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const NODE_LIMIT_MESSAGE =
	"The node count limit of '100' has been exceeded. To increase the limit, set the 'MaxNodeCount' property on EnableQueryAttribute or ODataValidationSettings.";
const ALL_SCOPES = ['ea:api', 'ea:sales', 'ea:accounting', 'ea:purchase'];

const customer = (CustomerNumber: string) =>
	customerBody({ Name: 'Regelbolaget AB', CustomerNumber });

const article = (Number: string) => articleBody({ Number, Name: 'Regelartikel' });

/** `CustomerNumber eq '1001' or ... ` with n terms: 3n + (n - 1) nodes. */
const orTerms = (n: number) =>
	Array.from({ length: n }, (_, i) => `CustomerNumber eq '${1001 + i}'`).join(' or ');

const sortedBy = <T>(items: T[], key: (x: T) => string) =>
	[...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

describe('simulator rules where Visma is silent: filter size, refused fields, unknown ids, duplicates, modifiedSinceUtc', () => {
	let sim: Sim;
	let api: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started, ALL_SCOPES);
	});

	it('counts $filter nodes: one per operator, property access, literal and function call', () => {
		const count = (f: string, schema = 'CustomerApi') => countNodes(parseFilter(f, schema));
		expect(count("CustomerNumber eq '1' or CustomerNumber eq '2'")).toBe(7);
		expect(count(orTerms(25))).toBe(99);
		expect(count(orTerms(26))).toBe(103);
		expect(count("(CustomerNumber eq '1')")).toBe(3); // parentheses are free
		expect(count('not IsActive')).toBe(2);
		expect(count("startswith(Name,'B') and length(Name) gt 3")).toBe(8);
		expect(count('DiscountPercentage gt -1')).toBe(3); // -1 is one literal
		expect(count("Rows/any(r: r/ArticleNumber eq 'A100')", 'CustomerInvoiceApi')).toBe(5); // any + Rows + (property eq literal)
		expect(count('Rows/any()', 'CustomerInvoiceApi')).toBe(2);
	});

	it('refuses a $filter over 100 nodes with 6000 like ASP.NET MaxNodeCount: 25 or-ed eq terms pass, 26 do not', async () => {
		const ok = await api('GET', `/v2/customers${filterQuery(orTerms(25))}`);
		expect(ok.status).toBe(200);
		expect(ok.body.Meta.TotalNumberOfResults).toBe(25);
		const over = await api('GET', `/v2/customers${filterQuery(orTerms(26))}`);
		expect(over.status).toBe(400);
		expect(over.body).toMatchObject({
			ErrorCode: 6000,
			DeveloperErrorMessage: NODE_LIMIT_MESSAGE,
			Errors: null,
		});
		// every list endpoint, not only customers
		const drafts = await api(
			'GET',
			`/v2/customerinvoicedrafts${filterQuery(Array.from({ length: 26 }, (_, i) => `YourReference eq 'r${i}'`).join(' or '))}`,
		);
		expect([drafts.status, drafts.body.ErrorCode]).toEqual([400, 6000]);
	});

	it('lifts the node limit with maxFilterNodes null or 0 and applies a custom one', async () => {
		for (const unlimited of [null, 0]) {
			sim.configure({ maxFilterNodes: unlimited });
			const res = await api('GET', `/v2/customers${filterQuery(orTerms(40))}`);
			expect([unlimited, res.status, res.body.Meta?.TotalNumberOfResults]).toEqual([
				unlimited,
				200,
				40,
			]);
		}
		sim.configure({ maxFilterNodes: 7 });
		expect((await api('GET', `/v2/customers${filterQuery(orTerms(2))}`)).status).toBe(200);
		const over = await api('GET', `/v2/customers${filterQuery(`not (${orTerms(2)})`)}`);
		expect(over.body).toMatchObject({
			ErrorCode: 6000,
			DeveloperErrorMessage: expect.stringContaining(
				"The node count limit of '7' has been exceeded.",
			),
		});
		// a knob, not data: reset() keeps it, like the other knobs
		sim.reset();
		api = http(sim, sim.issueTokens().access_token);
		expect((await api('GET', `/v2/customers${filterQuery(`not (${orTerms(2)})`)}`)).status).toBe(
			400,
		);

		const own = await setup({ maxFilterNodes: null });
		try {
			expect((await own.api('GET', `/v2/customers${filterQuery(orTerms(30))}`)).status).toBe(200);
		} finally {
			await own.sim.close();
		}
		expect(() => sim.configure({ maxFilterNodes: -1 })).toThrow(TypeError);
	});

	it('refuses listed properties anywhere in $filter, per collection or everywhere', async () => {
		sim.configure({
			refuseFilterOn: [
				'customerinvoicedrafts.ContractNumber',
				'customerinvoices.ModifiedUtc',
				'Id',
				'CustomerInvoices.ArticleNumber',
			],
		});
		const refused = async (path: string, filter: string) =>
			(await api('GET', `${path}${filterQuery(filter)}`)).body;
		expect(await refused('/v2/customerinvoicedrafts', "ContractNumber eq 'K-1'")).toMatchObject({
			ErrorCode: 6000,
			DeveloperErrorMessage:
				"The property 'ContractNumber' cannot be used in the $filter query option.",
		});
		expect(
			(
				await refused(
					'/v2/customerinvoicedrafts',
					"YourReference eq 'x' or contains(tolower(ContractNumber),'k')",
				)
			).ErrorCode,
		).toBe(6000);
		expect(
			(await refused('/v2/customerinvoices', 'ModifiedUtc ge 2000-01-01')).DeveloperErrorMessage,
		).toBe("The property 'ModifiedUtc' cannot be used in the $filter query option.");
		expect(
			(await refused('/v2/customers', `Id eq ${SEED_IDS.customers.first}`)).DeveloperErrorMessage,
		).toBe("The property 'Id' cannot be used in the $filter query option.");
		expect(
			(await refused('/v2/articles', `not (Id eq ${SEED_IDS.articles.snickare})`)).ErrorCode,
		).toBe(6000);
		expect(
			(await refused('/v2/customerinvoices', "Rows/any(r: r/ArticleNumber eq 'A100')"))
				.DeveloperErrorMessage,
		).toBe("The property 'ArticleNumber' cannot be used in the $filter query option.");
		// scoped entries leave other collections alone
		expect(
			(await api('GET', `/v2/customerinvoices${filterQuery("ContractNumber eq 'K-1'")}`)).status,
		).toBe(200);
		expect(
			(await api('GET', `/v2/articles${filterQuery("Number eq 'A100'")}`)).body.Data,
		).toHaveLength(1);
		// the documented way to ask for changes still works
		expect(
			(await api('GET', '/v2/customerinvoices?modifiedSinceUtc=2000-01-01T00:00:00Z')).status,
		).toBe(200);
	});

	it('refuses listed properties in $orderby and $select, or $select altogether', async () => {
		sim.configure({ refuseOrderByOn: ['customerinvoices.ModifiedUtc'], refuseSelect: ['Id'] });
		const order = await api('GET', '/v2/customerinvoices?$orderby=InvoiceNumber,ModifiedUtc desc');
		expect(order.status).toBe(400);
		expect(order.body).toMatchObject({
			ErrorCode: 6000,
			DeveloperErrorMessage:
				"The property 'ModifiedUtc' cannot be used in the $orderby query option.",
		});
		expect((await api('GET', '/v2/customerinvoices?$orderby=InvoiceNumber desc')).status).toBe(200);
		expect((await api('GET', '/v2/customers?$orderby=ModifiedUtc')).body.ErrorCode).toBe(6000); // not a customer property at all
		const select = await api('GET', '/v2/customers?$select=Name,Id');
		expect(select.body).toMatchObject({
			ErrorCode: 6000,
			DeveloperErrorMessage: "The property 'Id' cannot be used in the $select query option.",
		});
		expect((await api('GET', '/v2/customers?$select=Name&$pagesize=1')).body.Data).toEqual([
			{ Name: 'Bergström Bygg AB' },
		]);

		sim.configure({ refuseSelect: true });
		const any = await api('GET', '/v2/articles?$select=Number');
		expect([any.status, any.body.ErrorCode]).toEqual([400, 6000]);
		expect(any.body.DeveloperErrorMessage).toBe(
			"Query option 'Select' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.",
		);
		expect((await api('GET', '/v2/articles?$pagesize=1')).status).toBe(200);
	});

	it('takes the new knobs over the /__sim/configure control API and refuses bad values without changing anything', async () => {
		const control = http(sim);
		expect(
			(
				await control('POST', '/__sim/configure', {
					refuseFilterOn: ['Name'],
					maxFilterNodes: 3,
					duplicateErrorCode: 4000,
				})
			).status,
		).toBe(200);
		expect(
			(await api('GET', `/v2/customers${filterQuery("Name eq 'x'")}`)).body.DeveloperErrorMessage,
		).toContain("'Name' cannot be used in the $filter");
		expect(
			(await api('GET', `/v2/customers${filterQuery("CustomerNumber eq '1' or IsActive")}`)).body
				.DeveloperErrorMessage,
		).toContain("node count limit of '3'");
		expect((await api('POST', '/v2/customers', customer('1001'))).body.ErrorCode).toBe(4000);

		expect(
			(await control('POST', '/__sim/configure', { refuseFilterOn: 'Name', latencyMs: 500 }))
				.status,
		).toBe(400);
		expect((await control('POST', '/__sim/configure', { duplicateErrorCode: '2000' })).status).toBe(
			400,
		);
		expect((await api('POST', '/v2/customers', customer('1001'))).body.ErrorCode).toBe(4000);
		const started = Date.now();
		await api('GET', '/v2/units');
		expect(Date.now() - started).toBeLessThan(400);
	});

	it('answers 404 for unknown or malformed ids on GET and 400/3000 for writes to them', async () => {
		const gets = [
			'customers',
			'articles',
			'units',
			'articleaccountcodings',
			'termsofpayments',
			'vatcodes',
			'bankaccounts',
			'customerinvoicedrafts',
			'customerinvoices',
		].flatMap((c) => [`/v2/${c}/${UNKNOWN}`, `/v2/${c}/not-a-guid`]);
		gets.push(`/v2/customerinvoices/${UNKNOWN}/print`, `/v2/customerinvoices/${UNKNOWN}/pdf`);
		for (const path of gets) {
			const res = await api('GET', path);
			expect([path, res.status, res.body.ErrorCode]).toEqual([path, 404, 3000]);
		}

		const draft = draftBody(SEED_IDS.customers.first, [articleRow(SEED_IDS.articles.snickare, 1)]);
		const payment = {
			CompanyBankAccountId: SEED_IDS.bankAccounts.foretagskonto,
			PaymentAmount: 1,
			PaymentCurrency: 'SEK',
			PaymentType: 1,
		};
		const writes: Array<[string, string, unknown?]> = [
			['PUT', `/v2/customers/${UNKNOWN}`, customer('W-1')],
			['PUT', '/v2/customers/not-a-guid', customer('W-1')],
			['DELETE', `/v2/customers/${UNKNOWN}`],
			['PUT', `/v2/articles/${UNKNOWN}`, article('W-1')],
			['PUT', `/v2/customerinvoicedrafts/${UNKNOWN}`, draft],
			['DELETE', `/v2/customerinvoicedrafts/${UNKNOWN}`],
			['DELETE', '/v2/customerinvoicedrafts/not-a-guid'],
			['POST', `/v2/customerinvoicedrafts/${UNKNOWN}/convert`],
			['POST', `/v2/customerinvoices/${UNKNOWN}/payments`, payment],
		];
		for (const [method, path, body] of writes) {
			const res = await api(method, path, body);
			expect([method, path, res.status, res.body.ErrorCode]).toEqual([method, path, 400, 3000]);
			expect(res.body.DeveloperErrorMessage).toMatch(/was not found/);
		}
		// nothing was created on the way
		expect(sim.list('customers').some((c) => c.CustomerNumber === 'W-1')).toBe(false);
	});

	it('compares customer and article numbers without regard to case and answers 2000 with a Conflict entry', async () => {
		const first = await api('POST', '/v2/customers', customer('ABC-1'));
		expect(first.status).toBe(201);
		const dup = await api('POST', '/v2/customers', customer('abc-1'));
		expect(dup.status).toBe(400);
		expect(dup.body.ErrorCode).toBe(2000);
		expect(dup.body.Errors).toEqual([
			{
				Field: 'CustomerNumber',
				ErrorCode: '2000',
				Message: 'The customer number is already in use.',
				Key: 'Conflict',
			},
		]);
		expect(dup.body.DeveloperErrorMessage).toContain("'ABC-1'");
		// PUT: taking another customer's number in other case is refused, changing the case of one's own is fine
		const other = await api('GET', `/v2/customers/${SEED_IDS.customers.last}`);
		const taken = await api('PUT', `/v2/customers/${SEED_IDS.customers.last}`, {
			...other.body,
			CustomerNumber: 'Abc-1',
		});
		expect([taken.status, taken.body.ErrorCode, taken.body.Errors?.[0]?.Field]).toEqual([
			400,
			2000,
			'CustomerNumber',
		]);
		const own = await api('PUT', `/v2/customers/${first.body.Id}`, {
			...first.body,
			CustomerNumber: 'Abc-1',
		});
		expect([own.status, own.body.CustomerNumber]).toEqual([200, 'Abc-1']);

		const art = await api('POST', '/v2/articles', article('a100'));
		expect(art.status).toBe(400);
		expect(art.body.Errors).toEqual([
			{
				Field: 'Number',
				ErrorCode: '2000',
				Message: 'The article number is already in use.',
				Key: 'Conflict',
			},
		]);
		const a101 = await api('GET', `/v2/articles/${SEED_IDS.articles.elektriker}`);
		const renumbered = await api('PUT', `/v2/articles/${SEED_IDS.articles.elektriker}`, {
			...a101.body,
			Number: 'a100',
		});
		expect([renumbered.status, renumbered.body.ErrorCode]).toEqual([400, 2000]);
		expect(sim.list('articles').filter((a) => a.Number.toLowerCase() === 'a100')).toHaveLength(1);
	});

	it('uses duplicateErrorCode for duplicates (4000 gives the old code)', async () => {
		sim.configure({ duplicateErrorCode: 4000 });
		const dup = await api('POST', '/v2/customers', customer('1001'));
		expect([dup.status, dup.body.ErrorCode, dup.body.Errors[0]]).toEqual([
			400,
			4000,
			{
				Field: 'CustomerNumber',
				ErrorCode: '4000',
				Message: 'The customer number is already in use.',
				Key: 'Conflict',
			},
		]);
		expect((await api('POST', '/v2/articles', article('A100'))).body.ErrorCode).toBe(4000);
		const own = await setup({ duplicateErrorCode: 4000, seed: 'default' });
		try {
			expect((await own.api('POST', '/v2/articles', article('a101'))).body.ErrorCode).toBe(4000);
		} finally {
			await own.sim.close();
		}
	});

	it('returns modifiedSinceUtc results inclusively, pageable, in a stable order that is not ModifiedUtc order', async () => {
		type Inv = { Id: string; ModifiedUtc: string; InvoiceNumber: number };
		const all = sim.list('customerinvoices') as Inv[];
		const since = '2000-01-01T00:00:00Z';
		const res = await api('GET', `/v2/customerinvoices?modifiedSinceUtc=${since}`);
		const ids = res.body.Data.map((i: Inv) => i.Id);
		expect(ids).toEqual(sortedBy(all, (i) => i.Id).map((i) => i.Id));
		const byModified = sortedBy(all, (i) => i.ModifiedUtc).map((i) => i.Id);
		expect(ids).not.toEqual(byModified);
		expect(ids).not.toEqual([...byModified].reverse());

		// pages without $orderby concatenate to the same list
		const paged: string[] = [];
		for (let page = 1; page <= 3; page++) {
			const p = await api(
				'GET',
				`/v2/customerinvoices?modifiedSinceUtc=${since}&$page=${page}&$pagesize=2`,
			);
			expect(p.body.Meta).toMatchObject({
				CurrentPage: page,
				PageSize: 2,
				TotalNumberOfPages: 3,
				TotalNumberOfResults: 6,
			});
			paged.push(...p.body.Data.map((i: Inv) => i.Id));
		}
		expect(paged).toEqual(ids);

		// inclusive: an invoice modified exactly at the given time is included
		const newest = sortedBy(all, (i) => i.ModifiedUtc)[all.length - 1];
		const exact = await api(
			'GET',
			`/v2/customerinvoices?modifiedSinceUtc=${encodeURIComponent(newest.ModifiedUtc)}`,
		);
		expect(exact.body.Data.map((i: Inv) => i.Id)).toEqual([newest.Id]);
		const after = new Date(Date.parse(newest.ModifiedUtc) + 1).toISOString();
		expect(
			(await api('GET', `/v2/customerinvoices?modifiedSinceUtc=${encodeURIComponent(after)}`)).body
				.Data,
		).toEqual([]);

		// $orderby still decides when given
		const ordered = await api(
			'GET',
			`/v2/customerinvoices?modifiedSinceUtc=${since}&$orderby=InvoiceNumber desc`,
		);
		expect(ordered.body.Data.map((i: Inv) => i.InvoiceNumber)).toEqual(
			sortedBy(all, (i) => String(i.InvoiceNumber).padStart(9, '0'))
				.map((i) => i.InvoiceNumber)
				.reverse(),
		);
	});
});

describe('simulator CLI flags for the rules', () => {
	it('maps --max-filter-nodes, --duplicate-error-code and the --refuse-* flags to options', async () => {
		const { options } = optionsFromArgs([
			'--max-filter-nodes',
			'0',
			'--duplicate-error-code',
			'4000',
			'--refuse-filter',
			'Id,customers.Name',
			'--refuse-orderby',
			'customers.Name',
			'--refuse-select',
		]);
		expect(options).toMatchObject({
			maxFilterNodes: 0,
			duplicateErrorCode: 4000,
			refuseFilterOn: ['Id', 'customers.Name'],
			refuseOrderByOn: ['customers.Name'],
			refuseSelect: true,
		});
		expect(optionsFromArgs(['--refuse-select', 'Id,Note']).options.refuseSelect).toEqual([
			'Id',
			'Note',
		]);
		expect(optionsFromArgs([]).options).toMatchObject({
			maxFilterNodes: undefined,
			duplicateErrorCode: undefined,
			refuseFilterOn: undefined,
			refuseSelect: undefined,
		});
		expect(() => optionsFromArgs(['--refuse-filter'])).toThrow(/comma-separated/);
		expect(() => optionsFromArgs(['--max-filter-nodes', 'many'])).toThrow(/needs a number/);

		const { sim, api } = await setup(options);
		try {
			expect((await api('GET', `/v2/customers${filterQuery(orTerms(30))}`)).status).toBe(200);
			expect(
				(await api('GET', `/v2/customers${filterQuery(`Id eq ${UNKNOWN}`)}`)).body
					.DeveloperErrorMessage,
			).toContain("'Id' cannot be used in the $filter");
			expect((await api('GET', `/v2/customers${filterQuery("Name eq 'x'")}`)).body.ErrorCode).toBe(
				6000,
			);
			expect((await api('GET', `/v2/articles${filterQuery("Name eq 'x'")}`)).status).toBe(200);
			expect(
				(await api('GET', '/v2/customers?$orderby=Name')).body.DeveloperErrorMessage,
			).toContain('$orderby');
			expect(
				(await api('GET', '/v2/customers?$select=CustomerNumber')).body.DeveloperErrorMessage,
			).toContain("Query option 'Select' is not allowed");
			expect((await api('POST', '/v2/customers', customer('1001'))).body.ErrorCode).toBe(4000);
		} finally {
			await sim.close();
		}
	});
});

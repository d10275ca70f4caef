import { describe, expect, it } from '@jest/globals';
import type { INodeExecutionData } from 'n8n-workflow';

import { EXAMPLES, exampleParameters } from './examples';
import { lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import {
	ensureDefaultArticleParameters,
	exportInvoiceParameters,
	fromItem,
	SEED_IDS,
	useTestBed,
} from './support';

type Json = Record<string, unknown>;

/** The approval from README, as the examples' Webhook node outputs it. */
const approval = {
	invoiceNumber: 'FS-2026-0412',
	customer: {
		number: '10025',
		name: 'Björkdal Fastigheter AB',
		address1: 'Kungsgatan 12',
		postalCode: '903 26',
		city: 'Umeå',
		email: 'faktura@bjorkdal.se',
	},
	invoiceDate: '2026-11-28',
	yourReference: 'Anna Björk',
	rows: [
		{ articleNumber: 'A100', text: 'Snickeri, vecka 47', quantity: 7.5, unitPrice: 650 },
		{ articleNumber: 'FS-9000', text: 'Utryckning', quantity: 1, unitPrice: 1450 },
		{ text: 'Material enligt följesedel', quantity: 1, unitPrice: 389.5, discountPercent: 10 },
		{ isTextRow: true, text: 'Tack för förtroendet!' },
	],
};
const webhookItem = { headers: {}, params: {}, query: {}, body: approval };

/** What a company's pieces unit and goods coding at the standard rate are in the simulator. */
const CHOSEN = {
	unit: { Id: SEED_IDS.units.styck, Name: 'Styck', rule: 'piecesUnit' },
	accountCoding: { Id: SEED_IDS.codings.varor25, Name: 'Varor 25 %', rule: 'goodsAtStandardRate' },
};

const defaultArticles = (bed: TestBed) =>
	bed.sim.list('articles').filter((a) => a.Number === 'DEFAULT');

describe('the examples work unchanged in a company without the default article', () => {
	const bed = useTestBed({ seed: 'empty' }, { eachTest: true });

	it('Export Invoice as Draft (webhook) creates the default article with pieces and goods at 25 %, and the draft', async () => {
		// As shipped, the examples leave the default article's unit and account coding empty.
		for (const [workflow, node] of [
			[EXAMPLES.approvalExport, 'Export Invoice as Draft'],
			[EXAMPLES.approvalForm, 'Export Invoice as Draft'],
			[EXAMPLES.approvalSteps, 'Ensure Default Article'],
		] as const) {
			const shipped = exampleParameters(workflow, node, () => ({ $json: {}, nodes: {} }));
			expect({
				node,
				unit: shipped.defaultArticleUnitId,
				coding: shipped.defaultArticleCodingId,
			}).toEqual({ node, unit: '', coding: '' });
		}
		expect(bed.sim.list('articles')).toEqual([]);
		const parameters = exampleParameters(
			EXAMPLES.approvalExport,
			'Export Invoice as Draft',
			(item) => ({ $json: item.json, nodes: {} }),
		);
		const { items: out } = await bed.run(parameters, [webhookItem]);

		expect(out[0].json).toMatchObject({
			outcome: 'created',
			ContractNumber: 'FS-2026-0412',
			customer: { CustomerNumber: '10025', outcome: 'created' },
			defaultArticle: { Number: 'DEFAULT', outcome: 'created', chosenAutomatically: CHOSEN },
		});
		expect(defaultArticles(bed)).toEqual([
			expect.objectContaining({
				Name: 'Other',
				UnitId: SEED_IDS.units.styck,
				CodingId: SEED_IDS.codings.varor25,
				IsActive: true,
			}),
		]);
		const drafts = bed.sim.list('customerinvoicedrafts');
		expect(drafts).toHaveLength(1);
		const articleId = defaultArticles(bed)[0].Id;
		expect((drafts[0].Rows as Json[]).map((r) => [r.ArticleId, r.Text])).toEqual([
			[articleId, 'Snickeri, vecka 47'],
			[articleId, 'Utryckning'],
			[articleId, 'Material enligt följesedel'],
			[null, 'Tack för förtroendet!'],
		]);

		// The next approval finds the article: nothing is chosen any more.
		const next = await bed.run(parameters, [
			{ ...webhookItem, body: { ...approval, invoiceNumber: 'FS-2026-0413' } },
		]);
		expect(next.items[0].json.defaultArticle).toEqual({
			Id: articleId,
			Number: 'DEFAULT',
			outcome: 'found',
		});
		expect(defaultArticles(bed)).toHaveLength(1);
	});

	it('the approval form creates the same default article and the draft', async () => {
		const parameters = exampleParameters(
			EXAMPLES.approvalForm,
			'Export Invoice as Draft',
			(item) => ({ $json: item.json, nodes: {} }),
		);
		const submission = {
			'Invoice number': 'APP-2026-0042',
			'Customer number': '2001',
			'Customer name': 'Norrsken Bygg AB',
			Address: 'Storgatan 1',
			'Postal code': '903 26',
			City: 'Umeå',
			Email: 'faktura@norrsken.se',
			'Article number': '',
			Description: 'Material',
			Quantity: 3,
			'Unit price (excl. VAT)': 120,
		};
		const { items: out } = await bed.run(parameters, [submission]);
		expect(out[0].json).toMatchObject({
			outcome: 'created',
			ContractNumber: 'APP-2026-0042',
			defaultArticle: { Number: 'DEFAULT', outcome: 'created', chosenAutomatically: CHOSEN },
		});
		expect(defaultArticles(bed)).toEqual([
			expect.objectContaining({ UnitId: SEED_IDS.units.styck, CodingId: SEED_IDS.codings.varor25 }),
		]);
		expect(bed.sim.list('customerinvoicedrafts')).toHaveLength(1);
	});

	it('the three-node flow: Ensure Default Article says what it chose, and the draft uses the article', async () => {
		const flow = EXAMPLES.approvalSteps;
		const nodes: Record<string, Json> = { Webhook: webhookItem };
		const scope = (item: INodeExecutionData) => ({ $json: item.json, nodes });

		const customer = await bed.run(exampleParameters(flow, 'Find or Create Customer', scope), [
			webhookItem,
		]);
		expect(customer.items[0].json).toMatchObject({ CustomerNumber: '10025', outcome: 'created' });
		nodes['Find or Create Customer'] = customer.items[0].json;

		const mark = lastSeq(bed);
		const article = await bed.run(exampleParameters(flow, 'Ensure Default Article', scope), [
			customer.items[0].json,
		]);
		expect(article.items[0].json).toMatchObject({
			Number: 'DEFAULT',
			Name: 'Other',
			UnitId: SEED_IDS.units.styck,
			CodingId: SEED_IDS.codings.varor25,
			outcome: 'created',
			chosenAutomatically: CHOSEN,
		});
		expect(writesAfter(bed, mark)).toEqual(['POST articles']);
		nodes['Ensure Default Article'] = article.items[0].json;

		const draft = await bed.run(exampleParameters(flow, 'Create Draft Invoice', scope), [
			article.items[0].json,
		]);
		expect(draft.items[0].json).toMatchObject({
			outcome: 'created',
			ContractNumber: 'FS-2026-0412',
			CustomerId: customer.items[0].json.Id,
		});
		expect((draft.items[0].json.Rows as Json[])[0].ArticleId).toBe(article.items[0].json.Id);

		const again = await bed.run(exampleParameters(flow, 'Ensure Default Article', scope), [
			customer.items[0].json,
		]);
		expect(again.items[0].json.outcome).toBe('found');
		expect(again.items[0].json).not.toHaveProperty('chosenAutomatically');
	});
});

describe('a unit or account coding the user chose wins', () => {
	const bed = useTestBed({ seed: 'empty' }, { eachTest: true });

	const ensure = (unit: string, coding: string) => ({
		...ensureDefaultArticleParameters,
		defaultArticleUnitId: unit,
		defaultArticleCodingId: coding,
	});

	it('a chosen unit or coding is kept; only one left empty is chosen, and only the item that created the article says so', async () => {
		const both = await bed.run(
			{
				...ensure(SEED_IDS.units.timme, SEED_IDS.codings.tjanster25),
				defaultArticleNumber: 'DEF-BOTH',
			},
			[{}],
		);
		expect(both.items[0].json).toMatchObject({
			outcome: 'created',
			UnitId: SEED_IDS.units.timme,
			CodingId: SEED_IDS.codings.tjanster25,
		});
		expect(both.items[0].json).not.toHaveProperty('chosenAutomatically');

		const { items: out } = await bed.run(ensure(SEED_IDS.units.timme, ''), [{}, {}]);
		expect(out.map((o) => [o.json.outcome, o.json.chosenAutomatically])).toEqual([
			['created', { accountCoding: CHOSEN.accountCoding }],
			['found', undefined],
		]);
		expect(defaultArticles(bed)).toEqual([
			expect.objectContaining({ UnitId: SEED_IDS.units.timme, CodingId: SEED_IDS.codings.varor25 }),
		]);
	});

	it('only the coding chosen, in Export Invoice as Draft: the unit is chosen, and said so', async () => {
		const { items: out } = await bed.run(
			{
				...ensure('', SEED_IDS.codings.tjanster12),
				resource: 'customerInvoiceDraft',
				operation: 'exportInvoice',
				customerNumber: '900',
				customerName: 'Kund 900',
				postalCode: '903 26',
				city: 'Umeå',
				rowsSource: 'mapFromInput',
				rowsData: [{ text: 'Arbete', quantity: 1, unitPrice: 100 }],
			},
			[{}],
		);
		expect(out[0].json.defaultArticle).toMatchObject({
			outcome: 'created',
			chosenAutomatically: { unit: CHOSEN.unit },
		});
		expect(out[0].json.defaultArticle).not.toHaveProperty('chosenAutomatically.accountCoding');
		expect(defaultArticles(bed)).toEqual([
			expect.objectContaining({
				UnitId: SEED_IDS.units.styck,
				CodingId: SEED_IDS.codings.tjanster12,
			}),
		]);
	});
});

describe('nothing is written for an item that is bound to fail (issue 18, point 6)', () => {
	const bed = useTestBed({ seed: 'empty' }, { eachTest: true });

	const item = (ref: string, customer: string, rows: Json[], customerFields: Json = {}) => ({
		invoiceNumber: ref,
		customer: { number: customer, name: `Kund ${customer}`, postalCode: '903 26', city: 'Umeå' },
		customerFields,
		rows,
	});
	const parameters = {
		...exportInvoiceParameters,
		customerFields: { currency: fromItem('customerFields.currency') },
	};
	/** An article priced at 100 (in the company currency, SEK). */
	const pricedArticle = (Number: string) =>
		bed.sim.api('POST', '/v2/articles', {
			Number,
			Name: 'Priced',
			UnitId: SEED_IDS.units.styck,
			CodingId: SEED_IDS.codings.tjanster25,
			NetPrice: 100,
			IsActive: true,
		});

	it('a row without a price on the default article, which would be created without one, fails before the customer or the article is created', async () => {
		const mark = lastSeq(bed);
		const { items } = await bed.run(
			parameters,
			[item('BOUND-1', 'N-1', [{ articleNumber: 'X-1', text: 'Arbete', quantity: 2 }])],
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toBe(
			'Row 1: Unit Price is empty and article DEFAULT has no price in eAccounting; give the row a unit price [item 0]',
		);
		expect(items[0].json.message).toContain('Nothing was written for this item');
		// Before: the customer and the default article were created, then the item failed.
		expect(writesAfter(bed, mark)).toEqual([]);
		expect(bed.sim.list('customers')).toEqual([]);
		expect(bed.sim.list('articles')).toEqual([]);
	});

	it('every check runs for every item before the first write: only the items that go on write, and the default article only for one that uses it', async () => {
		const mark = lastSeq(bed);
		const { items } = await bed.run(
			parameters,
			[
				// Bound to fail on its price, and the only one whose rows use the default article.
				item('BOUND-2', 'N-2', [{ text: 'Material', quantity: 1 }]),
				// Bound to fail too: a new customer in EUR, its row on the default article without a price.
				item('BOUND-3', 'N-3', [{ text: 'Resa', quantity: 1 }], { currency: 'EUR' }),
				// Goes on, with a text row and one on an article that does not exist: it uses the default.
				item('GOES-1', 'N-4', [
					{ articleNumber: 'X-2', text: 'Arbete', quantity: 1, unitPrice: 500 },
					{ isTextRow: true, text: 'Tack!' },
				]),
			],
			{ continueOnFail: true },
		);
		expect(items.map((i) => i.json.error ?? i.json.outcome)).toEqual([
			'Row 1: Unit Price is empty and article DEFAULT has no price in eAccounting; give the row a unit price [item 0]',
			expect.stringMatching(/^Row 1: Unit Price is empty and article DEFAULT has no price/),
			'created',
		]);
		expect(items[2].json.customer).toMatchObject({ CustomerNumber: 'N-4', outcome: 'created' });
		expect(items[2].json.defaultArticle).toMatchObject({ Number: 'DEFAULT', outcome: 'created' });
		expect(writesAfter(bed, mark).sort()).toEqual([
			'POST articles',
			'POST customerinvoicedrafts',
			'POST customers',
		]);
		expect(bed.sim.list('customers').map((c) => c.CustomerNumber)).toEqual(['N-4']);
	});

	it('a foreign-currency customer whose row takes a price in the company currency fails before it is created', async () => {
		pricedArticle('P-1');
		const mark = lastSeq(bed);
		const { items } = await bed.run(
			parameters,
			[item('BOUND-4', 'N-5', [{ articleNumber: 'P-1', quantity: 1 }], { currency: 'EUR' })],
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toBe(
			'Row 1: Unit Price is empty; article P-1 is priced in SEK but the customer is invoiced in EUR, so give the row a unit price [item 0]',
		);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('a default article no row uses is not created, and the output says so', async () => {
		pricedArticle('P-2');
		const { items } = await bed.run(parameters, [
			item('NODEF-1', 'N-6', [{ articleNumber: 'P-2', quantity: 1 }]),
		]);
		expect(items[0].json).toMatchObject({
			outcome: 'created',
			defaultArticle: { Id: null, Number: 'DEFAULT', outcome: 'notNeeded' },
		});
		expect(defaultArticles(bed)).toEqual([]);
	});
});

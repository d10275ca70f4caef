import { describe, expect, it } from '@jest/globals';

import { Checker } from '../../nodes/VismaEAccounting/domain/check';
import { planDraft } from '../../nodes/VismaEAccounting/domain/draftPlan';
import { checkDraftFields, checkRows } from '../../nodes/VismaEAccounting/domain/invoice';
import type { MatchableArticle } from '../../nodes/VismaEAccounting/domain/rowMatch';
import { articleIndex } from '../../nodes/VismaEAccounting/domain/rowMatch';

const A100: MatchableArticle = {
	Id: '00000000-0000-4000-8000-000000000100',
	Number: 'A100',
	IsActive: true,
	NetPrice: 650,
};
const OLD: MatchableArticle = {
	Id: '00000000-0000-4000-8000-000000000200',
	Number: 'OLD-1',
	IsActive: false,
};
const DEFAULT: MatchableArticle = {
	Id: '00000000-0000-4000-8000-00000000000d',
	Number: 'DEFAULT',
	IsActive: true,
	NetPrice: 100,
};
const UNPRICED: MatchableArticle = {
	Id: '00000000-0000-4000-8000-00000000000e',
	Number: 'MATERIAL',
	IsActive: true,
	NetPrice: 0,
};
const customer = { Id: '00000000-0000-4000-8000-0000000000c1', CurrencyCode: 'SEK' };

function plan(
	rows: unknown,
	fields: Record<string, unknown> = {},
	defaultArticle: MatchableArticle | null = DEFAULT,
	forCustomer: { Id: string; CurrencyCode: string } = customer,
) {
	const c = new Checker();
	const rowInputs = checkRows(c, rows);
	const draftFields = checkDraftFields(c, fields);
	expect(c.problems).toEqual([]);
	return planDraft({
		customer: forCustomer,
		companyCurrency: 'SEK',
		fields: draftFields,
		rows: rowInputs,
		articles: articleIndex([A100, OLD]),
		defaultArticle: defaultArticle ?? undefined,
	});
}

describe('draft planning', () => {
	it('matches known article numbers and sends the rest to the default article with their own text, quantity and price', () => {
		const result = plan([
			{ articleNumber: 'a100', quantity: '2', unitPrice: 950 },
			{
				articleNumber: 'X-999',
				text: 'Cable 3 m',
				quantity: 3,
				unitPrice: '12,5',
				discountPercent: 10,
			},
			{ text: 'Travel', quantity: 1, unitPrice: 300.456 },
			{ articleNumber: 'OLD-1', text: 'Legacy part', quantity: 1 },
			{ isTextRow: true, text: 'Thank you!' },
		]);
		if ('problems' in result) throw new Error(JSON.stringify(result.problems));
		expect(result.matches.map((m) => [m.row, m.match, m.usedArticleNumber])).toEqual([
			[1, 'article', 'A100'],
			[2, 'default', 'DEFAULT'],
			[3, 'default', 'DEFAULT'],
			[4, 'default', 'DEFAULT'],
			[5, 'text', null],
		]);
		expect(result.matches[3].reason).toContain('inactive');
		expect(result.body.Rows).toEqual([
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: A100.Id,
				Quantity: 2,
				UnitPrice: 950,
			},
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: DEFAULT.Id,
				Quantity: 3,
				Text: 'Cable 3 m',
				UnitPrice: 12.5,
				DiscountPercentage: 0.1,
			},
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: DEFAULT.Id,
				Quantity: 1,
				Text: 'Travel',
				UnitPrice: 300.46,
			},
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: DEFAULT.Id,
				Quantity: 1,
				Text: 'Legacy part',
				UnitPrice: 100,
			},
			{ IsTextRow: true, ReversedConstructionServicesVatFree: false, Text: 'Thank you!' },
		]);
		expect(result.body).toMatchObject({
			CustomerId: customer.Id,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
		});
	});

	it('keeps 4 price decimals for a foreign-currency customer', () => {
		const c = new Checker();
		const rows = checkRows(c, [{ articleNumber: 'A100', unitPrice: 10.12345, quantity: 1.005 }]);
		const result = planDraft({
			customer: { ...customer, CurrencyCode: 'EUR' },
			companyCurrency: 'SEK',
			fields: checkDraftFields(c, {}),
			rows,
			articles: articleIndex([A100]),
		});
		if ('problems' in result) throw new Error('unexpected');
		expect(result.body.Rows).toEqual([
			expect.objectContaining({ UnitPrice: 10.1235, Quantity: 1.01 }),
		]);
	});

	it('gives every article row a price: its own, else the article it uses, and never leaves one to Visma', () => {
		const result = plan([
			{ articleNumber: 'A100', quantity: 1 },
			{ articleNumber: 'X-1', quantity: 2 },
			{ articleNumber: 'A100', quantity: 1, unitPrice: 0 },
		]);
		if ('problems' in result) throw new Error(JSON.stringify(result.problems));
		expect((result.body.Rows as Array<Record<string, unknown>>).map((r) => r.UnitPrice)).toEqual([
			650, 100, 0,
		]);
		expect(result.body.ReplaceUnitPriceWhenZero).toBe(false);
		expect(result.matches.map((m) => m.priceFrom)).toEqual(['article', 'article', 'row']);
		expect(result.matches[0].reason).toContain('unit price 650 from article A100');
		expect(result.matches[1].reason).toContain('unit price 100 from article DEFAULT');
	});

	it('fails a row without a price when its article has none, or is priced in another currency', () => {
		expect(
			plan([{ articleNumber: 'X-1' }, { articleNumber: 'X-2', unitPrice: 5 }], {}, UNPRICED),
		).toEqual({
			problems: [
				{
					field: 'Row 1: Unit Price',
					message:
						'is empty and article MATERIAL has no price in eAccounting; give the row a unit price',
				},
			],
		});
		expect(
			plan([{ articleNumber: 'A100' }], {}, DEFAULT, { ...customer, CurrencyCode: 'EUR' }),
		).toEqual({
			problems: [
				{
					field: 'Row 1: Unit Price',
					message:
						'is empty; article A100 is priced in SEK but the customer is invoiced in EUR, so give the row a unit price',
				},
			],
		});
	});

	it('stores the source reference in the chosen field', () => {
		const result = plan([{ articleNumber: 'A100' }], {
			sourceReference: 'INV-42',
			sourceReferenceField: 'BuyersOrderReference',
			yourReference: 'Anna',
			invoiceDate: '2026-11-02',
			dueDate: '2026-12-02T00:00:00Z',
		});
		if ('problems' in result) throw new Error('unexpected');
		expect(result.body).toMatchObject({
			BuyersOrderReference: 'INV-42',
			YourReference: 'Anna',
			InvoiceDate: '2026-11-02',
			DueDate: '2026-12-02',
		});
	});

	it('refuses unknown rows when there is no default article', () => {
		const result = plan([{ articleNumber: 'NOPE' }], {}, null);
		expect(result).toEqual({
			problems: [
				{
					field: 'Row 1: Article Number',
					message: '"NOPE" is not an active article in eAccounting and no default article is set',
				},
			],
		});
	});
});

describe('row and field checks', () => {
	const problemsOf = (rows: unknown, fields: Record<string, unknown> = {}) => {
		const c = new Checker();
		checkRows(c, rows);
		checkDraftFields(c, fields);
		return c.problems.map((p) => `${p.field} ${p.message}`);
	};

	it('names the row and the field', () => {
		expect(problemsOf([{ articleNumber: 'A1', quantity: 'abc' }])).toEqual([
			'Row 1: Quantity must be a number, got "abc"',
		]);
		expect(
			problemsOf([{ articleNumber: 'A1' }, { articleNumber: 'A2', unitPrice: '12 kr' }]),
		).toEqual(['Row 2: Unit Price must be a number, got "12 kr"']);
		expect(problemsOf([{ articleNumber: 'A1', discountPercent: 120 }])).toEqual([
			'Row 1: Discount (%) must be at most 100, got 120',
		]);
		expect(problemsOf([{ articleNumber: 'A1', discountPercent: -1 }])).toEqual([
			'Row 1: Discount (%) must be at least 0, got -1',
		]);
		expect(problemsOf([{ articleNumber: 'A1', price: 5 }])[0]).toMatch(
			/^Row 1: price is not a row field/,
		);
	});

	it('refuses empty, non-list and oversized row lists, and text-only drafts', () => {
		expect(problemsOf([])).toEqual(['Rows must contain at least one row']);
		// Map From Input whose expression found nothing names the expression, not the row count.
		for (const nothing of [undefined, null, '']) {
			expect(problemsOf(nothing)).toEqual([
				"Rows expression returned nothing; check that it points at the rows of the input item, e.g. {{ $json.rows }}. On n8n versions whose expression engine cannot read an upstream Code node through $('…'), use $json instead",
			]);
		}
		expect(problemsOf({ articleNumber: 'A1' })).toEqual([
			'Rows must be a list of rows, got object',
		]);
		expect(problemsOf(Array.from({ length: 1001 }, () => ({ articleNumber: 'A1' })))).toEqual([
			'Rows has 1001 rows; an eAccounting draft holds at most 1000',
		]);
		expect(problemsOf([{ isTextRow: true, text: 'Hi' }])).toEqual([
			'Rows need at least one row with an article; a draft cannot hold only text rows',
		]);
	});

	it('checks dates, references and the source-reference field', () => {
		expect(problemsOf([{ articleNumber: 'A1' }], { invoiceDate: '2026-02-30' })).toEqual([
			'Invoice Date "2026-02-30" is not a date in the form YYYY-MM-DD',
		]);
		expect(
			problemsOf([{ articleNumber: 'A1' }], { invoiceDate: '2026-03-02', dueDate: '2026-03-01' }),
		).toEqual(['Due Date (2026-03-01) is before the invoice date (2026-03-02)']);
		expect(
			problemsOf([{ articleNumber: 'A1' }], {
				sourceReference: 'x'.repeat(36),
				sourceReferenceField: 'BuyersOrderReference',
			}),
		).toEqual(['Source Reference is too long: 36 characters, Visma allows 35']);
		expect(
			problemsOf([{ articleNumber: 'A1' }], {
				sourceReference: 'INV-1',
				sourceReferenceField: 'YourReference',
				yourReference: 'Bo',
			})[0],
		).toMatch(/^Source Reference is stored in YourReference/);
	});
});

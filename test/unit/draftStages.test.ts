import { describe, expect, it } from '@jest/globals';

import {
	articleRowBody,
	draftBody,
	textRowBody,
} from '../../nodes/VismaEAccounting/domain/draftBody';
import type { DraftFields, RowInput } from '../../nodes/VismaEAccounting/domain/invoice';
import type { MatchableArticle } from '../../nodes/VismaEAccounting/domain/rowMatch';
import {
	articleIndex,
	articleRowMatch,
	matchRow,
} from '../../nodes/VismaEAccounting/domain/rowMatch';
import {
	needsCompanySettings,
	priceContext,
	priceRow,
} from '../../nodes/VismaEAccounting/domain/rowPrice';

/** The pure pieces planDraft is made of, each on its own. */

const A100: MatchableArticle = { Id: 'id-a100', Number: 'A100', IsActive: true, NetPrice: 650 };
const OLD: MatchableArticle = { Id: 'id-old', Number: 'OLD-1', IsActive: false, NetPrice: 5 };
const DEFAULT: MatchableArticle = {
	Id: 'id-default',
	Number: 'DEFAULT',
	IsActive: true,
	NetPrice: 100,
	GrossPrice: 125,
};
const articles = articleIndex([A100, OLD]);

const row = (r: Partial<RowInput>): RowInput => ({ line: 1, isTextRow: false, quantity: 1, ...r });

describe('row matching', () => {
	it('uses the active article the row names, without regard to case', () => {
		expect(matchRow(row({ articleNumber: 'a100' }), articles, DEFAULT)).toEqual({
			article: A100,
			match: 'article',
			reason: 'Article number a100 exists in eAccounting',
		});
	});

	it('sends unknown, inactive and missing article numbers to the default article, saying why', () => {
		const reasons = [row({ articleNumber: 'X-1' }), row({ articleNumber: 'OLD-1' }), row({})].map(
			(r) => {
				const choice = matchRow(r, articles, DEFAULT);
				if ('problem' in choice) throw new Error(choice.problem.message);
				expect(choice.article).toBe(DEFAULT);
				expect(choice.match).toBe('default');
				return choice.reason;
			},
		);
		expect(reasons).toEqual([
			'Article number X-1 is not in eAccounting; the default article is used',
			'Article OLD-1 is inactive in eAccounting; the default article is used',
			'Row has no article number; the default article is used',
		]);
	});

	it('names the row when there is no default article, and the default article when it is inactive', () => {
		expect(matchRow(row({ line: 3, articleNumber: 'X-1' }), articles, undefined)).toEqual({
			problem: {
				field: 'Row 3: Article Number',
				message: '"X-1" is not an active article in eAccounting and no default article is set',
			},
		});
		expect(matchRow(row({ line: 2 }), articles, undefined)).toEqual({
			problem: {
				field: 'Row 2: Article Number',
				message: 'is empty and no default article is set',
			},
		});
		expect(matchRow(row({ articleNumber: 'X-1' }), articles, OLD)).toEqual({
			problem: {
				field: 'Default Article',
				message: 'OLD-1 is inactive in eAccounting; activate it or choose another',
			},
		});
		// A row whose own article is active never needs the default one.
		expect(matchRow(row({ articleNumber: 'A100' }), articles, OLD)).toMatchObject({
			article: A100,
		});
	});
});

describe('pricing', () => {
	const sek = { customerCurrency: 'SEK', companyCurrency: 'SEK' };

	it("keeps the row's own price, rounded to 2 decimals, or 4 for a customer in another currency", () => {
		expect(priceRow(row({ unitPrice: 300.455 }), A100, sek)).toEqual({
			unitPrice: 300.46,
			from: 'row',
		});
		expect(
			priceRow(row({ unitPrice: 10.12345 }), A100, { ...sek, customerCurrency: 'EUR' }),
		).toEqual({ unitPrice: 10.1235, from: 'row' });
	});

	it("takes the article's net price, or its gross price where the draft's prices include VAT", () => {
		expect(priceRow(row({}), DEFAULT, sek)).toEqual({
			unitPrice: 100,
			from: 'article',
			note: 'unit price 100 from article DEFAULT',
		});
		expect(priceRow(row({}), DEFAULT, { ...sek, pricesIncludeVat: true })).toEqual({
			unitPrice: 125,
			from: 'article',
			note: 'unit price 125 from article DEFAULT',
		});
	});

	it('refuses to price from an article without a price or in another currency', () => {
		expect(priceRow(row({ line: 2 }), { ...A100, NetPrice: 0 }, sek)).toEqual({
			problem: {
				field: 'Row 2: Unit Price',
				message: 'is empty and article A100 has no price in eAccounting; give the row a unit price',
			},
		});
		expect(priceRow(row({}), A100, { ...sek, customerCurrency: 'EUR' })).toEqual({
			problem: {
				field: 'Row 1: Unit Price',
				message:
					'is empty; article A100 is priced in SEK but the customer is invoiced in EUR, so give the row a unit price',
			},
		});
	});

	it('needs the company settings only for prices from articles or beyond 2 decimals in a currency of its own', () => {
		expect(needsCompanySettings([row({ unitPrice: 12.5 })], 'EUR')).toBe(false);
		expect(needsCompanySettings([row({ unitPrice: 12.555 })], undefined)).toBe(false);
		expect(needsCompanySettings([row({ unitPrice: 12.555 })], 'EUR')).toBe(true);
		expect(needsCompanySettings([row({})], undefined)).toBe(true);
		expect(needsCompanySettings([row({ isTextRow: true, text: 'Hi' })], 'EUR')).toBe(false);
	});

	it("reads the company's currency and VAT display, falling back to the customer's currency", () => {
		expect(priceContext({ CurrencyCode: 'EUR', IsPrivatePerson: true }, {})).toEqual({
			customerCurrency: 'EUR',
			companyCurrency: 'EUR',
			pricesIncludeVat: false,
		});
		expect(
			priceContext(
				{ CurrencyCode: null, IsPrivatePerson: true },
				{ CurrencyCode: 'SEK', ShowPricesExclVatPC: true },
			),
		).toEqual({ customerCurrency: null, companyCurrency: 'SEK', pricesIncludeVat: true });
	});
});

describe('body building', () => {
	const fields: DraftFields = {
		isCreditInvoice: false,
		delivery: { city: 'Umeå' },
		yourReference: 'Anna',
		sourceReference: { field: 'ContractNumber', value: 'INV-7' },
	};

	it('gives a default-article row its own text, else its article number, and a discount as a fraction', () => {
		const choice = { article: DEFAULT, match: 'default' as const, reason: '' };
		expect(
			articleRowBody(
				row({ articleNumber: 'X-1', quantity: 1.005, discountPercent: 12.5 }),
				choice,
				9,
			),
		).toEqual({
			IsTextRow: false,
			ReversedConstructionServicesVatFree: false,
			ArticleId: 'id-default',
			Quantity: 1.01,
			Text: 'X-1',
			UnitPrice: 9,
			DiscountPercentage: 0.125,
		});
		// A matched row without text leaves the text to the article.
		expect(
			articleRowBody(
				row({ articleNumber: 'A100' }),
				{ ...choice, article: A100, match: 'article' },
				650,
			),
		).not.toHaveProperty('Text');
		expect(textRowBody(row({ isTextRow: true, text: 'Thanks' }))).toEqual({
			IsTextRow: true,
			ReversedConstructionServicesVatFree: false,
			Text: 'Thanks',
		});
	});

	it('writes the fields the user filled in and the source reference into its field', () => {
		expect(draftBody('cust-1', fields, [])).toEqual({
			CustomerId: 'cust-1',
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
			IsCreditInvoice: false,
			ReplaceUnitPriceWhenZero: false,
			Rows: [],
			YourReference: 'Anna',
			DeliveryCity: 'Umeå',
			ContractNumber: 'INV-7',
		});
	});

	it('reports where each row got its article and price', () => {
		const choice = {
			article: A100,
			match: 'article' as const,
			reason: 'Article number A100 exists',
		};
		expect(
			articleRowMatch(row({ line: 4, articleNumber: 'A100' }), choice, {
				from: 'article',
				note: 'unit price 650 from article A100',
			}),
		).toEqual({
			row: 4,
			articleNumber: 'A100',
			match: 'article',
			articleId: 'id-a100',
			usedArticleNumber: 'A100',
			reason: 'Article number A100 exists; unit price 650 from article A100',
			priceFrom: 'article',
		});
	});
});

import type { FieldProblem } from './check';
import type { RowInput } from './invoice';
import { roundHalfAwayFromZero, unitPriceDecimals } from './money';
import type { MatchableArticle } from './rowMatch';
import { rowProblem } from './rowMatch';

/**
 * Pricing: every article row carries a price, its own or the article's. Visma types UnitPrice as
 * a number and would bill an omitted one at 0 (ReplaceUnitPriceWhenZero is false), not at the
 * article's price.
 */
export interface PriceContext {
	customerCurrency?: string | null;
	companyCurrency: string;
	/** Whether this draft's prices include VAT (private customers in some companies). */
	pricesIncludeVat?: boolean;
}

export interface RowPrice {
	/** Rounded to the decimals Visma accepts for this customer. */
	unitPrice: number;
	from: 'row' | 'article';
	/** For the row report when the price came from the article. */
	note?: string;
}

const hasAtMost2Decimals = (n: number) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;

/**
 * Whether pricing these rows needs the company's currency and VAT display: only rows priced
 * from an article, or prices with more than 2 decimals for a customer with a currency of its own.
 */
export function needsCompanySettings(
	rows: RowInput[],
	customerCurrency: string | null | undefined,
): boolean {
	return rows.some(
		(row) =>
			!row.isTextRow &&
			(row.unitPrice === undefined ||
				Boolean(customerCurrency && !hasAtMost2Decimals(row.unitPrice))),
	);
}

/** How a new draft for this customer is priced, from the company settings read (if any). */
export function priceContext(
	customer: { CurrencyCode?: string | null; IsPrivatePerson?: unknown },
	settings: { CurrencyCode?: string | null; ShowPricesExclVatPC?: unknown },
): PriceContext {
	return {
		customerCurrency: customer.CurrencyCode,
		// Without the settings every price has at most 2 decimals: any currency rounds it the same.
		companyCurrency: settings.CurrencyCode ?? customer.CurrencyCode ?? 'SEK',
		pricesIncludeVat: settings.ShowPricesExclVatPC === true && customer.IsPrivatePerson === true,
	};
}

/** The unit price of an article row using `article`, or why it has none. */
export function priceRow(
	row: RowInput,
	article: MatchableArticle,
	context: PriceContext,
): RowPrice | { problem: FieldProblem } {
	const decimals = unitPriceDecimals(context.customerCurrency, context.companyCurrency);
	if (row.unitPrice !== undefined) {
		return { unitPrice: roundHalfAwayFromZero(row.unitPrice, decimals), from: 'row' };
	}
	const problem = articlePriceProblem(article, context.customerCurrency, context.companyCurrency);
	if (problem) return { problem: rowProblem(row.line, 'Unit Price', problem) };
	const price = (
		context.pricesIncludeVat && typeof article.GrossPrice === 'number'
			? article.GrossPrice
			: article.NetPrice
	) as number;
	return {
		unitPrice: roundHalfAwayFromZero(price, decimals),
		from: 'article',
		note: `unit price ${price} from article ${article.Number}`,
	};
}

/** Why a row without a price cannot take its article's price, or undefined when it can. */
function articlePriceProblem(
	article: MatchableArticle,
	customerCurrency: string | null | undefined,
	companyCurrency: string,
): string | undefined {
	if (typeof article.NetPrice !== 'number' || article.NetPrice === 0) {
		return `is empty and article ${article.Number} has no price in eAccounting; give the row a unit price`;
	}
	if (customerCurrency && customerCurrency.toUpperCase() !== companyCurrency.toUpperCase()) {
		return `is empty; article ${article.Number} is priced in ${companyCurrency} but the customer is invoiced in ${customerCurrency}, so give the row a unit price`;
	}
	return undefined;
}

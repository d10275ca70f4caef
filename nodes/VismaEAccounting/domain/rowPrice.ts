import type { FieldProblem } from './check';
import type { RowInput } from './invoice';
import { QUANTITY_DECIMALS, roundHalfAwayFromZero, unitPriceDecimals } from './money';
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

/** How a fixed-amount discount went to Visma. */
export interface RowDiscount {
	/** The amount asked for, in the row's currency. */
	amount: number;
	/** Visma's API takes row discounts only as a percentage (DiscountFixedAmount is read-only). */
	sentAs: 'percentage' | 'unitPrice';
	/** The fraction sent as DiscountPercentage. */
	DiscountPercentage?: number;
	/** The unit price before the discount was taken off it. */
	unitPriceBeforeDiscount?: number;
}

const big = (n: number, decimals: number) =>
	BigInt(Math.round(Number((n * 10 ** decimals).toPrecision(15))));

/** |a| / b rounded half away from zero, with a's sign. */
function divRound(a: bigint, b: bigint): bigint {
	const negative = a < BigInt(0);
	const abs = negative ? -a : a;
	const q = (abs + b / BigInt(2)) / b;
	return negative ? -q : q;
}

/** The row amount Visma computes, in cents: round(quantity × price × (1 − discount), 2). */
export function rowAmountCents(quantity: number, unitPrice: number, discount: number): bigint {
	return divRound(
		big(quantity, 2) * big(unitPrice, 4) * (BigInt(10000) - big(discount, 4)),
		BigInt(10) ** BigInt(8),
	);
}

/**
 * A fixed-amount discount, sent the only ways Visma's API takes it while the row still totals
 * exactly its amount less the discount: as a 4-decimal percentage when one gives that total,
 * else taken off the unit price when that gives it. Otherwise the row cannot be sent exactly.
 */
export function applyFixedDiscount(
	row: RowInput,
	unitPrice: number,
	decimals: number,
):
	| { unitPrice: number; discount: RowDiscount; DiscountPercentage?: number }
	| { problem: FieldProblem } {
	const amount = row.discountAmount ?? 0;
	const quantity = roundHalfAwayFromZero(row.quantity, QUANTITY_DECIMALS);
	const gross = rowAmountCents(quantity, unitPrice, 0);
	const off = big(amount, 2);
	const absGross = gross < BigInt(0) ? -gross : gross;
	if (off > absGross) {
		return {
			problem: rowProblem(
				row.line,
				'Discount Amount',
				`(${amount}) is more than the row's amount (${Number(absGross) / 100})`,
			),
		};
	}
	const target = gross < BigInt(0) ? gross + off : gross - off;
	if (gross !== BigInt(0)) {
		const guess = roundHalfAwayFromZero(amount / (Number(absGross) / 100), 4);
		for (const d of [guess, guess - 0.0001, guess + 0.0001].map((x) =>
			roundHalfAwayFromZero(x, 4),
		)) {
			if (d < 0 || d > 1) continue;
			if (rowAmountCents(quantity, unitPrice, d) === target) {
				return {
					unitPrice,
					DiscountPercentage: d,
					discount: { amount, sentAs: 'percentage', DiscountPercentage: d },
				};
			}
		}
	}
	if (quantity !== 0) {
		const step = 10 ** -decimals;
		const guess = roundHalfAwayFromZero(Number(target) / 100 / quantity, decimals);
		for (const p of [guess, guess - step, guess + step].map((x) =>
			roundHalfAwayFromZero(x, decimals),
		)) {
			if (rowAmountCents(quantity, p, 0) === target) {
				return {
					unitPrice: p,
					discount: { amount, sentAs: 'unitPrice', unitPriceBeforeDiscount: unitPrice },
				};
			}
		}
	}
	return {
		problem: rowProblem(
			row.line,
			'Discount Amount',
			`(${amount}) cannot be sent exactly: Visma's API takes a row discount only as a percentage with 4 decimals, and neither a percentage nor a unit price with ${decimals} decimals takes exactly ${amount} off ${quantity} × ${unitPrice}; give the discount as a percentage, or the unit price after the discount`,
		),
	};
}

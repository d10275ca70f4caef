/**
 * Visma rounds sales documents half away from zero (100.45 -> 100.5). toPrecision(15) strips
 * binary noise first, so 1.005 rounds to 1.01 as a person expects.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	const scaled = Number((Math.abs(value) * factor).toPrecision(15));
	const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
	return rounded === 0 ? 0 : rounded;
}

/** Decimals Visma accepts on a draft row's unit price: 4 for a foreign-currency customer, else 2. */
export function unitPriceDecimals(
	customerCurrency: string | null | undefined,
	companyCurrency: string,
): number {
	return customerCurrency && customerCurrency.toUpperCase() !== companyCurrency.toUpperCase()
		? 4
		: 2;
}

export const QUANTITY_DECIMALS = 2;
export const DISCOUNT_DECIMALS = 4;
export const ARTICLE_PRICE_DECIMALS = 2;

import type { Checker } from './check';
import { ARTICLE_LIMITS as L } from './limits';
import { ARTICLE_PRICE_DECIMALS, roundHalfAwayFromZero } from './money';

export interface ArticleInput {
	number: string;
	name?: string;
	unitId?: string;
	codingId?: string;
	netPrice?: number;
	isActive?: boolean;
}

export const ARTICLE_NUMBER_LABEL = 'Article Number';

export function checkArticleNumber(c: Checker, value: unknown, label = ARTICLE_NUMBER_LABEL, required = true) {
	return c.text(label, value, { max: L.Number, required, identifier: true });
}

/** Checks an article's fields; without `numberRequired` an empty number stays '' (Update keeps it). */
export function checkArticleInput(c: Checker, raw: Record<string, unknown>, numberRequired = true): ArticleInput {
	const input: ArticleInput = { number: checkArticleNumber(c, raw.number, ARTICLE_NUMBER_LABEL, numberRequired) ?? '' };
	input.name = c.text('Name', raw.name, { max: L.Name });
	input.unitId = c.guid('Unit', raw.unitId);
	input.codingId = c.guid('Account Coding', raw.codingId);
	const price = c.number('Price', raw.netPrice, { min: 0, max: L.MaxPrice });
	if (price !== undefined) input.netPrice = roundHalfAwayFromZero(price, ARTICLE_PRICE_DECIMALS);
	if (raw.isActive !== undefined && raw.isActive !== '') input.isActive = c.bool('Active', raw.isActive, true);
	return input;
}

/** Fields Visma needs before it will create an article. */
export function checkArticleCreatable(c: Checker, input: ArticleInput): void {
	const hint = `is required to create article ${input.number}`;
	if (!input.name) c.fail('Name', hint);
	if (!input.unitId) c.fail('Unit', hint);
	if (!input.codingId) c.fail('Account Coding', hint);
}

const FIELDS: ReadonlyArray<[keyof ArticleInput, string]> = [
	['number', 'Number'],
	['name', 'Name'],
	['unitId', 'UnitId'],
	['codingId', 'CodingId'],
	['netPrice', 'NetPrice'],
	['isActive', 'IsActive'],
];

export function articleCreateBody(input: ArticleInput): Record<string, unknown> {
	const body: Record<string, unknown> = { IsActive: input.isActive ?? true };
	for (const [key, visma] of FIELDS) if (input[key] !== undefined) body[visma] = input[key];
	return body;
}

/**
 * PUT body for an article: the fetched article with the user's fields laid over it. GrossPrice is
 * dropped when the net price changes, so Visma recomputes it from the coding's VAT rate.
 */
export function mergeArticle(
	existing: Record<string, unknown>,
	input: Partial<ArticleInput>,
): { body: Record<string, unknown>; changed: string[] } {
	const body: Record<string, unknown> = { ...existing };
	const changed: string[] = [];
	for (const [key, visma] of FIELDS) {
		const next = input[key];
		if (next === undefined) continue;
		const current = existing[visma];
		const same = typeof next === 'string' && typeof current === 'string' && key !== 'name' && key !== 'number'
			? next.toLowerCase() === current.toLowerCase()
			: next === current;
		if (!same) {
			body[visma] = next;
			changed.push(visma);
		}
	}
	if (changed.includes('NetPrice') || changed.includes('CodingId')) delete body.GrossPrice;
	return { body, changed };
}

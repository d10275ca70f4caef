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

export function checkArticleNumber(
	c: Checker,
	value: unknown,
	label = ARTICLE_NUMBER_LABEL,
	required = true,
) {
	return c.text(label, value, { max: L.Number, required, identifier: true });
}

/** Checks an article's fields; without `numberRequired` an empty number stays '' (Update keeps it). */
export function checkArticleInput(
	c: Checker,
	raw: Record<string, unknown>,
	numberRequired = true,
): ArticleInput {
	const input: ArticleInput = {
		number: checkArticleNumber(c, raw.number, ARTICLE_NUMBER_LABEL, numberRequired) ?? '',
	};
	input.name = c.text('Name', raw.name, { max: L.Name });
	input.unitId = c.guid('Unit', raw.unitId);
	input.codingId = c.guid('Account Coding', raw.codingId);
	const price = c.number('Price', raw.netPrice, { min: 0, max: L.MaxPrice });
	if (price !== undefined) input.netPrice = roundHalfAwayFromZero(price, ARTICLE_PRICE_DECIMALS);
	if (raw.isActive !== undefined && raw.isActive !== '')
		input.isActive = c.bool('Active', raw.isActive, true);
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
		const same =
			typeof next === 'string' && typeof current === 'string' && key !== 'name' && key !== 'number'
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

/** What the default article needs from a unit to be chosen for it. */
export interface UnitChoice {
	Id: string;
	Name: string;
	Code?: string | null;
	Abbreviation?: string | null;
	AbbreviationEnglish?: string | null;
}

/** What the default article needs from an account coding to be chosen for it. */
export interface CodingChoice {
	Id: string;
	Name: string;
	Type?: string | null;
	VatRatePercent?: number | null;
	IsActive?: boolean;
}

/** How a unit or coding left empty was chosen, for the output. */
export interface Chosen<T> {
	record: T;
	rule: 'piecesUnit' | 'firstUnit' | 'goodsAtStandardRate' | 'firstActiveCoding';
}

/**
 * What eAccounting companies call pieces, as a unit's code, abbreviation or name: Swedish
 * (st, styck), Norwegian and Danish (stk, stykk, stykke), Dutch (st, stuks, stuk), Finnish (kpl),
 * English (pcs, pc, piece, each) and the UN/ECE codes for a piece (PCE, H87, EA, C62).
 */
const PIECES = new Set([
	'st',
	'stk',
	'styck',
	'stycken',
	'stykk',
	'stykke',
	'stykker',
	'stuks',
	'stuk',
	'kpl',
	'pcs',
	'pc',
	'pce',
	'piece',
	'pieces',
	'ea',
	'each',
	'h87',
	'c62',
]);

const normalised = (v: unknown) =>
	typeof v === 'string' ? v.trim().toLowerCase().replace(/\.$/, '') : '';

/**
 * The unit for a default article whose unit was left empty: the company's pieces unit (the first
 * whose code, abbreviation or name is a usual word or code for pieces), else the first unit.
 */
export function chooseDefaultUnit<T extends UnitChoice>(
	units: readonly T[],
): Chosen<T> | undefined {
	const pieces = units.find((u) =>
		[u.Code, u.Abbreviation, u.AbbreviationEnglish, u.Name].some((v) => PIECES.has(normalised(v))),
	);
	if (pieces) return { record: pieces, rule: 'piecesUnit' };
	return units.length > 0 ? { record: units[0], rule: 'firstUnit' } : undefined;
}

/** Visma's coding types are Goods and Service; the localised words are accepted too. */
const GOODS = new Set(['goods', 'good', 'varor', 'vara', 'varer', 'vare', 'goederen']);

/**
 * The account coding for a default article whose coding was left empty: among the active
 * codings, the first goods coding at the standard VAT rate (the highest rate among the active
 * codings, 25 % in Sweden), else the first active coding.
 */
export function chooseDefaultCoding<T extends CodingChoice>(
	codings: readonly T[],
): Chosen<T> | undefined {
	const active = codings.filter((c) => c.IsActive !== false);
	if (active.length === 0) return undefined;
	const rate = (c: CodingChoice) => (typeof c.VatRatePercent === 'number' ? c.VatRatePercent : 0);
	const standard = Math.max(...active.map(rate));
	const goods = active.find((c) => GOODS.has(normalised(c.Type)) && rate(c) === standard);
	if (goods) return { record: goods, rule: 'goodsAtStandardRate' };
	return { record: active[0], rule: 'firstActiveCoding' };
}

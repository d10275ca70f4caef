// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { GUID_RE, validateBody } = require('../validate');
const { duplicateNumber, fieldProblem, unknownId, throwIfErrors } = require('../errors');
const { round } = require('../money');
const {
	getForWrite,
	getOr404,
	list,
	noListOptions,
	nowIso,
	ok,
	param,
	requireBody,
	boolParam,
} = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

const MAX_PRICE = 99000000;
// Set by the server from CodingId/UnitId or not writable in practice.
const COMPUTED = ['NetPriceWithDiscount', 'DiscountPercentage'];

/**
 * @param {State} state
 * @param {Json} a stored article
 */
function renderArticle(state, a) {
	const coding = state.articleaccountcodings.get(a.CodingId);
	const unit = state.units.get(a.UnitId);
	return render('ArticleApi', {
		...a,
		NetPriceWithDiscount: a.NetPrice,
		CodingName: coding?.Name ?? null,
		UnitName: unit?.Name ?? null,
		UnitAbbreviation: unit?.Abbreviation ?? null,
		IsServiceArticle: coding?.Type === 'Service',
		StockBalanceAvailable: a.StockBalance ?? 0,
		ShowStockInformation: false,
	});
}

/** @param {Ctx} ctx */
function checkArticleQuery(ctx) {
	boolParam(ctx.query, 'showPricesWithTwoDecimals', false);
	const customerId = param(ctx.query, 'customerId');
	if (customerId !== null && !GUID_RE.test(customerId))
		throw fieldProblem(
			'customerId',
			`The value '${customerId}' is not a valid GUID.`,
			'InvalidFormat',
		);
}

/** @param {Ctx} ctx */
function listArticles(ctx) {
	checkArticleQuery(ctx);
	return list(
		ctx,
		'ArticleApi',
		[...ctx.state.articles.values()].map((a) => renderArticle(ctx.state, a)),
	);
}

/** @param {Ctx} ctx */
function getArticle(ctx) {
	noListOptions(ctx);
	checkArticleQuery(ctx);
	return ok(
		renderArticle(ctx.state, getOr404(ctx.state.articles, ctx.params.articleId, 'Article')),
	);
}

/**
 * @param {Ctx} ctx
 * @param {Json | null} existing
 */
function validateArticle(ctx, existing) {
	const { state } = ctx;
	const { value: v, errors } = validateBody('ArticleApi', requireBody(ctx), { computed: COMPUTED });
	throwIfErrors(errors);

	const coding = state.articleaccountcodings.get(v.CodingId);
	if (!coding) throw unknownId('CodingId', 'Article account coding', v.CodingId);
	if (!state.units.get(v.UnitId)) throw unknownId('UnitId', 'Unit', v.UnitId);
	if (v.SupplierId && v.SupplierId !== '00000000-0000-0000-0000-000000000000')
		throw unknownId('SupplierId', 'Supplier', v.SupplierId);
	if (!coding.IsActive)
		throw fieldProblem(
			'CodingId',
			`Article account coding '${coding.Name}' is inactive.`,
			'InvalidValue',
		);

	// Net and gross price must agree with the coding's VAT rate; one of them is enough.
	const rate = coding.VatRatePercent;
	const hasNet = v.NetPrice !== undefined;
	const hasGross = v.GrossPrice !== undefined;
	if (hasNet && hasGross) {
		const expectedGross = round(v.NetPrice * (1 + rate), 2);
		const expectedNet = round(v.GrossPrice / (1 + rate), 2);
		if (expectedGross !== v.GrossPrice && expectedNet !== v.NetPrice) {
			throw fieldProblem(
				'GrossPrice',
				`GrossPrice ${v.GrossPrice} does not match NetPrice ${v.NetPrice} with the VAT rate ${rate * 100} % of coding '${coding.Name}' (expected ${expectedGross}). Send only one of them.`,
				'InvalidValue',
			);
		}
	} else if (hasNet) {
		v.GrossPrice = round(v.NetPrice * (1 + rate), 2);
	} else if (hasGross) {
		v.NetPrice = round(v.GrossPrice / (1 + rate), 2);
	} else {
		v.NetPrice = 0;
		v.GrossPrice = 0;
	}
	if (v.GrossPrice > MAX_PRICE)
		throw fieldProblem(
			'NetPrice',
			`The gross price ${v.GrossPrice} exceeds the maximum ${MAX_PRICE}.`,
			'Range',
		);
	if (v.PurchasePrice !== undefined) v.PurchasePrice = round(v.PurchasePrice, 2);
	if (v.SendToWebshop === undefined) v.SendToWebshop = true;

	const wanted = v.Number.toLowerCase();
	const taken = [...state.articles.values()].find(
		(a) => a.Number.toLowerCase() === wanted && a.Id !== existing?.Id,
	);
	if (taken)
		throw duplicateNumber(
			ctx.rules.duplicateErrorCode,
			'Number',
			'Article',
			v.Number,
			taken.Number,
		);
	return v;
}

/** @param {Ctx} ctx */
function createArticle(ctx) {
	noListOptions(ctx);
	const v = validateArticle(ctx, null);
	const now = nowIso(ctx);
	const a = { ...v, Id: newId(), CreatedUtc: now, ChangedUtc: now };
	ctx.state.articles.set(a.Id, a);
	// keep the numeric series ahead of numeric article numbers, like the customer number series
	const next = ctx.state.company.NextArticleNumber;
	if (typeof next === 'number' && /^\d{1,9}$/.test(v.Number) && Number(v.Number) >= next)
		ctx.state.company.NextArticleNumber = Number(v.Number) + 1;
	return ok(renderArticle(ctx.state, a), 201);
}

/** @param {Ctx} ctx */
function updateArticle(ctx) {
	noListOptions(ctx);
	const existing = getForWrite(ctx.state.articles, ctx.params.articleId, 'Article');
	const v = validateArticle(ctx, existing);
	const a = { ...v, Id: existing.Id, CreatedUtc: existing.CreatedUtc, ChangedUtc: nowIso(ctx) };
	ctx.state.articles.set(a.Id, a);
	return ok(renderArticle(ctx.state, a));
}

module.exports = { createArticle, getArticle, listArticles, renderArticle, updateArticle };

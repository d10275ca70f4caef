// @ts-check
'use strict';

const { render } = require('../render');
const { schema } = require('../schemas');
const { validateBody, parseIsoDate } = require('../validate');
const { fieldProblem, throwIfErrors } = require('../errors');
const { getOr404, list, noListOptions, ok, param, requireBody } = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('./common').Handler} Handler */
/** @typedef {import('../state').State} State */

/**
 * GET list + GET by id for the read-only reference data collections.
 * @param {'units'|'articleaccountcodings'|'termsofpayments'|'vatcodes'|'bankaccounts'} collection
 * @param {string} schemaName
 * @param {string} what
 * @param {string} idParam
 * @returns {{ list: Handler, get: Handler }}
 */
function readOnlyCollection(collection, schemaName, what, idParam) {
	/** @param {Ctx} ctx */
	const checkVatRateDate = (ctx) => {
		if (collection !== 'articleaccountcodings' && collection !== 'vatcodes') return;
		const d = param(ctx.query, 'vatRateDate');
		if (d !== null && !(/^\d{4}-\d{2}-\d{2}$/.test(d) && parseIsoDate(d)))
			throw fieldProblem(
				'vatRateDate',
				`The value '${d}' is not a valid date (yyyy-MM-dd).`,
				'InvalidFormat',
			);
	};
	return {
		list(ctx) {
			checkVatRateDate(ctx);
			return list(
				ctx,
				schemaName,
				[...ctx.state[collection].values()].map((x) => render(schemaName, x)),
			);
		},
		get(ctx) {
			noListOptions(ctx);
			checkVatRateDate(ctx);
			return ok(render(schemaName, getOr404(ctx.state[collection], ctx.params[idParam], what)));
		},
	};
}

const units = readOnlyCollection('units', 'UnitApi', 'Unit', 'id');
const codings = readOnlyCollection(
	'articleaccountcodings',
	'ArticleAccountCodingApi',
	'Article account coding',
	'articleAccountCodingId',
);
const terms = readOnlyCollection('termsofpayments', 'TermsOfPaymentApi', 'Terms of payment', 'id');
const vatcodes = readOnlyCollection('vatcodes', 'VatCodeApi', 'VAT code', 'id');
const bankaccounts = readOnlyCollection(
	'bankaccounts',
	'BankAccountApi',
	'Bank account',
	'bankAccountId',
);

/**
 * @param {State} state
 */
function renderCompany(state) {
	return render('CompanySettingsApi', state.company);
}

/** @param {Ctx} ctx */
function getCompanySettings(ctx) {
	noListOptions(ctx);
	return ok(renderCompany(ctx.state));
}

/**
 * PUT replaces the writable settings; read-only ones (numbers series, currency, ...) stay.
 * @param {Ctx} ctx
 */
function putCompanySettings(ctx) {
	noListOptions(ctx);
	const { value, errors } = validateBody('CompanySettingsApi', requireBody(ctx));
	throwIfErrors(errors);
	if (value.CountryCode !== ctx.state.company.CountryCode) {
		throw fieldProblem('CountryCode', 'The company country cannot be changed.', 'InvalidValue');
	}
	/** @type {Record<string, any>} */
	const kept = {};
	for (const [k, f] of Object.entries(schema('CompanySettingsApi').props))
		if (f.readOnly) kept[k] = ctx.state.company[k];
	ctx.state.company = { ...kept, ...value };
	return ok(renderCompany(ctx.state));
}

module.exports = {
	bankaccounts,
	codings,
	getCompanySettings,
	putCompanySettings,
	renderCompany,
	terms,
	units,
	vatcodes,
};

// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody } = require('../validate');
const {
	ApiError,
	CODES,
	duplicateNumber,
	fieldError,
	fieldProblem,
	unknownId,
	throwIfErrors,
} = require('../errors');
const { CURRENCY_RATES, EU_COUNTRIES } = require('../state');
const { getForWrite, getOr404, list, noListOptions, nowIso, ok, requireBody } = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

const VAT_NUMBER_RE = /^[A-Z]{2}[0-9A-Z]{8,12}$/;

/**
 * Sum of RemainingAmount per customer over unpaid invoices.
 * @param {State} state
 */
function unpaidByCustomer(state) {
	/** @type {Map<string, number>} */
	const m = new Map();
	for (const inv of state.customerinvoices.values()) {
		if (inv.RemainingAmount > 0)
			m.set(
				inv.CustomerId,
				Math.round(((m.get(inv.CustomerId) ?? 0) + inv.RemainingAmount) * 100) / 100,
			);
	}
	return m;
}

/**
 * @param {State} state
 * @param {Json} c stored customer
 * @param {Map<string, number>} [unpaid]
 */
function renderCustomer(state, c, unpaid) {
	const term = state.termsofpayments.get(c.TermsOfPaymentId) ?? null;
	return render('CustomerApi', {
		...c,
		TermsOfPayment: term,
		IsFutureInvoiceDateAllowed: true,
		UnpaidInvoicesAmount: (unpaid ?? unpaidByCustomer(state)).get(c.Id) ?? 0,
	});
}

/** @param {Ctx} ctx */
function listCustomers(ctx) {
	const unpaid = unpaidByCustomer(ctx.state);
	return list(
		ctx,
		'CustomerApi',
		[...ctx.state.customers.values()].map((c) => renderCustomer(ctx.state, c, unpaid)),
	);
}

/** @param {Ctx} ctx */
function getCustomer(ctx) {
	noListOptions(ctx);
	return ok(
		renderCustomer(ctx.state, getOr404(ctx.state.customers, ctx.params.customerId, 'Customer')),
	);
}

/**
 * Validates a full customer body and returns the stored representation (without Id/number bookkeeping).
 * @param {Ctx} ctx
 * @param {Json | null} existing
 * @returns {Json}
 */
function validateCustomer(ctx, existing) {
	const { state } = ctx;
	const { value, errors } = validateBody('CustomerApi', requireBody(ctx), {
		computed: ['TermsOfPayment'],
	});
	throwIfErrors(errors);

	const v = value;
	if (v.VatNumber === '') v.VatNumber = null;
	if (v.CustomerNumber === '') delete v.CustomerNumber;
	if (v.CurrencyCode === undefined || v.CurrencyCode === null || v.CurrencyCode === '')
		v.CurrencyCode = state.company.CurrencyCode;

	/** @type {import('../errors').FieldError[]} */
	const rules = [];
	if (!Object.prototype.hasOwnProperty.call(CURRENCY_RATES, v.CurrencyCode)) {
		rules.push(
			fieldError(
				'CurrencyCode',
				`Unknown currency '${v.CurrencyCode}'. Known: ${Object.keys(CURRENCY_RATES).join(', ')}.`,
				'InvalidValue',
			),
		);
	}
	for (const f of ['InvoiceCountryCode', 'DeliveryCountryCode']) {
		if (v[f] && !/^[A-Z]{2}$/.test(v[f]))
			rules.push(
				fieldError(f, `${f} must be an ISO 3166-1 alpha-2 code such as 'SE'.`, 'InvalidFormat'),
			);
	}
	if (Array.isArray(v.EmailAddresses) && v.EmailAddresses.length > 0) {
		if (v.EmailAddresses.length > 5)
			rules.push(
				fieldError('EmailAddresses', 'A maximum of 5 email addresses can be provided.', 'MaxItems'),
			);
		if (!v.EmailAddress)
			rules.push(
				fieldError(
					'EmailAddresses',
					'EmailAddresses (CC) requires EmailAddress to be set.',
					'InvalidValue',
				),
			);
	}
	if (v.DeliveryBasedVat === true) {
		for (const f of ['DeliveryCity', 'DeliveryCountryCode', 'DeliveryPostalCode']) {
			if (!v[f])
				rules.push(fieldError(f, `${f} is required when DeliveryBasedVat is true.`, 'Required'));
		}
	}
	if (v.ReverseChargeOnConstructionServices === true && !v.VatNumber) {
		rules.push(
			fieldError(
				'VatNumber',
				'VatNumber can not be null or empty when using ReverseChargeOnConstructionServices.',
				'Required',
			),
		);
	}
	throwIfErrors(rules);

	const term = state.termsofpayments.get(v.TermsOfPaymentId);
	if (!term) throw unknownId('TermsOfPaymentId', 'TermsOfPayment', v.TermsOfPaymentId);
	for (const f of [
		'DeliveryMethodId',
		'DeliveryTermId',
		'SalesPriceListId',
		'DiscountAgreementId',
	]) {
		if (v[f]) throw unknownId(f, f.replace(/Id$/, ''), v[f]);
	}
	if (!term.AvailableForSales) {
		throw fieldProblem(
			'TermsOfPaymentId',
			`Terms of payment '${term.Name}' is not available for sales.`,
			'InvalidValue',
		);
	}
	if (v.VatNumber && !VAT_NUMBER_RE.test(v.VatNumber)) {
		throw fieldProblem(
			'VatNumber',
			`Invalid VAT number '${v.VatNumber}': expected a 2-letter country code followed by 8-12 digits or letters.`,
			'InvalidVatNumber',
			CODES.InvalidVatNumber,
		);
	}
	if (
		v.ForceBookkeepVat === true &&
		v.InvoiceCountryCode &&
		EU_COUNTRIES.has(v.InvoiceCountryCode)
	) {
		throw fieldProblem(
			'ForceBookkeepVat',
			'ForceBookkeepVat cannot be true for a customer inside the EU.',
			'InvalidForceBookkeepVat',
			CODES.InvalidForceBookkeepVat,
		);
	}
	if (v.CustomerNumber !== undefined && v.CustomerNumber !== null) {
		const wanted = String(v.CustomerNumber).toLowerCase();
		const taken = [...state.customers.values()].find(
			(c) => String(c.CustomerNumber).toLowerCase() === wanted && c.Id !== existing?.Id,
		);
		if (taken)
			throw duplicateNumber(
				ctx.rules.duplicateErrorCode,
				'CustomerNumber',
				'Customer',
				v.CustomerNumber,
				taken.CustomerNumber,
			);
	}
	return v;
}

/**
 * Assigns the next free number from the company series and keeps the series ahead of numeric numbers.
 * @param {State} state
 * @param {string | undefined | null} requested
 */
function assignCustomerNumber(state, requested) {
	const used = new Set([...state.customers.values()].map((c) => c.CustomerNumber));
	let number = requested;
	if (number === undefined || number === null) {
		let n = state.company.NextCustomerNumber;
		while (used.has(String(n))) n++;
		number = String(n);
	}
	if (/^\d{1,9}$/.test(number) && Number(number) >= state.company.NextCustomerNumber)
		state.company.NextCustomerNumber = Number(number) + 1;
	return number;
}

/** @param {Ctx} ctx */
function createCustomer(ctx) {
	noListOptions(ctx);
	const v = validateCustomer(ctx, null);
	/** @type {Json} */
	const c = { ...v, Id: newId(), ChangedUtc: nowIso(ctx) };
	c.CustomerNumber = assignCustomerNumber(ctx.state, v.CustomerNumber);
	ctx.state.customers.set(c.Id, c);
	return ok(renderCustomer(ctx.state, c), 201);
}

/** @param {Ctx} ctx */
function updateCustomer(ctx) {
	noListOptions(ctx);
	const existing = getForWrite(ctx.state.customers, ctx.params.customerId, 'Customer');
	const v = validateCustomer(ctx, existing);
	// Full replace: fields not sent fall back to defaults; the number is kept when omitted.
	/** @type {Json} */
	const c = {
		...v,
		Id: existing.Id,
		ChangedUtc: nowIso(ctx),
		LastInvoiceDate: existing.LastInvoiceDate ?? null,
	};
	c.CustomerNumber = v.CustomerNumber ?? existing.CustomerNumber;
	if (v.CustomerNumber) assignCustomerNumber(ctx.state, v.CustomerNumber);
	ctx.state.customers.set(c.Id, c);
	return ok(renderCustomer(ctx.state, c));
}

/** @param {Ctx} ctx */
function deleteCustomer(ctx) {
	noListOptions(ctx);
	const c = getForWrite(ctx.state.customers, ctx.params.customerId, 'Customer');
	const inUse =
		[...ctx.state.customerinvoicedrafts.values()].some((d) => d.CustomerId === c.Id) ||
		[...ctx.state.customerinvoices.values()].some((i) => i.CustomerId === c.Id);
	if (inUse) {
		throw new ApiError(
			400,
			CODES.CanNotBeDeleted,
			`Customer '${c.CustomerNumber}' has invoices or invoice drafts and cannot be deleted. Set IsActive to false instead.`,
		);
	}
	ctx.state.customers.delete(c.Id);
	return ok(undefined);
}

module.exports = {
	createCustomer,
	deleteCustomer,
	getCustomer,
	listCustomers,
	renderCustomer,
	unpaidByCustomer,
	updateCustomer,
};

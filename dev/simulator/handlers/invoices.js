// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody, parseIsoDate } = require('../validate');
const {
	CODES,
	badRequest,
	fieldError,
	fieldProblem,
	queryError,
	unknownId,
	throwIfErrors,
} = require('../errors');
const { round, sum } = require('../money');
const { makePdf } = require('../pdf');
const {
	dateOnly,
	getForWrite,
	getOr404,
	list,
	noListOptions,
	nowIso,
	ok,
	param,
	requireBody,
	today,
} = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

const PDF_LINK_TTL_MS = 60 * 60 * 1000;

/**
 * PaymentStatus is derived: 0 Paid, 1 Unpaid, 2 Overdue (unpaid and due before today).
 * @param {Json} inv
 * @param {string} todayDate
 */
function paymentStatus(inv, todayDate) {
	if (inv.RemainingAmountInvoiceCurrency <= 0) return 0;
	return dateOnly(inv.DueDate) < todayDate ? 2 : 1;
}

/**
 * @param {State} _state
 * @param {Json} inv
 * @param {string} todayDate
 */
function renderInvoice(_state, inv, todayDate) {
	return render('CustomerInvoiceApi', { ...inv, PaymentStatus: paymentStatus(inv, todayDate) });
}

/** @param {Ctx} ctx */
function listInvoices(ctx) {
	const t = today(ctx);
	let rows = [...ctx.state.customerinvoices.values()];
	const since = param(ctx.query, 'modifiedSinceUtc');
	if (since !== null) {
		const p = parseIsoDate(since);
		if (!p)
			throw queryError(
				`Invalid modifiedSinceUtc '${since}': expected an ISO 8601 date-time such as 2024-05-01T00:00:00Z.`,
			);
		rows = rows.filter((inv) => (parseIsoDate(inv.ModifiedUtc)?.ms ?? 0) >= p.ms);
		// Stable across pages but unrelated to ModifiedUtc: Visma documents no order, so clients must not rely on one.
		rows.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
	}
	return list(
		ctx,
		'CustomerInvoiceApi',
		rows.map((inv) => renderInvoice(ctx.state, inv, t)),
	);
}

/** @param {Ctx} ctx */
function getInvoice(ctx) {
	noListOptions(ctx);
	return ok(
		renderInvoice(
			ctx.state,
			getOr404(ctx.state.customerinvoices, ctx.params.invoiceId, 'Customer invoice'),
			today(ctx),
		),
	);
}

/**
 * @param {State} state
 * @param {Json} inv
 */
function invoicePdf(state, inv) {
	const lines = [
		`${state.company.Name}`,
		`Faktura ${inv.InvoiceNumber}`,
		`Kund: ${inv.CustomerNumber} ${inv.CustomerName}`,
		`Fakturadatum: ${dateOnly(inv.InvoiceDate)}  Forfallodatum: ${dateOnly(inv.DueDate)}`,
		'',
		...inv.Rows.map((/** @type {Json} */ r) =>
			r.IsTextRow
				? r.Text
				: `${r.ArticleNumber} ${r.Text}  ${r.Quantity} x ${r.UnitPrice} = ${r.Amount}`,
		),
		'',
		`Moms: ${inv.TotalVatAmountInvoiceCurrency} ${inv.CurrencyCode}`,
		`Att betala: ${inv.TotalAmountInvoiceCurrency} ${inv.CurrencyCode}`,
	];
	return makePdf(lines);
}

/** @param {Ctx} ctx */
function printInvoice(ctx) {
	noListOptions(ctx);
	const inv = getOr404(ctx.state.customerinvoices, ctx.params.invoiceId, 'Customer invoice');
	return { status: 200, body: invoicePdf(ctx.state, inv), contentType: 'application/pdf' };
}

/**
 * Temporary anonymous link, like eaccountingstorage{cc}.vismaonline.com/temp/fileanonymous/{guid}.
 * @param {Ctx} ctx
 */
function pdfLink(ctx) {
	noListOptions(ctx);
	const inv = getOr404(ctx.state.customerinvoices, ctx.params.invoiceId, 'Customer invoice');
	const id = newId();
	ctx.state.files.set(id, { invoiceId: inv.Id, expiresAt: ctx.clock.nowMs() + PDF_LINK_TTL_MS });
	return ok({ Url: `${ctx.baseUrl}/storage/temp/fileanonymous/${id}` });
}

/** @param {Ctx} ctx */
function createPayment(ctx) {
	noListOptions(ctx);
	const { state } = ctx;
	const inv = getForWrite(state.customerinvoices, ctx.params.invoiceId, 'Customer invoice');
	const { value: v, errors } = validateBody('InvoicePaymentApi', requireBody(ctx));
	throwIfErrors(errors);
	if (!state.bankaccounts.has(v.CompanyBankAccountId))
		throw unknownId('CompanyBankAccountId', 'Bank account', v.CompanyBankAccountId);
	/** @type {import('../errors').FieldError[]} */
	const rules = [];
	if (v.PaymentCurrency !== inv.CurrencyCode)
		rules.push(
			fieldError(
				'PaymentCurrency',
				`PaymentCurrency must be the invoice currency ${inv.CurrencyCode}.`,
				'InvalidValue',
			),
		);
	if (v.PaymentAmount <= 0)
		rules.push(fieldError('PaymentAmount', 'PaymentAmount must be greater than 0.', 'Range'));
	if (v.PaymentAmount > inv.RemainingAmountInvoiceCurrency) {
		rules.push(
			fieldError(
				'PaymentAmount',
				`PaymentAmount ${v.PaymentAmount} exceeds the remaining amount ${inv.RemainingAmountInvoiceCurrency}.`,
				'Range',
			),
		);
	}
	throwIfErrors(rules);
	if (inv.RemainingAmountInvoiceCurrency <= 0)
		throw badRequest(`Invoice ${inv.InvoiceNumber} is already paid.`);
	const t = today(ctx);
	const paymentDate = v.PaymentDate
		? dateOnly(/** @type {{date: string}} */ (parseIsoDate(v.PaymentDate)).date)
		: t;
	if (paymentDate > t)
		throw fieldProblem(
			'PaymentDate',
			`Payment date ${paymentDate} is in the future.`,
			'FutureDate',
			CODES.FutureDateCannotBeSet,
		);

	const remaining =
		v.PaymentType === 2
			? 0
			: Math.max(0, sum([inv.RemainingAmountInvoiceCurrency, -v.PaymentAmount]));
	inv.RemainingAmountInvoiceCurrency = remaining;
	inv.RemainingAmount = round(remaining * (inv.CurrencyRate ?? 1), 2);
	inv.PaymentDate = `${paymentDate}T00:00:00`;
	inv.ModifiedUtc = nowIso(ctx);
	const payment = { ...v, PaymentDate: `${paymentDate}T00:00:00`, BankTransactionId: newId() };
	inv._payments.push(payment);
	return ok(render('InvoicePaymentApi', payment), 201);
}

const EMAIL = /^[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+$/;
/** Customers keep at most 5 CC addresses; the simulator allows no more per email. */
const MAX_CC = 5;

/**
 * POST /customerinvoices/{invoiceId}/email: every field defaults to Visma's (the customer's
 * addresses, the company's subject and text). Sending leaves no trace on the invoice: Visma
 * documents no "sent" field, so the simulator keeps what was sent in its outbox only.
 * @param {Ctx} ctx
 */
function emailInvoice(ctx) {
	noListOptions(ctx);
	const { state } = ctx;
	const inv = getForWrite(state.customerinvoices, ctx.params.invoiceId, 'Customer invoice');
	const { value: v, errors } = validateBody('EmailApi', ctx.body ?? {});
	throwIfErrors(errors);
	const customer = state.customers.get(inv.CustomerId) ?? {};
	const to = v.Email ?? customer.EmailAddress ?? null;
	/** @type {string[]} */
	const cc =
		v.CcRecipients === null
			? []
			: v.CcRecipients && v.CcRecipients.length > 0
				? v.CcRecipients
				: (customer.EmailAddresses ?? []);
	/** @type {import('../errors').FieldError[]} */
	const rules = [];
	if (!to)
		rules.push(
			fieldError('Email', 'The customer has no email address; give one in Email.', 'Required'),
		);
	else if (!EMAIL.test(to))
		rules.push(fieldError('Email', `'${to}' is not a valid email address.`, 'InvalidFormat'));
	cc.forEach((address, i) => {
		if (!EMAIL.test(address))
			rules.push(
				fieldError(
					`CcRecipients[${i}]`,
					`'${address}' is not a valid email address.`,
					'InvalidFormat',
				),
			);
	});
	if (cc.length > MAX_CC)
		rules.push(
			fieldError('CcRecipients', `At most ${MAX_CC} CC recipients are allowed.`, 'MaxItems'),
		);
	throwIfErrors(rules);
	const number = String(inv.InvoiceNumber);
	const subject = (v.Subject ?? `Faktura #### från ${state.company.Name}`).replace(/####/g, number);
	const domestic = inv.CurrencyCode === state.company.CurrencyCode;
	const texts = state.company.CompanyText ?? {};
	state.outbox.push({
		InvoiceId: inv.Id,
		InvoiceNumber: inv.InvoiceNumber,
		Via: 'email',
		Email: to,
		CcRecipients: cc,
		Subject: subject,
		Message:
			v.Message ??
			(domestic ? texts.InvoiceEmailDomestic : texts.InvoiceEmailForeign) ??
			'Hej! Här kommer fakturan.',
		SentUtc: nowIso(ctx),
	});
	return ok(undefined);
}

/**
 * POST /customerinvoices/{invoiceId}/einvoice through AutoInvoice (1 electronic, 2 print,
 * 3 B2C, 4 Kivra). Visma documents no default SendType, so the simulator requires one.
 * @param {Ctx} ctx
 */
function eInvoice(ctx) {
	noListOptions(ctx);
	const { state } = ctx;
	const inv = getForWrite(state.customerinvoices, ctx.params.invoiceId, 'Customer invoice');
	const { value: v, errors } = validateBody('ElectronicInvoiceRequestApi', ctx.body ?? {});
	throwIfErrors(errors);
	const customer = state.customers.get(inv.CustomerId) ?? {};
	const type = v.SendType;
	if (type === undefined || type === null)
		throw fieldProblem('SendType', 'SendType is required (1, 2, 3 or 4).', 'Required');
	if (![1, 2, 3, 4].includes(type))
		throw fieldProblem(
			'SendType',
			`SendType ${type} is not valid; use 1, 2, 3 or 4.`,
			'InvalidValue',
		);
	if (type === 1 && !customer.ElectronicAddress && !customer.EdiGlnNumber)
		throw badRequest(
			`Customer ${customer.CustomerNumber} has no electronic address for AutoInvoice.`,
			CODES.AutoInvoiceMissingElectronicAddress,
		);
	const country = customer.InvoiceCountryCode ?? state.company.CountryCode;
	if (type === 3 && country === 'SE')
		throw fieldProblem(
			'SendType',
			'AutoInvoice B2C is not available for Swedish customers.',
			'InvalidValue',
		);
	if (type === 4 && !customer.IsPrivatePerson)
		throw fieldProblem('SendType', 'Kivra is only for private persons.', 'InvalidValue');
	state.outbox.push({
		InvoiceId: inv.Id,
		InvoiceNumber: inv.InvoiceNumber,
		Via: 'einvoice',
		SendType: type,
		SentUtc: nowIso(ctx),
	});
	return ok(undefined);
}

module.exports = {
	createPayment,
	eInvoice,
	emailInvoice,
	getInvoice,
	invoicePdf,
	listInvoices,
	paymentStatus,
	pdfLink,
	printInvoice,
	renderInvoice,
};

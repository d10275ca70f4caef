// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody, parseIsoDate } = require('../validate');
const {
	ApiError,
	CODES,
	fieldError,
	fieldProblem,
	unknownId,
	throwIfErrors,
} = require('../errors');
const { countDecimals, percentOf, round, rowAmount, sum } = require('../money');
const { CURRENCY_RATES } = require('../state');
const { renderInvoice } = require('./invoices');
const { dropAttachments, moveAttachments } = require('./attachments');
const { checkTrades, projectProblems, reductionAmounts, throwCoded } = require('./houseWork');
const {
	addDays,
	boolParam,
	businessDate,
	dateOnly,
	getForWrite,
	getOr404,
	list,
	noListOptions,
	nowIso,
	ok,
	requireBody,
	today,
} = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {import('../errors').FieldError} FieldError */
/** @typedef {Record<string, any>} Json */

const MAX_ROWS = 1000;
const DRAFT_COMPUTED = ['ContributionMargin'];
// Writable in the row model but always derived from the article.
const ROW_COMPUTED = [
	'ArticleNumber',
	'UnitName',
	'UnitAbbreviation',
	'UnitAbbreviationEnglish',
	'ContributionMargin',
];

/**
 * The draft's customer decides currency and price decimals.
 * @param {State} state
 * @param {Json} customer
 */
function customerCurrency(state, customer) {
	return customer.CurrencyCode || state.company.CurrencyCode;
}

/**
 * Due date from terms of payment: N days, or end of month + N days for "current month" terms.
 * @param {Json} term
 * @param {string} invoiceDate YYYY-MM-DD
 */
function dueDateFor(term, invoiceDate) {
	if (term.TermsOfPaymentTypeId === 1) {
		const d = new Date(`${invoiceDate}T00:00:00Z`);
		const endOfMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))
			.toISOString()
			.slice(0, 10);
		return addDays(endOfMonth, term.NumberOfDays);
	}
	return addDays(invoiceDate, term.NumberOfDays);
}

/**
 * The price ReplaceUnitPriceWhenZero gives a row: the article's net price, converted for foreign-currency customers.
 * @param {Json} article
 * @param {string} currency
 */
function articlePrice(article, currency) {
	const rate = CURRENCY_RATES[currency] ?? 1;
	return rate === 1 ? article.NetPrice : round(article.NetPrice / rate, 4);
}

/**
 * Validates a full draft body and computes everything the API returns.
 * @param {Ctx} ctx
 * @param {Json | null} existing
 * @returns {Json} stored draft (without Id/CreatedUtc)
 */
function buildDraft(ctx, existing) {
	const { state } = ctx;
	const { value: v, errors } = validateBody('CustomerInvoiceDraftApi', requireBody(ctx), {
		computed: DRAFT_COMPUTED,
		nestedComputed: { CustomerInvoiceDraftRowApi: ROW_COMPUTED },
	});
	throwIfErrors(errors);

	const customer = state.customers.get(v.CustomerId);
	if (!customer) throw unknownId('CustomerId', 'Customer', v.CustomerId);
	const currency = customerCurrency(state, customer);
	const domestic = currency === state.company.CurrencyCode;
	/** @type {Json[]} */
	const rows = v.Rows ?? [];

	/** @type {FieldError[]} */
	const rules = [];
	if (v.RotReducedInvoicingType !== 0) {
		if (!state.company.UsesRotReducedInvoicing)
			rules.push(
				fieldError(
					'RotReducedInvoicingType',
					'The company does not use ROT/RUT reduced invoicing.',
					'InvalidValue',
				),
			);
		if (!Array.isArray(v.Persons) || v.Persons.length === 0) {
			rules.push(
				fieldError(
					'Persons',
					'Persons are required for ROT/RUT invoices (RotReducedInvoicingType 1 or 2).',
					'Required',
				),
			);
		}
	}
	if (v.ElectronicReference && customer.IsPrivatePerson) {
		rules.push(
			fieldError(
				'ElectronicReference',
				'ElectronicReference can only be set for customers that are not private persons.',
				'InvalidValue',
			),
		);
	}
	const invoiceDate = v.InvoiceDate ? parseIsoDate(v.InvoiceDate) : null;
	const dueDate = v.DueDate ? parseIsoDate(v.DueDate) : null;
	if (invoiceDate && dueDate && dueDate.date < invoiceDate.date) {
		rules.push(
			fieldError(
				'DueDate',
				`DueDate ${dueDate.date} is before InvoiceDate ${invoiceDate.date}.`,
				'InvalidValue',
			),
		);
	}
	if (rows.length > MAX_ROWS)
		rules.push(
			fieldError(
				'Rows',
				`A draft can have at most ${MAX_ROWS} rows (got ${rows.length}).`,
				'MaxItems',
			),
		);
	rows.forEach((r, i) => {
		const p = `Rows[${i}]`;
		if (r.IsTextRow) {
			if (!r.Text || r.Text.trim() === '')
				rules.push(fieldError(`${p}.Text`, 'Text rows need a non-empty Text.', 'Required'));
			if (r.ArticleId)
				rules.push(
					fieldError(`${p}.ArticleId`, 'Text rows cannot have an ArticleId.', 'InvalidValue'),
				);
			if (r.UnitPrice)
				rules.push(
					fieldError(`${p}.UnitPrice`, 'Text rows cannot have a UnitPrice.', 'InvalidValue'),
				);
			if (r.Quantity)
				rules.push(
					fieldError(`${p}.Quantity`, 'Text rows cannot have a Quantity.', 'InvalidValue'),
				);
			return;
		}
		if (!r.ArticleId)
			rules.push(
				fieldError(`${p}.ArticleId`, 'ArticleId is required when IsTextRow is false.', 'Required'),
			);
		if (r.Quantity === undefined)
			rules.push(
				fieldError(`${p}.Quantity`, 'Quantity is required when IsTextRow is false.', 'Required'),
			);
		const maxDecimals = domestic ? 2 : 4;
		if (r.UnitPrice !== undefined && countDecimals(r.UnitPrice) > maxDecimals) {
			rules.push(
				fieldError(
					`${p}.UnitPrice`,
					`UnitPrice can have at most ${maxDecimals} decimals for a customer invoiced in ${currency} (got ${r.UnitPrice}).`,
					'Decimals',
				),
			);
		}
		if (r.ReversedConstructionServicesVatFree && !customer.ReverseChargeOnConstructionServices) {
			rules.push(
				fieldError(
					`${p}.ReversedConstructionServicesVatFree`,
					'ReversedConstructionServicesVatFree requires a customer with ReverseChargeOnConstructionServices.',
					'InvalidValue',
				),
			);
		}
	});
	if (!rows.some((r) => !r.IsTextRow))
		rules.push(
			fieldError(
				'Rows',
				'A customer invoice draft must contain at least one row with an article.',
				'Required',
			),
		);
	throwIfErrors(rules);

	const termId = v.TermsOfPaymentId ?? customer.TermsOfPaymentId;
	const term = state.termsofpayments.get(termId);
	if (!term) throw unknownId('TermsOfPaymentId', 'TermsOfPayment', termId);
	if (!term.AvailableForSales)
		throw fieldProblem(
			'TermsOfPaymentId',
			`Terms of payment '${term.Name}' is not available for sales.`,
			'InvalidValue',
		);
	/** @type {FieldError[]} */
	const missing = [];
	rows.forEach((r, i) => {
		if (r.ArticleId && !state.articles.has(r.ArticleId))
			missing.push(
				fieldError(
					`Rows[${i}].ArticleId`,
					`Article with id '${r.ArticleId}' was not found.`,
					'NotFound',
					CODES.ResourceNotFound,
				),
			);
		for (const f of ['CostCenterItemId1', 'CostCenterItemId2', 'CostCenterItemId3']) {
			if (r[f])
				missing.push(
					fieldError(
						`Rows[${i}].${f}`,
						`${f} '${r[f]}' was not found.`,
						'NotFound',
						CODES.ResourceNotFound,
					),
				);
		}
	});
	if (v.BackgroundId)
		missing.push(
			fieldError(
				'BackgroundId',
				`Background '${v.BackgroundId}' was not found.`,
				'NotFound',
				CODES.ResourceNotFound,
			),
		);
	const projects = projectProblems(state, rows);
	missing.push(...projects.missing);
	throwIfErrors(missing, CODES.ResourceNotFound);
	/** @type {FieldError[]} */
	const inactive = [];
	rows.forEach((r, i) => {
		const a = r.ArticleId ? state.articles.get(r.ArticleId) : null;
		if (a && !a.IsActive)
			inactive.push(
				fieldError(`Rows[${i}].ArticleId`, `Article '${a.Number}' is inactive.`, 'InvalidValue'),
			);
	});
	throwIfErrors(inactive);
	const todayDate = today(ctx);
	checkTrades(state, v, customer, rows, todayDate);
	throwCoded(projects.ended, CODES.ProjectEnded);

	const includesVat =
		Boolean(state.company.ShowPricesExclVatPC) && Boolean(customer.IsPrivatePerson);
	const computedRows = rows.map((r, i) =>
		computeRow(state, r, i, currency, includesVat, Boolean(v.ReplaceUnitPriceWhenZero)),
	);
	const totals = computeTotals(state, computedRows, currency);
	const reduction = reductionAmounts(
		state,
		v,
		computedRows,
		includesVat,
		invoiceDate ? invoiceDate.date : todayDate,
	);
	/** @type {Json} */
	const draft = {
		...v,
		Rows: computedRows,
		Persons: reduction.persons.map((/** @type {Json} */ p) => ({ ...p, Id: newId() })),
		RotReducedInvoicingAmount: reduction.amount,
		MaxAllowedTaxReductionAmount: reduction.max,
		InvoiceDate: businessDate(v.InvoiceDate),
		DueDate: businessDate(v.DueDate),
		DeliveryDate: businessDate(v.DeliveryDate),
		TermsOfPaymentId: term.Id,
		CustomerNumber: customer.CustomerNumber,
		CustomerName: customer.Name,
		InvoiceCustomerName: customer.Name.slice(0, 50),
		InvoiceAddress1: v.InvoiceAddress1 ?? customer.InvoiceAddress1 ?? null,
		InvoiceAddress2: v.InvoiceAddress2 ?? customer.InvoiceAddress2 ?? null,
		InvoicePostalCode: customer.InvoicePostalCode,
		InvoiceCity: customer.InvoiceCity,
		InvoiceCountryCode: customer.InvoiceCountryCode ?? null,
		InvoiceCurrencyCode: currency,
		DeliveryCustomerName:
			v.DeliveryCustomerName ??
			(customer.DeliveryCustomerName ? customer.DeliveryCustomerName.slice(0, 50) : null),
		DeliveryAddress1: v.DeliveryAddress1 ?? customer.DeliveryAddress1 ?? null,
		DeliveryAddress2: v.DeliveryAddress2 ?? customer.DeliveryAddress2 ?? null,
		DeliveryPostalCode: v.DeliveryPostalCode ?? customer.DeliveryPostalCode ?? null,
		DeliveryCity: v.DeliveryCity ?? customer.DeliveryCity ?? null,
		DeliveryCountryCode: v.DeliveryCountryCode ?? customer.DeliveryCountryCode ?? null,
		CustomerIsPrivatePerson: Boolean(customer.IsPrivatePerson),
		ReverseChargeOnConstructionServices: Boolean(customer.ReverseChargeOnConstructionServices),
		IncludesVat: includesVat,
		TotalAmount: totals.total,
		TotalVatAmount: totals.vat,
		TotalRoundings: totals.roundings,
		TotalAmountBaseCurrency: totals.totalBase,
		TotalVatAmountBaseCurrency: totals.vatBase,
		_currencyRate: totals.rate,
		_vatSpecification: totals.vatSpecification,
		_netAmount: totals.net,
	};
	if (existing) draft.CreatedUtc = existing.CreatedUtc;
	return draft;
}

/**
 * @param {State} state
 * @param {Json} r validated row
 * @param {number} index
 * @param {string} currency
 * @param {boolean} includesVat
 * @param {boolean} replaceZero
 */
function computeRow(state, r, index, currency, includesVat, replaceZero) {
	const base = { ...r, Id: newId(), LineNumber: r.LineNumber ?? index };
	if (r.IsTextRow) {
		return {
			...base,
			ArticleId: null,
			UnitPrice: 0,
			Quantity: 0,
			DiscountPercentage: 0,
			Amount: 0,
			VatRate: null,
			IsServiceArticle: false,
		};
	}
	const article = /** @type {Json} */ (state.articles.get(r.ArticleId));
	const coding = state.articleaccountcodings.get(article.CodingId) ?? {};
	const unit = state.units.get(article.UnitId) ?? {};
	// Visma does not document a fallback for an omitted UnitPrice: it is 0 unless the draft asks for the article's price.
	let unitPrice = r.UnitPrice ?? 0;
	if (replaceZero && unitPrice === 0) unitPrice = articlePrice(article, currency);
	const discount = r.DiscountPercentage ?? 0;
	const vatRate = r.ReversedConstructionServicesVatFree ? 0 : (coding.VatRatePercent ?? 0);
	const amount = rowAmount(r.Quantity, unitPrice, discount);
	// With VAT-inclusive prices the row amount already holds the VAT.
	const vat = includesVat ? round(amount - amount / (1 + vatRate), 2) : percentOf(amount, vatRate);
	return {
		...base,
		Text: r.Text ?? article.Name,
		UnitPrice: unitPrice,
		DiscountPercentage: discount,
		ArticleNumber: article.Number,
		IsServiceArticle: coding.Type === 'Service',
		UnitId: unit.Id ?? null,
		UnitName: unit.Name ?? null,
		UnitAbbreviation: unit.Abbreviation ?? null,
		UnitAbbreviationEnglish: unit.AbbreviationEnglish ?? null,
		VatRateId: coding.VatRate ?? null,
		VatRate: vatRate,
		PurchasePrice: article.PurchasePrice ?? 0,
		FreightCosts: article.FreightCosts ?? 0,
		Amount: amount,
		_vat: vat,
		_net: includesVat ? round(amount - vat, 2) : amount,
	};
}

/**
 * Totals incl. VAT; SEK totals are rounded to whole kronor when the company uses currency rounding.
 * @param {State} state
 * @param {Json[]} rows
 * @param {string} currency
 */
function computeTotals(state, rows, currency) {
	const articleRows = rows.filter((r) => !r.IsTextRow);
	const net = sum(articleRows.map((r) => r._net));
	const vat = sum(articleRows.map((r) => r._vat));
	const gross = sum([net, vat]);
	const roundWhole =
		currency === state.company.CurrencyCode && state.company.DomesticCurrencyRounding === 1;
	const total = roundWhole ? round(gross, 0) : gross;
	const rate = CURRENCY_RATES[currency] ?? 1;
	/** @type {Map<number, { AmountInvoiceCurrency: number, VatAmountInvoiceCurrency: number, VatPercent: number }>} */
	const spec = new Map();
	for (const r of articleRows) {
		const s = spec.get(r.VatRate) ?? {
			AmountInvoiceCurrency: 0,
			VatAmountInvoiceCurrency: 0,
			VatPercent: r.VatRate,
		};
		s.AmountInvoiceCurrency = sum([s.AmountInvoiceCurrency, r._net]);
		s.VatAmountInvoiceCurrency = sum([s.VatAmountInvoiceCurrency, r._vat]);
		spec.set(r.VatRate, s);
	}
	return {
		net,
		vat,
		total,
		roundings: round(total - gross, 2),
		rate,
		totalBase: round(total * rate, 2),
		vatBase: round(vat * rate, 2),
		vatSpecification: [...spec.values()],
	};
}

/**
 * @param {State} state
 * @param {Json} d stored draft
 * @param {string} todayDate
 */
function renderDraft(state, d, todayDate) {
	const invoiceDate = d.InvoiceDate ?? `${todayDate}T00:00:00`;
	let dueDate = d.DueDate;
	if (!dueDate) {
		const term = state.termsofpayments.get(d.TermsOfPaymentId);
		dueDate = term ? `${dueDateFor(term, dateOnly(invoiceDate))}T00:00:00` : null;
	}
	return render('CustomerInvoiceDraftApi', { ...d, InvoiceDate: invoiceDate, DueDate: dueDate });
}

/** @param {Ctx} ctx */
function listDrafts(ctx) {
	const t = today(ctx);
	return list(
		ctx,
		'CustomerInvoiceDraftApi',
		[...ctx.state.customerinvoicedrafts.values()].map((d) => renderDraft(ctx.state, d, t)),
	);
}

/** @param {Ctx} ctx */
function getDraft(ctx) {
	noListOptions(ctx);
	return ok(
		renderDraft(
			ctx.state,
			getOr404(
				ctx.state.customerinvoicedrafts,
				ctx.params.invoiceDraftId,
				'Customer invoice draft',
			),
			today(ctx),
		),
	);
}

/** @param {Ctx} ctx */
function createDraft(ctx) {
	noListOptions(ctx);
	boolParam(ctx.query, 'overrideCustomerIsPrivatePerson', false);
	const d = { ...buildDraft(ctx, null), Id: newId(), CreatedUtc: nowIso(ctx) };
	ctx.state.customerinvoicedrafts.set(d.Id, d);
	return ok(renderDraft(ctx.state, d, today(ctx)), 201);
}

/** @param {Ctx} ctx */
function updateDraft(ctx) {
	noListOptions(ctx);
	const existing = getForWrite(
		ctx.state.customerinvoicedrafts,
		ctx.params.customerInvoiceDraftId,
		'Customer invoice draft',
	);
	// A PUT replaces the draft's fields; its attachments and notes stay.
	const d = {
		...buildDraft(ctx, existing),
		Id: existing.Id,
		SalesDocumentAttachments: existing.SalesDocumentAttachments ?? [],
		Notes: existing.Notes ?? [],
	};
	ctx.state.customerinvoicedrafts.set(d.Id, d);
	return ok(renderDraft(ctx.state, d, today(ctx)));
}

/** @param {Ctx} ctx */
function deleteDraft(ctx) {
	noListOptions(ctx);
	const d = getForWrite(
		ctx.state.customerinvoicedrafts,
		ctx.params.customerInvoiceDraftId,
		'Customer invoice draft',
	);
	ctx.state.customerinvoicedrafts.delete(d.Id);
	dropAttachments(ctx.state, d);
	return ok(undefined);
}

/**
 * Optional convert body: expected totals that must match the draft.
 * @param {Ctx} ctx
 * @param {Json} d
 */
function checkConvertValidation(ctx, d) {
	if (ctx.body === undefined) return;
	const { value: v, errors } = validateBody('CustomerInvoiceDraftValidationApi', ctx.body);
	throwIfErrors(errors);
	/** @type {FieldError[]} */
	const diffs = [];
	/**
	 * @param {string} field
	 * @param {number | null | undefined} expected
	 * @param {number} actual
	 */
	const cmp = (field, expected, actual) => {
		if (expected !== undefined && expected !== null && round(expected, 2) !== round(actual, 2)) {
			diffs.push(
				fieldError(
					field,
					`Expected ${expected} but the draft has ${actual}.`,
					'ValidationMismatch',
				),
			);
		}
	};
	cmp('TotalAmountInvoiceCurrency', v.TotalAmountInvoiceCurrency, d.TotalAmount);
	cmp('TotalVatAmountInvoiceCurrency', v.TotalVatAmountInvoiceCurrency, d.TotalVatAmount);
	cmp('TotalRoundingsInvoiceCurrency', v.TotalRoundingsInvoiceCurrency, d.TotalRoundings);
	(v.Rows ?? []).forEach((/** @type {Json} */ vr, /** @type {number} */ i) => {
		const row = d.Rows.find((/** @type {Json} */ r) => r.LineNumber === vr.LineNumber);
		if (!row) {
			diffs.push(
				fieldError(
					`Rows[${i}].LineNumber`,
					`The draft has no row with LineNumber ${vr.LineNumber}.`,
					'NotFound',
				),
			);
			return;
		}
		cmp(
			`Rows[${i}].TotalAmountNoVatInvoiceCurrency`,
			vr.TotalAmountNoVatInvoiceCurrency,
			row._net ?? 0,
		);
		cmp(
			`Rows[${i}].TotalAmountIncVatInvoiceCurrency`,
			vr.TotalAmountIncVatInvoiceCurrency,
			sum([row._net ?? 0, row._vat ?? 0]),
		);
	});
	throwIfErrors(diffs);
}

/**
 * Books a draft as an invoice (invoice number and voucher from the company series).
 * @param {Ctx} ctx
 */
function convertDraft(ctx) {
	noListOptions(ctx);
	const { state } = ctx;
	const d = getForWrite(
		state.customerinvoicedrafts,
		ctx.params.customerInvoiceDraftId,
		'Customer invoice draft',
	);
	const keepParam = boolParam(ctx.query, 'keepOriginalDraftDate', false);
	const override = boolParam(ctx.query, 'overrideCompanyKeepOriginalDraftDate', false);
	checkConvertValidation(ctx, d);
	const customer = state.customers.get(d.CustomerId);
	if (!customer) throw unknownId('CustomerId', 'Customer', d.CustomerId);
	for (const r of d.Rows) {
		if (!r.IsTextRow && !state.articles.get(r.ArticleId)?.IsActive) {
			throw new ApiError(
				400,
				CODES.ValidationError,
				`Article on row ${r.LineNumber} is missing or inactive; the draft cannot be converted.`,
			);
		}
	}

	// Invoice date rules: keep the draft date when asked (or by company setting), else today unless the draft date is in the future.
	const t = today(ctx);
	const keep = override ? keepParam : keepParam || state.company.KeepOriginalDraftDate === true;
	const draftDate = d.InvoiceDate ? dateOnly(d.InvoiceDate) : null;
	const invoiceDate = keep
		? (draftDate ?? dateOnly(d.CreatedUtc))
		: draftDate && draftDate > t
			? draftDate
			: t;
	const term = /** @type {Json} */ (state.termsofpayments.get(d.TermsOfPaymentId));
	const draftDue = d.DueDate ? dateOnly(d.DueDate) : null;
	const dueDate = draftDue && draftDue >= invoiceDate ? draftDue : dueDateFor(term, invoiceDate);

	const invoiceNumber = state.company.NextCustomerInvoiceNumber;
	state.company.NextCustomerInvoiceNumber = invoiceNumber + 1;
	const voucherNumber = `F ${state.voucherSeq++}`;
	const now = nowIso(ctx);
	const rate = d._currencyRate;
	const inv = {
		Id: newId(),
		EuThirdParty: d.EuThirdParty,
		IsCreditInvoice: Boolean(d.IsCreditInvoice),
		CurrencyCode: d.InvoiceCurrencyCode,
		CurrencyRate: rate,
		TotalAmount: d.TotalAmountBaseCurrency,
		TotalVatAmount: d.TotalVatAmountBaseCurrency,
		TotalRoundings: round(d.TotalRoundings * rate, 2),
		TotalAmountInvoiceCurrency: d.TotalAmount,
		TotalVatAmountInvoiceCurrency: d.TotalVatAmount,
		SetOffAmountInvoiceCurrency: 0,
		CustomerId: d.CustomerId,
		Rows: d.Rows.map((/** @type {Json} */ r) => ({
			Id: newId(),
			ArticleNumber: r.ArticleNumber ?? null,
			ArticleId: r.ArticleId ?? null,
			IsServiceArticle: Boolean(r.IsServiceArticle),
			AmountNoVat: r._net ?? 0,
			PercentVat: r.VatRate ?? 0,
			VatRate: r.VatRate ?? null,
			LineNumber: r.LineNumber,
			IsTextRow: r.IsTextRow,
			Text: r.Text ?? null,
			UnitPrice: r.UnitPrice,
			UnitAbbreviation: r.UnitAbbreviation ?? null,
			UnitAbbreviationEnglish: r.UnitAbbreviationEnglish ?? null,
			DiscountPercentage: r.DiscountPercentage ?? 0,
			Quantity: r.Quantity,
			IsWorkCost: Boolean(r.IsWorkCost),
			IsVatFree: Boolean(r.ReversedConstructionServicesVatFree),
			CostCenterItemId1: null,
			CostCenterItemId2: null,
			CostCenterItemId3: null,
			UnitId: r.UnitId ?? null,
			ProjectId: r.ProjectId ?? null,
			WorkCostType: r.WorkCostType ?? 0,
			WorkHours: r.WorkHours ?? null,
			MaterialCosts: r.MaterialCosts ?? null,
			GreenTechnologyType: r.GreenTechnologyType ?? 0,
			PurchasePrice: r.PurchasePrice ?? 0,
			FreightCosts: r.FreightCosts ?? 0,
			Amount: r.Amount,
		})),
		VatSpecification: d._vatSpecification,
		InvoiceDate: `${invoiceDate}T00:00:00`,
		DueDate: `${dueDate}T00:00:00`,
		DeliveryDate: d.DeliveryDate ?? null,
		RotReducedInvoicingType: d.RotReducedInvoicingType,
		MaxAllowedTaxReductionAmount: d.MaxAllowedTaxReductionAmount ?? 0,
		RotReducedInvoicingAmount: d.RotReducedInvoicingAmount ?? null,
		RotReducedInvoicingPropertyName: d.RotReducedInvoicingPropertyName ?? null,
		RotReducedInvoicingOrgNumber: d.RotReducedInvoicingOrgNumber ?? null,
		RotPropertyType: d.RotPropertyType ?? null,
		RotReducedInvoicingAutomaticDistribution: Boolean(d.RotReducedInvoicingAutomaticDistribution),
		Persons: d.Persons ?? [],
		ElectronicReference: d.ElectronicReference ?? null,
		SubscriptionNumber: d.SubscriptionNumber ?? null,
		ContractNumber: d.ContractNumber ?? null,
		OurReference: d.OurReference ?? null,
		YourReference: d.YourReference ?? null,
		BuyersOrderReference: d.BuyersOrderReference ?? null,
		InvoiceCustomerName: d.InvoiceCustomerName,
		InvoiceAddress1: d.InvoiceAddress1,
		InvoiceAddress2: d.InvoiceAddress2,
		InvoicePostalCode: d.InvoicePostalCode,
		InvoiceCity: d.InvoiceCity,
		InvoiceCountryCode: d.InvoiceCountryCode,
		DeliveryCustomerName: d.DeliveryCustomerName,
		DeliveryAddress1: d.DeliveryAddress1,
		DeliveryAddress2: d.DeliveryAddress2,
		DeliveryPostalCode: d.DeliveryPostalCode,
		DeliveryCity: d.DeliveryCity,
		DeliveryCountryCode: d.DeliveryCountryCode,
		DeliveryMethodName: d.DeliveryMethodName ?? null,
		DeliveryTermName: d.DeliveryTermName ?? null,
		DeliveryMethodCode: d.DeliveryMethodCode ?? null,
		DeliveryTermCode: d.DeliveryTermCode ?? null,
		CustomerIsPrivatePerson: d.CustomerIsPrivatePerson,
		TermsOfPaymentId: d.TermsOfPaymentId,
		CustomerEmail: customer.EmailAddress ?? null,
		InvoiceNumber: invoiceNumber,
		CustomerNumber: customer.CustomerNumber,
		CustomerName: customer.Name,
		ReverseChargeOnConstructionServices: d.Rows.some(
			(/** @type {Json} */ r) => r.ReversedConstructionServicesVatFree,
		),
		ReversedConstructionVatInvoicing: d.Rows.some(
			(/** @type {Json} */ r) => r.ReversedConstructionServicesVatFree,
		),
		RemainingAmount: d.TotalAmountBaseCurrency,
		RemainingAmountInvoiceCurrency: d.TotalAmount,
		CreatedFromDraftId: d.Id,
		VoucherNumber: voucherNumber,
		VoucherId: newId(),
		CreatedUtc: now,
		ModifiedUtc: now,
		IncludesVat: d.IncludesVat,
		SendType: null,
		PaymentDate: null,
		UsesGreenTechnology: Boolean(d.UsesGreenTechnology),
		IsDirectDebit: d.IsDirectDebit ?? null,
		ReplaceUnitPriceWhenZero: Boolean(d.ReplaceUnitPriceWhenZero),
		BackgroundId: null,
		CreditedBy: [],
		Notes: d.Notes ?? [],
		_payments: [],
	};
	moveAttachments(state, d, inv);
	for (const id of inv.Notes) {
		const note = state.notes.get(id);
		if (note) Object.assign(note, { AttachedTo: inv.Id, DocumentType: 1 });
	}
	state.customerinvoicedrafts.delete(d.Id);
	state.customerinvoices.set(inv.Id, inv);
	customer.LastInvoiceDate = inv.InvoiceDate;
	return ok(renderInvoice(state, inv, t), 201);
}

module.exports = {
	articlePrice,
	convertDraft,
	createDraft,
	deleteDraft,
	dueDateFor,
	getDraft,
	listDrafts,
	renderDraft,
	updateDraft,
};

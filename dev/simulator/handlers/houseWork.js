// @ts-check
'use strict';

const { ApiError, CODES, fieldError, throwIfErrors } = require('../errors');
const { percentOf, round, sum } = require('../money');
const { ageOn, birthDateOf, isOrganisationNumber } = require('../ssn');

/**
 * The draft rules of Swedish tax reductions (ROT, RUT, green technology), reverse-charge
 * construction VAT and projects. Visma documents the fields and a few rules (Persons required,
 * property name with a property type, work hours of at least 1 on work rows, the company
 * settings that turn each feature on, ErrorCodes 4027 ReversedVatZero, 4029
 * SsnNumberIsInvalid and 5005 ProjectEnded); where it is silent the simulator takes the
 * stricter reading, and says so in its README.
 */

/** @typedef {import('../state').State} State */
/** @typedef {import('../errors').FieldError} FieldError */
/** @typedef {Record<string, any>} Json */

/** WorkCostType values: ROT types and RUT types. */
const ROT_WORK = new Set([1, 2, 3, 4, 5, 6, 7, 20, 21, 23, 24, 25]);
const RUT_WORK = new Set([9, 10, 12, 13, 14, 15, 18, 19, 22, 26, 27, 28, 29]);

const isWorkRow = (/** @type {Json} */ r) => r.IsWorkCost === true || (r.WorkCostType ?? 0) !== 0;

/**
 * Rules on the draft as sent, before anything is computed. Throws the first group that fails.
 * @param {State} state
 * @param {Json} v validated draft
 * @param {Json} customer
 * @param {Json[]} rows
 * @param {string} todayDate YYYY-MM-DD
 */
function checkTrades(state, v, customer, rows, todayDate) {
	const company = state.company;
	const type = v.RotReducedInvoicingType;
	const green = v.UsesGreenTechnology === true;
	const reduction = type !== 0 || green;
	/** @type {FieldError[]} */
	const rules = [];
	const fail = (/** @type {string} */ field, /** @type {string} */ message, key = 'InvalidValue') =>
		rules.push(fieldError(field, message, key));

	if (green) {
		if (!company.UsesGreenTechnology)
			fail('UsesGreenTechnology', 'The company does not use green technology.');
		if (type !== 0)
			fail(
				'UsesGreenTechnology',
				'A green technology draft must have RotReducedInvoicingType 0 (normal).',
			);
		if (!rows.some((r) => !r.IsTextRow && (r.GreenTechnologyType ?? 0) !== 0))
			fail(
				'Rows',
				'A green technology draft must contain at least one row with a GreenTechnologyType.',
				'Required',
			);
	}
	if (reduction) {
		if (!customer.IsPrivatePerson)
			fail(
				'CustomerId',
				'ROT, RUT and green technology deductions require a customer that is a private person.',
			);
		const property = v.RotPropertyType ?? null;
		if (type === 2 && property !== null)
			fail('RotPropertyType', 'RotPropertyType is not used on RUT invoices.');
		if ((type === 1 || green) && property === null)
			fail(
				'RotPropertyType',
				'RotPropertyType (1 apartment, 2 property) is required for ROT and green technology.',
				'Required',
			);
		if (property !== null && property !== 1 && property !== 2)
			fail(
				'RotPropertyType',
				`The value ${property} is not valid for RotPropertyType. Allowed values: 1, 2.`,
			);
		if ((property !== null || green) && !v.RotReducedInvoicingPropertyName)
			fail(
				'RotReducedInvoicingPropertyName',
				'RotReducedInvoicingPropertyName is required when RotPropertyType or UsesGreenTechnology is set.',
				'Required',
			);
		if (property === 1 && !isOrganisationNumber(v.RotReducedInvoicingOrgNumber))
			fail(
				'RotReducedInvoicingOrgNumber',
				"An apartment needs its housing association's organisation number (NNNNNN-NNNN).",
				v.RotReducedInvoicingOrgNumber ? 'InvalidFormat' : 'Required',
			);
		if (property !== 1 && v.RotReducedInvoicingOrgNumber)
			fail(
				'RotReducedInvoicingOrgNumber',
				'RotReducedInvoicingOrgNumber is only used for an apartment (RotPropertyType 1).',
			);
		const persons = v.Persons ?? [];
		const seen = new Set();
		persons.forEach((/** @type {Json} */ p, /** @type {number} */ i) => {
			const birth = birthDateOf(p.Ssn, todayDate);
			if (birth && seen.has(birth + p.Ssn.replace(/\D/g, '').slice(-4)))
				fail(`Persons[${i}].Ssn`, 'The same person is listed twice.');
			if (birth) seen.add(birth + p.Ssn.replace(/\D/g, '').slice(-4));
			if (!v.RotReducedInvoicingAutomaticDistribution && !(p.Amount > 0))
				fail(
					`Persons[${i}].Amount`,
					'Each person needs an Amount above 0 unless RotReducedInvoicingAutomaticDistribution is true.',
					'Required',
				);
		});
	} else if ((v.Persons ?? []).length > 0) {
		fail('Persons', 'Persons are only used on ROT, RUT and green technology invoices.');
	}
	rows.forEach((r, i) => {
		const p = `Rows[${i}]`;
		if (r.IsTextRow) return;
		const work = r.WorkCostType ?? 0;
		if (type === 0 && (isWorkRow(r) || r.WorkHours != null || r.MaterialCosts != null))
			fail(
				`${p}.WorkCostType`,
				'IsWorkCost, WorkCostType, WorkHours and MaterialCosts are only used on ROT/RUT invoices.',
			);
		if (!green && (r.GreenTechnologyType ?? 0) !== 0)
			fail(
				`${p}.GreenTechnologyType`,
				'GreenTechnologyType is only used on a green technology draft (UsesGreenTechnology).',
			);
		if (work !== 0 && !ROT_WORK.has(work) && !RUT_WORK.has(work))
			fail(`${p}.WorkCostType`, `The value ${work} is not a valid WorkCostType.`);
		else if (type === 1 && RUT_WORK.has(work))
			fail(
				`${p}.WorkCostType`,
				`WorkCostType ${work} is RUT work and cannot be used on a ROT invoice.`,
			);
		else if (type === 2 && ROT_WORK.has(work))
			fail(
				`${p}.WorkCostType`,
				`WorkCostType ${work} is ROT work and cannot be used on a RUT invoice.`,
			);
		if (type !== 0 && r.IsWorkCost === true && work === 0)
			fail(`${p}.WorkCostType`, 'A row with IsWorkCost needs a WorkCostType.', 'Required');
		if (type !== 0 && work !== 0 && !((r.WorkHours ?? 0) >= 1))
			fail(
				`${p}.WorkHours`,
				'Cannot add rows with labour article, work type set, but with work hours < 1.00.',
			);
		for (const f of ['WorkHours', 'MaterialCosts'])
			if (r[f] != null && r[f] < 0) fail(`${p}.${f}`, `${f} cannot be negative.`, 'Range');
		if (r.ReversedConstructionServicesVatFree && !company.UsesReverseConstructionVat)
			fail(
				`${p}.ReversedConstructionServicesVatFree`,
				'The company does not use reverse charge for construction services.',
			);
		if (r.ProjectId && !company.UsesProject)
			fail(`${p}.ProjectId`, 'The company does not use projects.');
	});
	throwIfErrors(rules);

	/** @type {FieldError[]} */
	const ssn = [];
	(reduction ? (v.Persons ?? []) : []).forEach((/** @type {Json} */ p, /** @type {number} */ i) => {
		if (!birthDateOf(p.Ssn, todayDate))
			ssn.push(
				fieldError(
					`Persons[${i}].Ssn`,
					`'${p.Ssn ?? ''}' is not a valid social security number.`,
					'InvalidFormat',
					CODES.SsnNumberIsInvalid,
				),
			);
	});
	throwIfErrors(ssn, CODES.SsnNumberIsInvalid);

	/** @type {FieldError[]} */
	const reversed = [];
	rows.forEach((r, i) => {
		if (r.IsTextRow || !r.ReversedConstructionServicesVatFree) return;
		const article = state.articles.get(r.ArticleId);
		const coding = article ? state.articleaccountcodings.get(article.CodingId) : null;
		if (coding && coding.DomesticSalesSubjectToReversedConstructionVatAccountNumber == null)
			reversed.push(
				fieldError(
					`Rows[${i}].ReversedConstructionServicesVatFree`,
					`Article '${article?.Number}' (coding '${coding.Name}') cannot be sold with reversed construction VAT.`,
					'InvalidValue',
					CODES.ReversedVatZero,
				),
			);
	});
	throwIfErrors(reversed, CODES.ReversedVatZero);
}

/**
 * Projects the rows name: unknown ids are 3000, finished projects 5005 ProjectEnded.
 * @param {State} state
 * @param {Json[]} rows
 * @returns {{ missing: FieldError[], ended: FieldError[] }}
 */
function projectProblems(state, rows) {
	/** @type {FieldError[]} */
	const missing = [];
	/** @type {FieldError[]} */
	const ended = [];
	rows.forEach((r, i) => {
		if (!r.ProjectId) return;
		const project = state.projects.get(r.ProjectId);
		if (!project)
			missing.push(
				fieldError(
					`Rows[${i}].ProjectId`,
					`ProjectId '${r.ProjectId}' was not found.`,
					'NotFound',
					CODES.ResourceNotFound,
				),
			);
		else if (project.Status === 2)
			ended.push(
				fieldError(
					`Rows[${i}].ProjectId`,
					`Project '${project.Number}' has ended.`,
					'InvalidValue',
					CODES.ProjectEnded,
				),
			);
	});
	return { missing, ended };
}

/**
 * The reduction once the rows are computed: the most that may be asked
 * (MaxAllowedTaxReductionAmount: the company's ROT or RUT percentage of the work rows' cost
 * including VAT, less their material costs), the amount asked, and each person's amount
 * (split evenly with automatic distribution). Refuses an amount above the maximum, persons'
 * amounts that do not add up to it, and a person's amount above the company's cap.
 * @param {State} state
 * @param {Json} v validated draft
 * @param {Json[]} rows computed rows (Amount, _net, _vat)
 * @param {boolean} includesVat
 * @param {string} invoiceDate YYYY-MM-DD
 */
function reductionAmounts(state, v, rows, includesVat, invoiceDate) {
	const type = v.RotReducedInvoicingType;
	if (type === 0)
		return { max: 0, amount: v.RotReducedInvoicingAmount ?? 0, persons: v.Persons ?? [] };
	const settings = state.company.CompanyRotRutSettings ?? {};
	const percent =
		type === 1 ? settings.RotReducedInvoicingPercent : settings.RutReducedInvoicingPercent;
	const labour = sum(
		rows
			.filter((r) => !r.IsTextRow && isWorkRow(r))
			.map((r) => {
				const gross = sum([r._net, r._vat]);
				const material = r.MaterialCosts ?? 0;
				const materialGross = includesVat ? material : round(material * (1 + (r.VatRate ?? 0)), 2);
				return Math.max(0, round(gross - materialGross, 2));
			}),
	);
	const max = percentOf(labour, percent ?? 0);
	const persons = (v.Persons ?? []).map((/** @type {Json} */ p) => ({ ...p }));
	/** @type {FieldError[]} */
	const errors = [];
	let amount = v.RotReducedInvoicingAmount ?? 0;
	if (v.RotReducedInvoicingAutomaticDistribution) {
		if (amount === 0) amount = max;
		const cents = Math.round(amount * 100);
		persons.forEach((/** @type {Json} */ p, /** @type {number} */ i) => {
			p.Amount = (Math.floor(cents / persons.length) + (i < cents % persons.length ? 1 : 0)) / 100;
		});
	} else {
		const total = sum(persons.map((/** @type {Json} */ p) => p.Amount ?? 0));
		if (amount === 0) amount = total;
		else if (total !== amount)
			errors.push(
				fieldError(
					'Persons',
					`The persons' amounts (${total}) do not add up to RotReducedInvoicingAmount (${amount}).`,
					'InvalidValue',
				),
			);
	}
	if (amount > max)
		errors.push(
			fieldError(
				'RotReducedInvoicingAmount',
				`The tax reduction ${amount} is more than the maximum allowed ${max} (${Math.round((percent ?? 0) * 100)} % of the work cost including VAT).`,
				'Range',
			),
		);
	persons.forEach((/** @type {Json} */ p, /** @type {number} */ i) => {
		const birth = birthDateOf(p.Ssn, invoiceDate);
		const cap =
			type === 1
				? settings.RotReducedInvoicingMaxAmount
				: birth && ageOn(birth, invoiceDate) >= 65
					? settings.RutMaxAmountForPersOver65Year
					: settings.RutMaxAmountForPersBelow65Year;
		if (typeof cap === 'number' && p.Amount > cap)
			errors.push(
				fieldError(
					`Persons[${i}].Amount`,
					`${p.Amount} is more than the ${type === 1 ? 'ROT' : 'RUT'} maximum per person (${cap}).`,
					'Range',
				),
			);
	});
	throwIfErrors(errors);
	return { max, amount, persons };
}

/** @param {FieldError[]} errors @param {number} code */
function throwCoded(errors, code) {
	if (errors.length) throw new ApiError(400, code, errors.map((e) => e.Message).join(' '), errors);
}

module.exports = { checkTrades, projectProblems, reductionAmounts, throwCoded };

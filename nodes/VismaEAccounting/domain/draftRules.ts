import type { FieldProblem } from './check';
import { asksReverseCharge } from './draftInput';
import type { DraftFields, RowInput } from './invoice';
import type { KnownProject } from './project';
import { projectProblem } from './project';
import type { MatchableArticle } from './rowMatch';
import { rowProblem } from './rowMatch';
import { TAX_REDUCTION_LABELS } from './taxReduction';

/**
 * The rules a draft must meet that depend on what eAccounting holds: the customer (a private
 * person for a tax reduction, a company set up for reverse charge), the company's settings (ROT,
 * green technology, reverse charge and projects turned on), the rows' account codings (VAT,
 * reverse charge) and projects. Pure: planning looks these up once and hands them in.
 */

export interface PlanCustomer {
	Id: string;
	CustomerNumber?: string;
	Name?: string;
	CurrencyCode?: string | null;
	IsPrivatePerson?: boolean;
	VatNumber?: string | null;
	ReverseChargeOnConstructionServices?: boolean;
}

/** The company settings these rules read (CompanySettingsApi). */
export interface CompanyFlags {
	UsesRotReducedInvoicing?: boolean;
	UsesGreenTechnology?: boolean;
	UsesReverseConstructionVat?: boolean;
	UsesProject?: boolean;
}

/** What these rules read of an article account coding. */
export interface CodingInfo {
	Id: string;
	Name: string;
	/** Visma's code of the VAT rate, e.g. "25". */
	VatRate?: string | null;
	/** The rate, as a fraction (0.25) or a percentage (25). */
	VatRatePercent?: number;
	DomesticSalesSubjectToReversedConstructionVatAccountNumber?: number | null;
}

/** A project known to planning; `created` when this execution created it. */
export type PlannedProject = KnownProject & { created?: boolean };

/** Whether these rows and fields need the company settings for their rules. */
export function needsSettingsForRules(fields: DraftFields, rows: RowInput[]): boolean {
	return (
		Boolean(fields.taxReduction) ||
		asksReverseCharge(fields, rows) ||
		projectNumbersOf(fields, rows).length > 0
	);
}

/** Whether the rows need the account codings: a VAT code to compare, or reverse charge to place. */
export function needsCodings(fields: DraftFields, rows: RowInput[]): boolean {
	return asksReverseCharge(fields, rows) || rows.some((r) => r.vatCode !== undefined);
}

/** Every project number the article rows use: their own, or the invoice's. */
export function projectNumbersOf(fields: DraftFields, rows: RowInput[]): string[] {
	return rows.flatMap((r) => {
		const n = r.isTextRow ? undefined : (r.projectNumber ?? fields.projectNumber);
		return n ? [n] : [];
	});
}

const customerName = (c: PlanCustomer) =>
	c.CustomerNumber ? `${c.CustomerNumber} (${c.Name ?? ''})` : (c.Name ?? c.Id);

/** The problems of the customer and the company settings with this draft, or none. */
export function draftProblems(
	customer: PlanCustomer,
	settings: CompanyFlags,
	fields: DraftFields,
	rows: RowInput[],
): FieldProblem[] {
	return [...settingsProblems(settings, fields, rows), ...customerProblems(customer, fields, rows)];
}

/** What the company settings say against this draft: a feature it uses that is turned off. */
export function settingsProblems(
	settings: CompanyFlags,
	fields: DraftFields,
	rows: RowInput[],
): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const t = fields.taxReduction;
	if (t) {
		const green = t.type === 'greenTechnology';
		const enabled = green ? settings.UsesGreenTechnology : settings.UsesRotReducedInvoicing;
		if (enabled !== true) {
			problems.push({
				field: 'Tax Reduction',
				message: `${TAX_REDUCTION_LABELS[t.type]} is not turned on in this eAccounting company (${
					green ? 'green technology' : 'ROT/RUT reduced invoicing'
				}); turn it on in eAccounting's settings, or export without the tax reduction`,
			});
		}
	}
	if (asksReverseCharge(fields, rows) && settings.UsesReverseConstructionVat !== true) {
		problems.push({
			field: 'Reverse-Charge Construction VAT',
			message:
				"is not turned on in this eAccounting company; turn on reverse charge for construction services in eAccounting's settings",
		});
	}
	if (projectNumbersOf(fields, rows).length > 0 && settings.UsesProject !== true) {
		problems.push({
			field: 'Project Number',
			message:
				"is given, but projects are not turned on in this eAccounting company; turn them on in eAccounting's settings, or export without projects",
		});
	}
	return problems;
}

/** What the customer is against this draft: a company for a tax reduction, and so on. */
export function customerProblems(
	customer: PlanCustomer,
	fields: DraftFields,
	rows: RowInput[],
): FieldProblem[] {
	const problems: FieldProblem[] = [];
	const t = fields.taxReduction;
	if (t && customer.IsPrivatePerson !== true) {
		problems.push({
			field: 'Tax Reduction',
			message: `(${TAX_REDUCTION_LABELS[t.type]}) needs a private-person customer, and customer ${customerName(customer)} is a company in eAccounting`,
		});
	}
	if (asksReverseCharge(fields, rows)) {
		const field = 'Reverse-Charge Construction VAT';
		if (customer.IsPrivatePerson === true) {
			problems.push({
				field,
				message: `needs a company customer, and customer ${customerName(customer)} is a private person`,
			});
		} else if (!customer.VatNumber) {
			problems.push({
				field,
				message: `needs the customer's VAT number, and customer ${customerName(customer)} has none in eAccounting`,
			});
		} else if (customer.ReverseChargeOnConstructionServices !== true) {
			problems.push({
				field,
				message: `needs a customer set up for it, and customer ${customerName(customer)} is not (its Reverse-Charge Construction VAT is off in eAccounting); turn it on for the customer, or use Update Existing Customer with the customer field Reverse-Charge Construction VAT`,
			});
		}
	}
	return problems;
}

/**
 * The project problems of the rows (a project that is missing and may not be created, or is
 * finished), which need nothing but the projects found.
 */
export function projectProblems(
	fields: DraftFields,
	rows: RowInput[],
	projects: Map<string, PlannedProject>,
	createMissing: boolean,
): FieldProblem[] {
	return rows.flatMap((row) => {
		if (row.isTextRow) return [];
		const project = rowProject(row, fields, projects, createMissing);
		return project && 'problem' in project ? [project.problem] : [];
	});
}

/** A project a row needs that is not in eAccounting yet. */
export interface ProjectToCreate {
	number: string;
	name: string;
}

export type RowProject =
	| { project: PlannedProject }
	| { missing: ProjectToCreate }
	| { problem: FieldProblem }
	| undefined;

/** The project an article row uses (its own, or the invoice's), or why it has none. */
export function rowProject(
	row: RowInput,
	fields: DraftFields,
	projects: Map<string, PlannedProject>,
	createMissing: boolean,
): RowProject {
	const own = row.projectNumber !== undefined;
	const number = own ? row.projectNumber : fields.projectNumber;
	if (!number) return undefined;
	const field = own ? 'Project Number' : 'Project Number (of the invoice)';
	const found = projects.get(number.toLowerCase());
	if (found) {
		const problem = projectProblem(found);
		return problem ? { problem: rowProblem(row.line, field, problem) } : { project: found };
	}
	const name = own ? row.projectName : fields.projectName;
	if (!createMissing) {
		return {
			problem: rowProblem(
				row.line,
				field,
				`${number} is not a project in eAccounting; create it (Project > Find or Create), or turn on the option Create Missing Projects`,
			),
		};
	}
	if (!name) {
		return {
			problem: rowProblem(
				row.line,
				own ? 'Project Name' : 'Project Name (of the invoice)',
				`is required to create project ${number}, which is not in eAccounting`,
			),
		};
	}
	return { missing: { number, name } };
}

const percentOf = (coding: CodingInfo) => {
	const rate = coding.VatRatePercent ?? 0;
	return Number((rate <= 1 ? rate * 100 : rate).toFixed(6));
};

/** "25 % (code 25)", how messages and the row report name a coding's VAT. */
export const describeVat = (coding: CodingInfo) =>
	`${percentOf(coding)} %${coding.VatRate ? ` (code ${coding.VatRate})` : ''}`;

const PERCENT = /^(\d+(?:[.,]\d+)?)\s*%?$/;

/**
 * Whether the row's VAT code is the VAT of the article it uses: Visma takes a row's VAT from its
 * article's account coding (VatRateId is read-only on draft rows), so a row cannot choose it.
 */
export function vatCodeProblem(
	row: RowInput,
	article: MatchableArticle,
	codings: Map<string, CodingInfo>,
): FieldProblem | undefined {
	if (row.vatCode === undefined) return undefined;
	const coding = article.CodingId ? codings.get(article.CodingId.toLowerCase()) : undefined;
	if (!coding) {
		return rowProblem(
			row.line,
			'VAT Code',
			`cannot be checked: article ${article.Number} has no account coding in eAccounting`,
		);
	}
	const code = row.vatCode.trim();
	const sameCode =
		coding.VatRate !== undefined &&
		coding.VatRate !== null &&
		coding.VatRate.toLowerCase() === code.toLowerCase();
	const percent = PERCENT.exec(code);
	const samePercent =
		percent !== null && Math.abs(Number(percent[1].replace(',', '.')) - percentOf(coding)) < 1e-6;
	if (sameCode || samePercent) return undefined;
	return rowProblem(
		row.line,
		'VAT Code',
		`${code} is not the VAT of article ${article.Number}, whose account coding ${coding.Name} has ${describeVat(coding)}; eAccounting takes a row's VAT from its article's account coding (its API cannot set it per row), so give the row an article with that VAT`,
	);
}

export type RowReverseCharge = { value: boolean; note?: string } | { problem: FieldProblem };

/**
 * Whether an article row carries reverse-charge construction VAT. A row asks for it itself, or
 * the invoice asks for every row that can: one whose article's account coding has an account
 * for reverse-charge construction sales (Visma refuses reverse charge on other rows).
 */
export function rowReverseCharge(
	row: RowInput,
	fields: DraftFields,
	article: MatchableArticle,
	codings: Map<string, CodingInfo>,
): RowReverseCharge {
	const asked = row.reverseCharge ?? fields.reverseCharge ?? false;
	if (!asked) return { value: false };
	const coding = article.CodingId ? codings.get(article.CodingId.toLowerCase()) : undefined;
	const eligible =
		coding?.DomesticSalesSubjectToReversedConstructionVatAccountNumber !== undefined &&
		coding?.DomesticSalesSubjectToReversedConstructionVatAccountNumber !== null;
	if (eligible) return { value: true };
	const why = `article ${article.Number}'s account coding${coding ? ` ${coding.Name}` : ''} has no account for reverse-charge construction sales`;
	if (row.reverseCharge === true) {
		return {
			problem: rowProblem(
				row.line,
				'Reverse Charge',
				`cannot be used on this row: ${why}; use a construction-service article, or set reverseCharge to false`,
			),
		};
	}
	return { value: false, note: `reverse charge does not apply: ${why}` };
}

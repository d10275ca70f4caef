import type { FieldProblem } from './check';
import type { RowBody, RowExtras } from './draftBody';
import { articleRowBody, draftBody, textRowBody } from './draftBody';
import type {
	CodingInfo,
	CompanyFlags,
	PlanCustomer,
	PlannedProject,
	ProjectToCreate,
} from './draftRules';
import {
	describeVat,
	draftProblems,
	rowProject,
	rowReverseCharge,
	vatCodeProblem,
} from './draftRules';
import type { DraftFields, RowInput } from './invoice';
import { asksReverseCharge } from './invoice';
import { unitPriceDecimals } from './money';
import type { MatchableArticle, RowMatch } from './rowMatch';
import { articleRowMatch, matchRow, textRowMatch } from './rowMatch';
import { applyFixedDiscount, priceRow } from './rowPrice';

export interface DraftPlan {
	body: Record<string, unknown>;
	matches: RowMatch[];
	/** Projects the rows need that are not in eAccounting yet (option Create Missing Projects). */
	missingProjects: ProjectToCreate[];
}

/**
 * The draft body and the per-row report, or the problems that stop it: the draft is checked
 * against its customer and the company settings, then each row is matched to an article,
 * priced, given its project, VAT check and reverse charge, and turned into its body, in input
 * order. A project still to be created leaves its rows without ProjectId: plan again once it
 * exists.
 */
export function planDraft(args: {
	customer: PlanCustomer;
	companyCurrency: string;
	/** Whether this draft's prices include VAT (private customers in some companies). */
	pricesIncludeVat?: boolean;
	fields: DraftFields;
	rows: RowInput[];
	articles: Map<string, MatchableArticle>;
	defaultArticle?: MatchableArticle;
	/** Company settings, when the draft's rules need them. */
	settings?: CompanyFlags;
	/** Account codings by lower-case ID, when a row has a VAT code or reverse charge. */
	codings?: Map<string, CodingInfo>;
	/** Projects by lower-case number. */
	projects?: Map<string, PlannedProject>;
	createMissingProjects?: boolean;
}): DraftPlan | { problems: FieldProblem[] } {
	const pricing = {
		customerCurrency: args.customer.CurrencyCode,
		companyCurrency: args.companyCurrency,
		pricesIncludeVat: args.pricesIncludeVat,
	};
	const decimals = unitPriceDecimals(args.customer.CurrencyCode, args.companyCurrency);
	const codings = args.codings ?? new Map<string, CodingInfo>();
	const projects = args.projects ?? new Map<string, PlannedProject>();
	const reverseAsked = asksReverseCharge(args.fields, args.rows);
	const problems: FieldProblem[] = draftProblems(
		args.customer,
		args.settings ?? {},
		args.fields,
		args.rows,
	);
	const matches: RowMatch[] = [];
	const rows: RowBody[] = [];
	const missing = new Map<string, ProjectToCreate>();
	for (const row of args.rows) {
		if (row.isTextRow) {
			matches.push(textRowMatch(row));
			rows.push(textRowBody(row));
			continue;
		}
		const choice = matchRow(row, args.articles, args.defaultArticle);
		if ('problem' in choice) {
			problems.push(choice.problem);
			continue;
		}
		const price = priceRow(row, choice.article, pricing);
		if ('problem' in price) {
			problems.push(price.problem);
			continue;
		}
		const extras: RowExtras = { taxReduction: args.fields.taxReduction?.type };
		const match = articleRowMatch(row, choice, price);
		let unitPrice = price.unitPrice;
		if (row.discountAmount !== undefined) {
			const discounted = applyFixedDiscount(row, unitPrice, decimals);
			if ('problem' in discounted) {
				problems.push(discounted.problem);
				continue;
			}
			unitPrice = discounted.unitPrice;
			extras.discountPercentage = discounted.DiscountPercentage;
			match.discount = discounted.discount;
		}
		const project = rowProject(row, args.fields, projects, args.createMissingProjects === true);
		if (project && 'problem' in project) problems.push(project.problem);
		else if (project && 'missing' in project)
			missing.set(project.missing.number.toLowerCase(), project.missing);
		else if (project) {
			extras.projectId = project.project.Id;
			match.project = {
				Id: project.project.Id,
				Number: project.project.Number,
				outcome: project.project.created ? 'created' : 'found',
			};
		}
		const vat = vatCodeProblem(row, choice.article, codings);
		if (vat) problems.push(vat);
		else if (row.vatCode !== undefined) {
			const coding = codings.get(String(choice.article.CodingId).toLowerCase());
			if (coding) match.vat = describeVat(coding);
		}
		if (reverseAsked) {
			const reverse = rowReverseCharge(row, args.fields, choice.article, codings);
			if ('problem' in reverse) problems.push(reverse.problem);
			else {
				extras.reverseCharge = reverse.value;
				match.reverseCharge = reverse.value;
				if (reverse.note) match.reason = `${match.reason}; ${reverse.note}`;
			}
		}
		matches.push(match);
		rows.push(articleRowBody(row, choice, unitPrice, extras));
	}
	if (reverseAsked && problems.length === 0 && !matches.some((m) => m.reverseCharge === true)) {
		problems.push({
			field: 'Reverse-Charge Construction VAT',
			message:
				'applies to no row: no article on this invoice has an account coding for reverse-charge construction sales',
		});
	}
	if (problems.length > 0) return { problems };
	return {
		body: draftBody(args.customer.Id, args.fields, rows),
		matches,
		missingProjects: [...missing.values()],
	};
}

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
import { asksReverseCharge } from './draftInput';
import type { DraftFields, RowInput } from './invoice';
import { unitPriceDecimals } from './money';
import type { MatchableArticle, RowMatch } from './rowMatch';
import { articleRowMatch, matchRow, textRowMatch } from './rowMatch';
import type { PriceContext } from './rowPrice';
import { applyFixedDiscount, priceRow } from './rowPrice';

export interface DraftPlan {
	body: Record<string, unknown>;
	matches: RowMatch[];
	/** Projects the rows need that are not in eAccounting yet (option Create Missing Projects). */
	missingProjects: ProjectToCreate[];
}

/** What planning an article row needs, the same for every row of a draft. */
interface RowContext {
	fields: DraftFields;
	articles: Map<string, MatchableArticle>;
	defaultArticle?: MatchableArticle;
	pricing: PriceContext;
	/** Decimals of this customer's unit prices. */
	decimals: number;
	codings: Map<string, CodingInfo>;
	projects: Map<string, PlannedProject>;
	createMissingProjects: boolean;
	/** Whether any row of the draft asks for reverse charge. */
	reverseAsked: boolean;
}

type PlannedRow =
	| { problems: FieldProblem[] }
	| { match: RowMatch; body: RowBody; missing?: ProjectToCreate };

/** One article row: its article, price, discount, project, VAT check and reverse charge. */
function planArticleRow(row: RowInput, ctx: RowContext): PlannedRow {
	const choice = matchRow(row, ctx.articles, ctx.defaultArticle);
	if ('problem' in choice) return { problems: [choice.problem] };
	const price = priceRow(row, choice.article, ctx.pricing);
	if ('problem' in price) return { problems: [price.problem] };
	const problems: FieldProblem[] = [];
	const extras: RowExtras = { taxReduction: ctx.fields.taxReduction?.type };
	const match = articleRowMatch(row, choice, price);
	let unitPrice = price.unitPrice;
	if (row.discountAmount !== undefined) {
		const discounted = applyFixedDiscount(row, unitPrice, ctx.decimals);
		if ('problem' in discounted) return { problems: [discounted.problem] };
		unitPrice = discounted.unitPrice;
		extras.discountPercentage = discounted.DiscountPercentage;
		match.discount = discounted.discount;
	}
	const project = rowProject(row, ctx.fields, ctx.projects, ctx.createMissingProjects);
	let missing: ProjectToCreate | undefined;
	if (project && 'problem' in project) problems.push(project.problem);
	else if (project && 'missing' in project) missing = project.missing;
	else if (project) {
		extras.projectId = project.project.Id;
		match.project = {
			Id: project.project.Id,
			Number: project.project.Number,
			outcome: project.project.created ? 'created' : 'found',
		};
	}
	const vat = vatCodeProblem(row, choice.article, ctx.codings);
	if (vat) problems.push(vat);
	else if (row.vatCode !== undefined) {
		const coding = ctx.codings.get(String(choice.article.CodingId).toLowerCase());
		if (coding) match.vat = describeVat(coding);
	}
	if (ctx.reverseAsked) {
		const reverse = rowReverseCharge(row, ctx.fields, choice.article, ctx.codings);
		if ('problem' in reverse) problems.push(reverse.problem);
		else {
			extras.reverseCharge = reverse.value;
			match.reverseCharge = reverse.value;
			if (reverse.note) match.reason = `${match.reason}; ${reverse.note}`;
		}
	}
	if (problems.length > 0) return { problems };
	return { match, body: articleRowBody(row, choice, unitPrice, extras), missing };
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
	const ctx: RowContext = {
		fields: args.fields,
		articles: args.articles,
		defaultArticle: args.defaultArticle,
		pricing: {
			customerCurrency: args.customer.CurrencyCode,
			companyCurrency: args.companyCurrency,
			pricesIncludeVat: args.pricesIncludeVat,
		},
		decimals: unitPriceDecimals(args.customer.CurrencyCode, args.companyCurrency),
		codings: args.codings ?? new Map(),
		projects: args.projects ?? new Map(),
		createMissingProjects: args.createMissingProjects === true,
		reverseAsked: asksReverseCharge(args.fields, args.rows),
	};
	const problems = draftProblems(args.customer, args.settings ?? {}, args.fields, args.rows);
	const matches: RowMatch[] = [];
	const rows: RowBody[] = [];
	const missing = new Map<string, ProjectToCreate>();
	for (const row of args.rows) {
		const planned: PlannedRow = row.isTextRow
			? { match: textRowMatch(row), body: textRowBody(row) }
			: planArticleRow(row, ctx);
		if ('problems' in planned) {
			problems.push(...planned.problems);
			continue;
		}
		matches.push(planned.match);
		rows.push(planned.body);
		if (planned.missing) missing.set(planned.missing.number.toLowerCase(), planned.missing);
	}
	if (ctx.reverseAsked && problems.length === 0 && !matches.some((m) => m.reverseCharge)) {
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

import type { FieldProblem } from './check';
import type { RowBody } from './draftBody';
import { articleRowBody, draftBody, textRowBody } from './draftBody';
import type { DraftFields, RowInput } from './invoice';
import type { MatchableArticle, RowMatch } from './rowMatch';
import { articleRowMatch, matchRow, textRowMatch } from './rowMatch';
import { priceRow } from './rowPrice';

export interface DraftPlan {
	body: Record<string, unknown>;
	matches: RowMatch[];
}

/**
 * The draft body and the per-row report, or the problems that stop it: each row is matched to
 * an article, priced, and turned into its body, in input order.
 */
export function planDraft(args: {
	customer: { Id: string; CurrencyCode?: string | null; IsPrivatePerson?: boolean };
	companyCurrency: string;
	/** Whether this draft's prices include VAT (private customers in some companies). */
	pricesIncludeVat?: boolean;
	fields: DraftFields;
	rows: RowInput[];
	articles: Map<string, MatchableArticle>;
	defaultArticle?: MatchableArticle;
}): DraftPlan | { problems: FieldProblem[] } {
	const pricing = {
		customerCurrency: args.customer.CurrencyCode,
		companyCurrency: args.companyCurrency,
		pricesIncludeVat: args.pricesIncludeVat,
	};
	const problems: FieldProblem[] = [];
	const matches: RowMatch[] = [];
	const rows: RowBody[] = [];
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
		matches.push(articleRowMatch(row, choice, price));
		rows.push(articleRowBody(row, choice, price.unitPrice));
	}
	if (problems.length > 0) return { problems };
	return { body: draftBody(args.customer.Id, args.fields, rows), matches };
}

import type { FieldProblem } from './check';
import type { RowInput } from './invoice';
import type { RowDiscount } from './rowPrice';

/**
 * Row matching: a row whose article number names an active article uses it; every other row
 * uses the default article but keeps its own text, quantity and price.
 */
export interface MatchableArticle {
	Id: string;
	Number: string;
	Name?: string;
	IsActive?: boolean;
	NetPrice?: number | null;
	GrossPrice?: number | null;
	/** Its account coding, which decides the row's VAT. */
	CodingId?: string | null;
}

export type MatchKind = 'article' | 'default' | 'text';

/** For each input row: which article it got, and why. */
export type RowMatch = {
	row: number;
	articleNumber: string | null;
	match: MatchKind;
	articleId: string | null;
	usedArticleNumber: string | null;
	reason: string;
	/** Where the row's unit price came from: the row itself, or the article it uses. */
	priceFrom?: 'row' | 'article';
	/** How a fixed-amount discount was sent (only rows with one). */
	discount?: RowDiscount;
	/** The project the row uses, and whether this execution created it (only rows with one). */
	project?: { Id: string; Number: string; outcome: 'found' | 'created' };
	/** Whether the row carries reverse-charge construction VAT (only when the draft asks for it). */
	reverseCharge?: boolean;
	/** The VAT the row gets from its article, when the row gave a VAT code to check. */
	vat?: string;
};

/** The article a row with an article uses, and why. */
export interface ArticleChoice {
	article: MatchableArticle;
	match: 'article' | 'default';
	reason: string;
}

const key = (articleNumber: string) => articleNumber.toLowerCase();

/** Index of articles by number; numbers are matched without regard to case. */
export function articleIndex(articles: Iterable<MatchableArticle>): Map<string, MatchableArticle> {
	const index = new Map<string, MatchableArticle>();
	for (const a of articles) if (a.Number) index.set(key(a.Number), a);
	return index;
}

/** A problem of one row, named the way the input checks name it ("Row 3: Unit Price"). */
export const rowProblem = (line: number, field: string, message: string): FieldProblem => ({
	field: `Row ${line}: ${field}`,
	message,
});

/** The article a row (not a text row) uses, or why it can use none. */
export function matchRow(
	row: RowInput,
	articles: Map<string, MatchableArticle>,
	defaultArticle: MatchableArticle | undefined,
): ArticleChoice | { problem: FieldProblem } {
	const found = row.articleNumber ? articles.get(key(row.articleNumber)) : undefined;
	if (found && found.IsActive !== false) {
		return {
			article: found,
			match: 'article',
			reason: `Article number ${row.articleNumber} exists in eAccounting`,
		};
	}
	if (!defaultArticle) {
		return {
			problem: rowProblem(
				row.line,
				'Article Number',
				row.articleNumber
					? `"${row.articleNumber}" is not an active article in eAccounting and no default article is set`
					: 'is empty and no default article is set',
			),
		};
	}
	if (defaultArticle.IsActive === false) {
		return {
			problem: {
				field: 'Default Article',
				message: `${defaultArticle.Number} is inactive in eAccounting; activate it or choose another`,
			},
		};
	}
	return {
		article: defaultArticle,
		match: 'default',
		reason: !row.articleNumber
			? 'Row has no article number; the default article is used'
			: found
				? `Article ${row.articleNumber} is inactive in eAccounting; the default article is used`
				: `Article number ${row.articleNumber} is not in eAccounting; the default article is used`,
	};
}

/** The report of a text row. */
export const textRowMatch = (row: RowInput): RowMatch => ({
	row: row.line,
	articleNumber: null,
	match: 'text',
	articleId: null,
	usedArticleNumber: null,
	reason: 'Text row',
});

/** The report of an article row: the article it uses, why, and where its price came from. */
export function articleRowMatch(
	row: RowInput,
	choice: ArticleChoice,
	price: { from: 'row' | 'article'; note?: string },
): RowMatch {
	return {
		row: row.line,
		articleNumber: row.articleNumber ?? null,
		match: choice.match,
		articleId: choice.article.Id,
		usedArticleNumber: choice.article.Number,
		reason: price.note ? `${choice.reason}; ${price.note}` : choice.reason,
		priceFrom: price.from,
	};
}

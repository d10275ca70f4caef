import type { ArticleInput } from '../domain/article';
import type { VismaClient } from '../transport';
import type { ArticleResult } from './ensureArticles';
import { ensureArticles, findArticlesByNumber } from './ensureArticles';
import type { CustomerRequest, CustomerResult } from './findOrCreateCustomers';
import { findOrCreateCustomers } from './findOrCreateCustomers';
import type { DraftRequest, DraftResult } from './createDrafts';
import { answerFromExisting, createDraftsHolding, sourceRefOf } from './createDrafts';
import type { Outcome } from './outcome';
import { asItemError, failure, success } from './outcome';
import { withSourceReferences } from './sourceReferences';

export interface ExportRequest {
	itemIndex: number;
	customer: CustomerRequest;
	defaultArticle: { itemIndex: number; input: ArticleInput };
	draft: Omit<DraftRequest, 'customer' | 'defaultArticle'>;
}

export interface ExportResult extends DraftResult {
	/** Undefined when the reference was already exported: nothing was looked up or written. */
	customerResult?: CustomerResult;
	articleResult?: ArticleResult;
}

/**
 * Export Invoice as Draft: Find or Create Customer, Ensure Default Article and Create Draft
 * with the same rules and batching. Source references come first, so an invoice already
 * exported costs only those look-ups and touches no customer or article, and a reference that
 * another customer's record carries fails its item before anything is written.
 */
export async function exportInvoices(
	client: VismaClient,
	requests: ExportRequest[],
): Promise<Array<Outcome<ExportResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r.draft) ?? []);
	return await withSourceReferences(client, refs, async (existing) => {
		const outcomes = new Array<Outcome<ExportResult>>(requests.length);
		const answered = await answerFromExisting(
			client,
			existing,
			requests.map((r) => ({
				itemIndex: r.itemIndex,
				ref: sourceRefOf(r.draft),
				customer: { number: r.customer.input.customerNumber },
			})),
		);
		for (const [k, outcome] of answered) outcomes[k] = outcome;
		const fresh = requests.map((_, k) => k).filter((k) => !outcomes[k]);

		const customers = await findOrCreateCustomers(
			client,
			fresh.map((k) => requests[k].customer),
		);
		// Only items whose customer is there go on: a failed item writes nothing more.
		const withCustomer: Array<{ k: number; customer: CustomerResult }> = [];
		fresh.forEach((k, j) => {
			const customer = customers[j];
			if (customer.ok) withCustomer.push({ k, customer: customer.value });
			else outcomes[k] = failure(customer.error);
		});
		// Default articles and every row's article number in one look-up.
		const articleNumbers = withCustomer.flatMap(({ k }) => [
			requests[k].defaultArticle.input.number,
			...requests[k].draft.rows.flatMap((row) => (row.articleNumber ? [row.articleNumber] : [])),
		]);
		const knownArticles = await findArticlesByNumber(client, articleNumbers);
		const articles = await ensureArticles(
			client,
			withCustomer.map(({ k }) => requests[k].defaultArticle),
			knownArticles,
		);
		const ready: Array<{ k: number; customer: CustomerResult; article: ArticleResult }> = [];
		withCustomer.forEach(({ k, customer }, j) => {
			const article = articles[j];
			if (article.ok) ready.push({ k, customer, article: article.value });
			else outcomes[k] = failure(article.error);
		});

		try {
			const drafts = await createDraftsHolding(
				client,
				ready.map(({ k, customer, article }) => ({
					...requests[k].draft,
					customer: { record: customer.customer },
					defaultArticle: { record: article.article },
				})),
				existing,
				knownArticles,
			);
			ready.forEach(({ k, customer, article }, j) => {
				const draft = drafts[j];
				outcomes[k] = draft.ok
					? success({ ...draft.value, customerResult: customer, articleResult: article })
					: failure(draft.error);
			});
		} catch (error) {
			// Customers or articles may have been created: the items fail, the node does not.
			for (const { k } of ready)
				outcomes[k] = failure(asItemError(client.node, error, requests[k].itemIndex));
		}
		return outcomes;
	});
}

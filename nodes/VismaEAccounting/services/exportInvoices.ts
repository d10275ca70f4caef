import type { ArticleInput } from '../domain/article';
import type { VismaArticle } from '../domain/visma';
import type { VismaClient } from '../transport';
import type { DraftRequest, DraftResult, Results } from './drafts';
import { allDecided, answerFromExisting, sourceRefOf } from './drafts';
import type { ArticleResult } from './ensureArticles';
import { ensureArticles, findArticlesByNumber } from './ensureArticles';
import type { CustomerRequest, CustomerResult } from './findOrCreateCustomers';
import { findOrCreateCustomers } from './findOrCreateCustomers';
import type { Outcome } from './outcome';
import { asItemError, failure, success } from './outcome';
import type { PendingDraft } from './planDrafts';
import { checkBeforeWrites, planDrafts } from './planDrafts';
import { withSourceReferences } from './sourceReferences';
import { writeDrafts } from './writeDrafts';

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

/** A draft whose customer and default article are there, with what finding them did. */
interface ReadyDraft extends PendingDraft {
	customer: CustomerResult;
	article: ArticleResult;
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
		const results: Results<ExportResult> = await answerFromExisting(
			client,
			existing,
			requests.map((r) => ({
				itemIndex: r.itemIndex,
				ref: sourceRefOf(r.draft),
				customer: { number: r.customer.input.customerNumber },
			})),
		);
		await checkBeforeWrites(
			client,
			requests.flatMap((r, index) => (results[index] ? [] : [{ index, request: r.draft }])),
			results,
		);
		const { ready, knownArticles } = await customersAndArticles(client, requests, results);
		try {
			const plans = await planDrafts(client, ready, results, knownArticles);
			await writeDrafts(client, plans, results);
		} catch (error) {
			// Customers or articles may have been created: the items fail, the node does not.
			for (const { index } of ready)
				results[index] = failure(asItemError(client.node, error, requests[index].itemIndex));
		}
		for (const { index, customer, article } of ready) {
			const draft = results[index];
			if (draft?.ok)
				results[index] = success({
					...draft.value,
					customerResult: customer,
					articleResult: article,
				});
		}
		return allDecided(client.node, results);
	});
}

/**
 * Finds or creates the customers, then ensures the default articles, of the items no earlier
 * stage decided. Only items whose customer is there go on: a failed item writes nothing more.
 */
async function customersAndArticles(
	client: VismaClient,
	requests: ExportRequest[],
	results: Results<ExportResult>,
): Promise<{ ready: ReadyDraft[]; knownArticles: Map<string, VismaArticle> }> {
	const fresh = requests.map((_, k) => k).filter((k) => !results[k]);
	const customers = await findOrCreateCustomers(
		client,
		fresh.map((k) => requests[k].customer),
	);
	const withCustomer: Array<{ k: number; customer: CustomerResult }> = [];
	fresh.forEach((k, j) => {
		const customer = customers[j];
		if (customer.ok) withCustomer.push({ k, customer: customer.value });
		else results[k] = failure(customer.error);
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
	const ready: ReadyDraft[] = [];
	withCustomer.forEach(({ k, customer }, j) => {
		const article = articles[j];
		if (!article.ok) {
			results[k] = failure(article.error);
			return;
		}
		const request: DraftRequest = {
			...requests[k].draft,
			customer: { record: customer.customer },
			defaultArticle: { record: article.value.article },
		};
		ready.push({ index: k, request, customer, article: article.value });
	});
	return { ready, knownArticles };
}

import type { ArticleInput } from '../domain/article';
import type { VismaClient } from '../transport';
import type { ArticleResult } from './articles';
import { ensureArticles } from './articles';
import type { CustomerRequest, CustomerResult } from './customers';
import { findOrCreateCustomers } from './customers';
import type { DraftRequest, DraftResult } from './drafts';
import { createDraftsHolding, existingResult, refKey, sourceRefOf, withSourceReferences } from './drafts';
import type { Outcome } from './outcome';
import { failure, success } from './outcome';

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
 * exported costs only those look-ups and touches no customer or article.
 */
export async function exportInvoices(
	client: VismaClient,
	requests: ExportRequest[],
): Promise<Array<Outcome<ExportResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r.draft) ?? []);
	return await withSourceReferences(client, refs, async (existing) => {
		const outcomes = new Array<Outcome<ExportResult>>(requests.length);
		const fresh: number[] = [];
		requests.forEach((request, k) => {
			const ref = sourceRefOf(request.draft);
			const hit = ref && existing.get(refKey(ref));
			if (hit) outcomes[k] = success(existingResult(hit));
			else fresh.push(k);
		});

		const customers = await findOrCreateCustomers(client, fresh.map((k) => requests[k].customer));
		const articles = await ensureArticles(client, fresh.map((k) => requests[k].defaultArticle));
		const ready: Array<{ k: number; customer: CustomerResult; article: ArticleResult }> = [];
		fresh.forEach((k, j) => {
			const customer = customers[j];
			const article = articles[j];
			if (!customer.ok) outcomes[k] = failure(customer.error);
			else if (!article.ok) outcomes[k] = failure(article.error);
			else ready.push({ k, customer: customer.value, article: article.value });
		});

		const drafts = await createDraftsHolding(
			client,
			ready.map(({ k, customer, article }) => ({
				...requests[k].draft,
				customer: { record: customer.customer },
				defaultArticle: { record: article.article },
			})),
			existing,
		);
		ready.forEach(({ k, customer, article }, j) => {
			const draft = drafts[j];
			outcomes[k] = draft.ok ? success({ ...draft.value, customerResult: customer, articleResult: article }) : failure(draft.error);
		});
		return outcomes;
	});
}

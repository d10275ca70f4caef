import { draftFieldValues } from '../domain/draftBody';
import { planDraft } from '../domain/draftPlan';
import type { DraftFields, RowInput } from '../domain/invoice';
import type { RowMatch } from '../domain/rowMatch';
import { articleIndex } from '../domain/rowMatch';
import { mergeDraft } from '../domain/draft';
import type { VismaCustomer, VismaDraft } from '../domain/visma';
import type { VismaClient } from '../transport';
import { resourcePath } from '../transport';
import { DRAFT } from '../records/draft';
import { CUSTOMER } from '../records/customer';
import { findArticlesById, findArticlesByNumber } from './ensureArticles';
import type { Reference } from './drafts';
import { problemsError } from './outcome';
import { putRecord } from './getRecords';
import { companySettings } from './referenceData';

export interface DraftChanges {
	fields: DraftFields;
	/** Whether the user set Credit Invoice (fields.isCreditInvoice is always a boolean). */
	setsCreditInvoice: boolean;
	/** New rows replace all rows; undefined keeps the draft's rows. */
	rows?: RowInput[];
	defaultArticle?: Reference;
}

export interface DraftUpdateResult {
	draft: VismaDraft;
	changed: string[];
	matches?: RowMatch[];
}

/** Rows planned like Create plans them: by article number, the rest on the default article. */
async function planRows(
	client: VismaClient,
	draft: VismaDraft,
	changes: DraftChanges & { rows: RowInput[] },
	itemIndex: number,
): Promise<{ rows: Array<Record<string, unknown>>; matches: RowMatch[] }> {
	const settings = await companySettings(client);
	const customer = await client.request<VismaCustomer>({
		method: 'GET',
		path: resourcePath(CUSTOMER.path, draft.CustomerId),
		itemIndex,
	});
	const d = changes.defaultArticle;
	const numbers = changes.rows.flatMap((r) => (r.articleNumber ? [r.articleNumber] : []));
	const byNumber = await findArticlesByNumber(client, d?.number ? [...numbers, d.number] : numbers);
	const defaultArticle = d?.id
		? (await findArticlesById(client, [d.id])).get(d.id.toLowerCase())
		: d?.number
			? byNumber.get(d.number.toLowerCase())
			: undefined;
	if (d && (d.id || d.number) && !defaultArticle) {
		throw problemsError(
			client.node,
			[{ field: 'Default Article', message: `${d.id ?? d.number} does not exist in eAccounting` }],
			itemIndex,
		);
	}
	const plan = planDraft({
		customer,
		companyCurrency: settings.CurrencyCode ?? 'SEK',
		fields: changes.fields,
		rows: changes.rows,
		articles: articleIndex(byNumber.values()),
		defaultArticle,
	});
	if ('problems' in plan) throw problemsError(client.node, plan.problems, itemIndex);
	return { rows: plan.body.Rows as Array<Record<string, unknown>>, matches: plan.matches };
}

/**
 * PUT replaces the whole draft, so the changes are laid over the fetched one; nothing is sent
 * when nothing differs.
 */
export async function updateDraft(
	client: VismaClient,
	draft: VismaDraft,
	changes: DraftChanges,
	itemIndex: number,
): Promise<DraftUpdateResult> {
	const planned = changes.rows
		? await planRows(client, draft, { ...changes, rows: changes.rows }, itemIndex)
		: undefined;
	const values: Record<string, unknown> = draftFieldValues(changes.fields);
	if (changes.setsCreditInvoice) values.IsCreditInvoice = changes.fields.isCreditInvoice;
	const { body, changed } = mergeDraft(draft, values, planned?.rows);
	if (changed.length === 0) return { draft, changed };

	const updated = await putRecord<VismaDraft>(client, DRAFT, {
		id: draft.Id,
		body,
		refs: { termsOfPaymentId: changes.fields.termsOfPaymentId },
		itemIndex,
	});
	return { draft: updated, changed, matches: planned?.matches };
}

import { Checker } from '../domain/check';
import { draftFieldValues } from '../domain/draftBody';
import { checkRowsOfDraft } from '../domain/draftInput';
import type { DraftFields, RowInput } from '../domain/invoice';
import type { RowMatch } from '../domain/rowMatch';
import { mergeDraft } from '../domain/draft';
import {
	clearedTaxReduction,
	taxReductionOfDraft,
	taxReductionValues,
} from '../domain/taxReduction';
import type { VismaDraft } from '../domain/visma';
import type { VismaClient } from '../transport';
import { DRAFT } from '../records/draft';
import type { GivenRecord, Results } from './drafts';
import { problemsError } from './outcome';
import { putRecord } from './getRecords';
import { planDrafts } from './planDrafts';

export interface DraftChanges {
	fields: DraftFields;
	/** Whether the user set Credit Invoice (fields.isCreditInvoice is always a boolean). */
	setsCreditInvoice: boolean;
	/** New rows replace all rows; undefined keeps the draft's rows. */
	rows?: RowInput[];
	defaultArticle?: GivenRecord;
	createMissingProjects?: boolean;
}

export interface DraftUpdateResult {
	draft: VismaDraft;
	changed: string[];
	matches?: RowMatch[];
}

/**
 * The fields new rows are planned with: what the user gave, else what the draft has (its tax
 * reduction, and reverse charge when its rows carried it), so the rows are checked and built
 * against the draft they go into.
 */
function effectiveFields(draft: VismaDraft, fields: DraftFields): DraftFields {
	const rows = draft.Rows ?? [];
	return {
		...fields,
		taxReduction:
			fields.taxReduction !== undefined ? fields.taxReduction : taxReductionOfDraft(draft),
		reverseCharge:
			fields.reverseCharge ??
			(rows.some((r) => r.ReversedConstructionServicesVatFree === true) ? true : undefined),
	};
}

/**
 * New rows, planned by the same stage as Create plans them (planDrafts: look-ups, the draft's
 * rules, row matching, pricing with the customer's VAT display, projects, body building).
 */
async function planRows(
	client: VismaClient,
	draft: VismaDraft,
	changes: DraftChanges & { rows: RowInput[] },
	itemIndex: number,
): Promise<{ rows: Array<Record<string, unknown>>; matches: RowMatch[] }> {
	const fields = effectiveFields(draft, changes.fields);
	const c = new Checker();
	checkRowsOfDraft(c, fields, changes.rows);
	if (!c.ok) throw problemsError(client.node, c.problems, itemIndex);
	const results: Results = [undefined];
	const [plan] = await planDrafts(
		client,
		[
			{
				index: 0,
				request: {
					itemIndex,
					customer: { id: draft.CustomerId },
					defaultArticle: changes.defaultArticle,
					fields,
					rows: changes.rows,
					createMissingProjects: changes.createMissingProjects,
				},
			},
		],
		results,
	);
	if (!plan) {
		const outcome = results[0];
		throw outcome && !outcome.ok ? outcome.error : new Error('The rows could not be planned');
	}
	return { rows: plan.body.Rows as Array<Record<string, unknown>>, matches: plan.matches };
}

/**
 * PUT replaces the whole draft, so the changes are laid over the fetched one; nothing is sent
 * when nothing differs. A tax reduction given here replaces the draft's (type none removes it).
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
	const reduction = changes.fields.taxReduction;
	if (reduction !== undefined)
		Object.assign(values, reduction ? taxReductionValues(reduction) : clearedTaxReduction());
	const { body, changed } = mergeDraft(draft, values, planned?.rows);
	if (changed.length === 0) return { draft, changed };

	const updated = await putRecord<VismaDraft>(client, DRAFT, {
		id: draft.Id,
		body,
		referenceDataIds: { termsOfPaymentId: changes.fields.termsOfPaymentId },
		itemIndex,
	});
	return { draft: updated, changed, matches: planned?.matches };
}

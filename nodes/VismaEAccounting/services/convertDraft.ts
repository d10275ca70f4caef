import type { VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { isNotFound, passOn, readFailure, resourcePath } from '../transport';
import { DRAFT } from '../records/draft';
import { INVOICE } from '../records/invoice';

export interface ConvertOptions {
	keepOriginalDraftDate?: boolean;
	overrideCompanyKeepOriginalDraftDate?: boolean;
}

/**
 * Whether a conversion whose answer was lost went through: the draft still being there proves
 * it did not; a draft that is gone left the invoice made from it.
 */
async function convertedInvoice(
	client: VismaClient,
	draftId: string,
): Promise<VismaInvoice | undefined> {
	if (await client.getById(DRAFT.path, draftId)) return undefined;
	const [invoice] = await client.findIn<VismaInvoice>(
		`/${INVOICE.path}`,
		'CreatedFromDraftId',
		'guid',
		[draftId],
	);
	return invoice;
}

/** Books a draft as a customer invoice and returns the invoice (with its new number). */
export async function convertDraft(
	client: VismaClient,
	draftId: string,
	options: ConvertOptions,
	itemIndex: number,
): Promise<VismaInvoice & { outcome: 'converted' | 'alreadyConverted' }> {
	try {
		const invoice = await client.request<VismaInvoice>({
			method: 'POST',
			path: resourcePath(DRAFT.path, draftId, 'convert'),
			qs: {
				keepOriginalDraftDate: options.keepOriginalDraftDate,
				overrideCompanyKeepOriginalDraftDate: options.overrideCompanyKeepOriginalDraftDate,
			},
			action: 'draft conversion',
			itemIndex,
			// A booked invoice cannot be deleted: never convert twice, only look.
			resend: 'never',
			verify: async () => await convertedInvoice(client, draftId),
		});
		return { ...invoice, outcome: 'converted' };
	} catch (error) {
		// The draft is gone: if it became an invoice (an earlier run whose answer was lost), that
		// invoice is the answer, so converting is safe to re-run.
		if (!isNotFound(readFailure(error))) throw passOn(client.node, error);
		const invoice = await convertedInvoice(client, draftId);
		if (!invoice) throw passOn(client.node, error);
		return { ...invoice, outcome: 'alreadyConverted' };
	}
}

import type { VismaInvoice } from '../domain/visma';
import type { VismaClient } from '../transport';
import { resourcePath } from '../transport';

export interface ConvertOptions {
	keepOriginalDraftDate?: boolean;
	overrideCompanyKeepOriginalDraftDate?: boolean;
}

/**
 * Whether a conversion whose answer was lost went through: the draft still being there proves
 * it did not; a draft that is gone left the invoice made from it.
 */
async function convertedInvoice(client: VismaClient, draftId: string): Promise<VismaInvoice | undefined> {
	if (await client.getById('customerinvoicedrafts', draftId)) return undefined;
	const [invoice] = await client.findIn<VismaInvoice>('/customerinvoices', 'CreatedFromDraftId', 'guid', [draftId]);
	return invoice;
}

/** Books a draft as a customer invoice and returns the invoice (with its new number). */
export async function convertDraft(
	client: VismaClient,
	draftId: string,
	options: ConvertOptions,
	itemIndex: number,
): Promise<VismaInvoice> {
	return await client.request<VismaInvoice>({
		method: 'POST',
		path: resourcePath('customerinvoicedrafts', draftId, 'convert'),
		qs: {
			keepOriginalDraftDate: options.keepOriginalDraftDate,
			overrideCompanyKeepOriginalDraftDate: options.overrideCompanyKeepOriginalDraftDate,
		},
		action: 'draft conversion',
		itemIndex,
		verify: async () => await convertedInvoice(client, draftId),
	});
}

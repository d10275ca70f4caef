import type { IDataObject } from 'n8n-workflow';

import type { AttachmentFile } from '../../domain/attachment';
import type { AttachRequest } from '../../services/attachments';
import { attachFiles } from '../../services/attachments';
import type { DraftResult } from '../../services/drafts';
import type { Outcome } from '../../services/outcome';
import { success } from '../../services/outcome';
import type { VismaClient } from '../../transport';
import { withAttachments } from '../shared/attachments';

/**
 * The Attachments option of Create Draft Invoice and Export Invoice as Draft, once the drafts
 * are known: each item's files go to the draft it returned (created or found through its
 * source reference), or to the booked invoice its reference found. Files the record has are
 * skipped, so a re-export attaches only what is missing. Results become JSON here.
 */
export async function attachToResults<T extends DraftResult>(
	client: VismaClient,
	requests: Array<{ itemIndex: number }>,
	outcomes: Array<Outcome<T>>,
	filesByItem: Map<number, AttachmentFile[]>,
	toJson: (value: T) => IDataObject,
): Promise<Array<Outcome<IDataObject>>> {
	const attach: Array<AttachRequest & { k: number }> = [];
	outcomes.forEach((outcome, k) => {
		const files = filesByItem.get(requests[k].itemIndex) ?? [];
		if (!outcome.ok || files.length === 0) return;
		attach.push({
			k,
			itemIndex: requests[k].itemIndex,
			kind: outcome.value.outcome === 'existingInvoice' ? 'invoice' : 'draft',
			documentId: outcome.value.draft.Id,
			files,
		});
	});
	const reports = await attachFiles(client, attach);
	const byK = new Map(attach.map((a, j) => [a.k, reports[j]]));
	return outcomes.map((outcome, k) => {
		if (!outcome.ok) return outcome;
		const label = outcome.value.outcome === 'existingInvoice' ? 'invoice' : 'draft';
		return success(
			withAttachments(
				toJson(outcome.value),
				filesByItem.get(requests[k].itemIndex) ?? [],
				byK.get(k),
				label,
			),
		);
	});
}

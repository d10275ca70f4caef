import { sleep } from 'n8n-workflow';

import type { AttachmentFile, ExistingAttachment } from '../domain/attachment';
import { sameFile } from '../domain/attachment';
import { earliest } from '../domain/invoice';
import { DRAFT } from '../records/draft';
import { INVOICE } from '../records/invoice';
import { ATTACHMENT } from '../records/salesDocument';
import type { VismaClient } from '../transport';
import {
	clampDelay,
	isNotFound,
	mapPool,
	pacing,
	passOn,
	readFailure,
	withKeys,
} from '../transport';
import type { Outcome } from './outcome';
import { asItemError, failure, itemError, success } from './outcome';

/** The two kinds of document a file can be attached to, and their endpoints. */
export type DocumentKind = 'draft' | 'invoice';

const ENDPOINT: Record<DocumentKind, { document: string; upload: string; label: string }> = {
	draft: { document: DRAFT.path, upload: 'customerinvoicedraft', label: 'draft invoice' },
	invoice: { document: INVOICE.path, upload: 'customerinvoice', label: 'invoice' },
};

export interface AttachRequest {
	itemIndex: number;
	kind: DocumentKind;
	documentId: string;
	files: AttachmentFile[];
}

/** What happened to one file: attached now, or the document had it already. */
export interface AttachmentReport {
	property: string;
	fileName: string;
	contentType: string;
	size: number;
	outcome: 'attached' | 'alreadyAttached';
	/** The attachment's ID in eAccounting. */
	Id: string;
}

/** Documents are handled this many at a time. */
const CONCURRENCY = 4;

/** The attachments a document has now. */
async function attachmentsOf(
	client: VismaClient,
	kind: DocumentKind,
	documentId: string,
	itemIndex: number,
): Promise<ExistingAttachment[]> {
	const document = await client.getById<{ SalesDocumentAttachments?: string[] | null }>(
		ENDPOINT[kind].document,
		documentId,
		itemIndex,
	);
	if (!document)
		throw itemError(
			client.node,
			`The ${ENDPOINT[kind].label} ${documentId} is not in eAccounting`,
			itemIndex,
			'Nothing was attached. Check the ID; the draft may have been booked or deleted.',
		);
	const ids = document.SalesDocumentAttachments ?? [];
	return [...(await client.getByIds<ExistingAttachment>(ATTACHMENT.path, ids)).values()];
}

/**
 * Attaches the files a document does not have yet (same name and size counts as the same
 * file) and says, file by file, what it attached and what was there already. A file whose
 * answer was lost is looked for, never sent twice.
 */
async function attachToDocument(
	client: VismaClient,
	request: AttachRequest,
): Promise<AttachmentReport[]> {
	const { kind, documentId, itemIndex } = request;
	// Executions in this process that attach to the same document take turns.
	return await withKeys([`${client.scope}|attachments|${documentId.toLowerCase()}`], async () => {
		const known = await attachmentsOf(client, kind, documentId, itemIndex);
		const reports: AttachmentReport[] = [];
		const ours: Array<{ report: AttachmentReport; file: AttachmentFile }> = [];
		for (const file of request.files) {
			const describe = {
				property: file.property,
				fileName: file.fileName,
				contentType: file.contentType,
				size: file.size,
			};
			const there = known.find((a) => sameFile(a, file));
			if (there) {
				reports.push({ ...describe, outcome: 'alreadyAttached', Id: there.Id });
				continue;
			}
			const created = await upload(client, request, file, known);
			known.push(created);
			const report: AttachmentReport = { ...describe, outcome: 'attached', Id: created.Id };
			reports.push(report);
			ours.push({ report, file });
		}
		if (ours.length) await settleTwins(client, request, ours);
		return reports;
	});
}

/** POSTs one file; after a lost answer, the file showing up on the document is the answer. */
async function upload(
	client: VismaClient,
	request: AttachRequest,
	file: AttachmentFile,
	known: ExistingAttachment[],
): Promise<ExistingAttachment> {
	const { kind, documentId, itemIndex } = request;
	const before = new Set(known.map((a) => a.Id.toLowerCase()));
	return await client.request<ExistingAttachment>({
		method: 'POST',
		path: `/${ATTACHMENT.path}/${ENDPOINT[kind].upload}`,
		body: {
			ContentType: file.contentType,
			FileName: file.fileName,
			DockumentId: documentId,
			Data: file.data,
		},
		action: `attachment ${file.fileName}`,
		itemIndex,
		resend: false,
		verify: async () =>
			(await attachmentsOf(client, kind, documentId, itemIndex)).find(
				(a) => !before.has(a.Id.toLowerCase()) && sameFile(a, file),
			),
		lostAnswer: `The file ${file.fileName} may have been attached: the answer was lost and it did not show up on the ${ENDPOINT[kind].label} in time. It was not sent again. Run this item again: a file the ${ENDPOINT[kind].label} has is not attached twice.`,
	});
}

/**
 * Another process (a queue-mode worker) may have attached the same file to the same document
 * at the same moment. After a pause, look once more: of each set of equal files the earliest
 * stays, and this execution deletes only its own later copy, reporting the earliest instead.
 */
async function settleTwins(
	client: VismaClient,
	request: AttachRequest,
	ours: Array<{ report: AttachmentReport; file: AttachmentFile }>,
): Promise<void> {
	const { kind, documentId, itemIndex } = request;
	await sleep(clampDelay(pacing().twinDelayMs));
	const now = await attachmentsOf(client, kind, documentId, itemIndex);
	for (const { report, file } of ours) {
		const keep = earliest(now.filter((a) => sameFile(a, file)));
		if (!keep || keep.Id.toLowerCase() === report.Id.toLowerCase()) continue;
		try {
			await client.request({
				method: 'DELETE',
				path: `/${[ATTACHMENT.path, ENDPOINT[kind].upload, documentId, report.Id].map(encodeURIComponent).join('/')}`,
				action: `duplicate attachment ${file.fileName}`,
				itemIndex,
			});
		} catch (error) {
			if (!isNotFound(readFailure(error))) throw passOn(client.node, error);
		}
		Object.assign(report, { outcome: 'alreadyAttached', Id: keep.Id });
	}
}

/**
 * Attaches each request's files to its document, a few documents at a time. A request
 * without files reports an empty list; a failure stays with its item.
 */
export async function attachFiles(
	client: VismaClient,
	requests: AttachRequest[],
): Promise<Array<Outcome<AttachmentReport[]>>> {
	return await mapPool(requests, CONCURRENCY, async (request) => {
		if (request.files.length === 0) return success<AttachmentReport[]>([]);
		try {
			return success(await attachToDocument(client, request));
		} catch (error) {
			return failure<AttachmentReport[]>(asItemError(client.node, error, request.itemIndex));
		}
	});
}

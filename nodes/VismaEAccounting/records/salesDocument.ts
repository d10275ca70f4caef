import type { RecordType } from './types';

/**
 * Files attached to drafts and invoices. They are read by ID (the document lists its
 * attachments' IDs in SalesDocumentAttachments) and written below the document's kind:
 * POST /salesdocumentattachments/customerinvoicedraft or /customerinvoice.
 */
export const ATTACHMENT = {
	path: 'salesdocumentattachments',
	label: 'Attachment',
	plural: 'attachments',
} satisfies RecordType;

/** Notes; the node keeps its journal of sends and payments on an invoice in them. */
export const NOTE = {
	path: 'notes',
	label: 'Note',
	plural: 'notes',
} satisfies RecordType;

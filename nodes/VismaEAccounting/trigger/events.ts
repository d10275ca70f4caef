import type { IDataObject } from 'n8n-workflow';

import type { SourceReferenceField } from '../domain/invoice';
import { SOURCE_REFERENCE_FIELDS } from '../domain/invoice';
import type { EventKind, PollMemory } from '../domain/polling';
import { parseUtc } from '../domain/pollScan';
import type { VismaRecord } from '../domain/visma';
import { ARTICLE } from '../records/article';
import { CUSTOMER } from '../records/customer';
import { DRAFT } from '../records/draft';
import { INVOICE } from '../records/invoice';
import type { RecordType } from '../records/types';
import { simplify as simplifyRecord } from '../records/types';

export type TriggerEvent =
	| 'changedCustomer'
	| 'invoicePaid'
	| 'newArticle'
	| 'newBookedInvoice'
	| 'newCustomer'
	| 'newDraftInvoice';

/** One event: where it reads, which timestamp it pages on, and how it decides what is new. */
export interface EventSpec {
	name: string;
	description: string;
	/** The records it reads; their descriptor gives the collection and the Simplify fields. */
	record: RecordType;
	/** The timestamp the poll pages on. */
	axis: 'ChangedUtc' | 'CreatedUtc' | 'ModifiedUtc';
	/**
	 * Read changes through Visma's documented `modifiedSinceUtc` parameter (invoices) instead of
	 * a `$filter` and `$orderby` on the axis, which Visma does not document for them.
	 */
	modifiedSince?: boolean;
	kind: EventKind;
	/**
	 * Fields read by the full listing at activation (first-sight and paid events only); a full
	 * listing must see every record once, but only needs enough to remember it.
	 */
	listingFields?: string[];
	/** `$orderby` of a manual test run: newest first. */
	sampleOrder: string;
	/** Records a manual test run may show (the API is asked for newest first, then filtered). */
	sampleFilter?: (record: VismaRecord) => boolean;
	/** Whether the poll emits this record, updating the memory. */
	decide: (memory: PollMemory, record: VismaRecord) => boolean;
	/** At activation: remember the record without emitting it. */
	remember: (memory: PollMemory, record: VismaRecord) => void;
	/** Booked invoices: each item also says where it came from (see invoiceOrigin). */
	origin?: boolean;
}

const id = (record: VismaRecord) => String(record.Id ?? '');
const isPaid = (record: VismaRecord) => record.PaymentStatus === 0;

/** A record created inside the window is new the first time we see it. */
const created = (field: 'CreatedUtc') => ({
	decide: (memory: PollMemory, record: VismaRecord) =>
		memory.isNewCreation(id(record), parseUtc(record[field])),
	remember: (memory: PollMemory, record: VismaRecord) => {
		memory.isNewCreation(id(record), parseUtc(record[field]));
	},
});

export const EVENTS: Record<TriggerEvent, EventSpec> = {
	changedCustomer: {
		name: 'Changed Customer',
		description: 'Triggers when a customer is created or changed',
		record: CUSTOMER,
		axis: 'ChangedUtc',
		kind: 'changed',
		sampleOrder: 'ChangedUtc desc',
		decide: (memory, record) => memory.isNewVersion(id(record), parseUtc(record.ChangedUtc)),
		remember: (memory, record) => {
			memory.isNewVersion(id(record), parseUtc(record.ChangedUtc));
		},
	},
	invoicePaid: {
		name: 'Invoice Paid',
		description: 'Triggers once when a booked customer invoice becomes fully paid',
		record: INVOICE,
		axis: 'ModifiedUtc',
		modifiedSince: true,
		kind: 'paid',
		origin: true,
		listingFields: ['Id', 'CreatedUtc', 'ModifiedUtc', 'PaymentStatus'],
		sampleOrder: 'ModifiedUtc desc',
		sampleFilter: isPaid,
		decide: (memory, record) =>
			memory.isNewlyPaid(id(record), parseUtc(record.CreatedUtc), isPaid(record)),
		remember: (memory, record) =>
			memory.rememberInvoice(id(record), parseUtc(record.CreatedUtc), isPaid(record)),
	},
	newArticle: {
		name: 'New Article',
		description: 'Triggers when an article is created',
		record: ARTICLE,
		axis: 'CreatedUtc',
		kind: 'created',
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
	},
	newBookedInvoice: {
		name: 'New Booked Invoice',
		description:
			'Triggers when a customer invoice is booked, for example when a draft is converted',
		record: INVOICE,
		// Invoices page on ModifiedUtc (the field Visma documents for incremental reads); a new
		// invoice is one whose CreatedUtc is inside the window.
		axis: 'ModifiedUtc',
		modifiedSince: true,
		kind: 'created',
		origin: true,
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
	},
	newCustomer: {
		name: 'New Customer',
		description: 'Triggers when a customer is created',
		record: CUSTOMER,
		// Customers have no CreatedUtc: a new customer is one whose id the trigger has never seen.
		axis: 'ChangedUtc',
		kind: 'firstSight',
		listingFields: ['Id', 'ChangedUtc'],
		sampleOrder: 'ChangedUtc desc',
		decide: (memory, record) => memory.isFirstSight(id(record)),
		remember: (memory, record) => {
			memory.isFirstSight(id(record));
		},
	},
	newDraftInvoice: {
		name: 'New Draft Invoice',
		description: 'Triggers when a customer invoice draft is created',
		record: DRAFT,
		axis: 'CreatedUtc',
		kind: 'created',
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
	},
};

export function isTriggerEvent(value: unknown): value is TriggerEvent {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

/** The record with the Simplify fields of its type: the same fields Get and Get Many return. */
export function simplify(spec: EventSpec, record: VismaRecord): IDataObject {
	return simplifyRecord(spec.record, record) as IDataObject;
}

/** The trigger events whose items say where the invoice came from. */
export const ORIGIN_EVENTS = (Object.keys(EVENTS) as TriggerEvent[]).filter(
	(e) => EVENTS[e].origin,
);

export const isSourceReferenceField = (v: unknown): v is SourceReferenceField =>
	typeof v === 'string' && Object.prototype.hasOwnProperty.call(SOURCE_REFERENCE_FIELDS, v);

/**
 * Where a booked invoice came from, under names that stay the same whatever field the export
 * used: `sourceReference` ({ field, value } as the export's output has it, or null) and
 * `draftId` (the draft it was booked from, or null), so a workflow can tell the source app.
 */
export function invoiceOrigin(record: VismaRecord, field: SourceReferenceField): IDataObject {
	const value = record[field];
	return {
		sourceReference: typeof value === 'string' && value.trim() !== '' ? { field, value } : null,
		draftId: typeof record.CreatedFromDraftId === 'string' ? record.CreatedFromDraftId : null,
	};
}

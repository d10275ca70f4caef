import type { IDataObject } from 'n8n-workflow';

import type { EventKind, PollMemory } from '../domain/polling';
import { parseUtc } from '../domain/polling';

export type TriggerEvent =
	| 'changedCustomer'
	| 'invoicePaid'
	| 'newArticle'
	| 'newBookedInvoice'
	| 'newCustomer'
	| 'newDraftInvoice';

type VismaRecord = IDataObject & { Id?: unknown };

/** One event: where it reads, which timestamp it pages on, and how it decides what is new. */
export interface EventSpec {
	name: string;
	description: string;
	/** Collection below /v2. */
	path: string;
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
	/** Fields kept by Simplify. */
	simplified: string[];
}

const id = (record: VismaRecord) => String(record.Id ?? '');
const isPaid = (record: VismaRecord) => record.PaymentStatus === 0;

const CUSTOMER_FIELDS = [
	'Id',
	'CustomerNumber',
	'Name',
	'IsPrivatePerson',
	'IsActive',
	'EmailAddress',
	'Telephone',
	'MobilePhone',
	'InvoiceAddress1',
	'InvoiceAddress2',
	'InvoicePostalCode',
	'InvoiceCity',
	'InvoiceCountryCode',
	'CorporateIdentityNumber',
	'VatNumber',
	'CurrencyCode',
	'ChangedUtc',
];
const ARTICLE_FIELDS = [
	'Id',
	'Number',
	'Name',
	'IsActive',
	'NetPrice',
	'GrossPrice',
	'UnitName',
	'UnitAbbreviation',
	'CodingName',
	'IsServiceArticle',
	'CreatedUtc',
	'ChangedUtc',
];
const DRAFT_FIELDS = [
	'Id',
	'CustomerId',
	'CustomerNumber',
	'CustomerName',
	'InvoiceDate',
	'DueDate',
	'YourReference',
	'OurReference',
	'InvoiceCurrencyCode',
	'TotalAmount',
	'TotalVatAmount',
	'IsCreditInvoice',
	'CreatedUtc',
];
const INVOICE_FIELDS = [
	'Id',
	'InvoiceNumber',
	'CustomerId',
	'CustomerNumber',
	'CustomerName',
	'InvoiceDate',
	'DueDate',
	'CurrencyCode',
	'TotalAmount',
	'TotalVatAmount',
	'TotalAmountInvoiceCurrency',
	'RemainingAmount',
	'RemainingAmountInvoiceCurrency',
	'PaymentStatus',
	'PaymentDate',
	'YourReference',
	'OurReference',
	'IsCreditInvoice',
	'CreatedFromDraftId',
	'CreatedUtc',
	'ModifiedUtc',
];

/** A record created inside the window is new the first time we see it. */
const created = (field: 'CreatedUtc') => ({
	decide: (memory: PollMemory, record: VismaRecord) => memory.isNewCreation(id(record), parseUtc(record[field])),
	remember: (memory: PollMemory, record: VismaRecord) => {
		memory.isNewCreation(id(record), parseUtc(record[field]));
	},
});

export const EVENTS: Record<TriggerEvent, EventSpec> = {
	changedCustomer: {
		name: 'Changed Customer',
		description: 'Triggers when a customer is created or changed',
		path: '/customers',
		axis: 'ChangedUtc',
		kind: 'changed',
		sampleOrder: 'ChangedUtc desc',
		decide: (memory, record) => memory.isNewVersion(id(record), parseUtc(record.ChangedUtc)),
		remember: (memory, record) => {
			memory.isNewVersion(id(record), parseUtc(record.ChangedUtc));
		},
		simplified: CUSTOMER_FIELDS,
	},
	invoicePaid: {
		name: 'Invoice Paid',
		description: 'Triggers once when a booked customer invoice becomes fully paid',
		path: '/customerinvoices',
		axis: 'ModifiedUtc',
		modifiedSince: true,
		kind: 'paid',
		listingFields: ['Id', 'CreatedUtc', 'ModifiedUtc', 'PaymentStatus'],
		sampleOrder: 'ModifiedUtc desc',
		sampleFilter: isPaid,
		decide: (memory, record) => memory.isNewlyPaid(id(record), parseUtc(record.CreatedUtc), isPaid(record)),
		remember: (memory, record) => memory.rememberInvoice(id(record), parseUtc(record.CreatedUtc), isPaid(record)),
		simplified: INVOICE_FIELDS,
	},
	newArticle: {
		name: 'New Article',
		description: 'Triggers when an article is created',
		path: '/articles',
		axis: 'CreatedUtc',
		kind: 'created',
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
		simplified: ARTICLE_FIELDS,
	},
	newBookedInvoice: {
		name: 'New Booked Invoice',
		description: 'Triggers when a customer invoice is booked, for example when a draft is converted',
		path: '/customerinvoices',
		// Invoices page on ModifiedUtc (the field Visma documents for incremental reads); a new
		// invoice is one whose CreatedUtc is inside the window.
		axis: 'ModifiedUtc',
		modifiedSince: true,
		kind: 'created',
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
		simplified: INVOICE_FIELDS,
	},
	newCustomer: {
		name: 'New Customer',
		description: 'Triggers when a customer is created',
		path: '/customers',
		// Customers have no CreatedUtc: a new customer is one whose id the trigger has never seen.
		axis: 'ChangedUtc',
		kind: 'firstSight',
		listingFields: ['Id', 'ChangedUtc'],
		sampleOrder: 'ChangedUtc desc',
		decide: (memory, record) => memory.isFirstSight(id(record)),
		remember: (memory, record) => {
			memory.isFirstSight(id(record));
		},
		simplified: CUSTOMER_FIELDS,
	},
	newDraftInvoice: {
		name: 'New Draft Invoice',
		description: 'Triggers when a customer invoice draft is created',
		path: '/customerinvoicedrafts',
		axis: 'CreatedUtc',
		kind: 'created',
		sampleOrder: 'CreatedUtc desc',
		...created('CreatedUtc'),
		simplified: DRAFT_FIELDS,
	},
};

export function isTriggerEvent(value: unknown): value is TriggerEvent {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

export function simplify(spec: EventSpec, record: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const field of spec.simplified) if (field in record) out[field] = record[field];
	return out;
}

/**
 * The fields Simplify keeps: enough to identify a record and act on it, small enough for an
 * AI agent's context. Everything else is in the raw record (Simplify off).
 */
export const SIMPLE_FIELDS = {
	customer: [
		'Id',
		'CustomerNumber',
		'Name',
		'CorporateIdentityNumber',
		'EmailAddress',
		'Telephone',
		'InvoicePostalCode',
		'InvoiceCity',
		'IsActive',
		'ChangedUtc',
	],
	article: ['Id', 'Number', 'Name', 'NetPrice', 'GrossPrice', 'UnitName', 'CodingName', 'IsActive', 'ChangedUtc'],
	draft: [
		'Id',
		'CustomerId',
		'CustomerName',
		'InvoiceDate',
		'TotalAmount',
		'TotalVatAmount',
		'YourReference',
		'OurReference',
		'ContractNumber',
		'CreatedUtc',
	],
	invoice: [
		'Id',
		'InvoiceNumber',
		'CustomerId',
		'CustomerName',
		'InvoiceDate',
		'DueDate',
		'CurrencyCode',
		'TotalAmount',
		'RemainingAmount',
		'PaymentStatus',
	],
} as const;

export type SimplifiedKind = keyof typeof SIMPLE_FIELDS;

/** The record with only the Simplify fields of its kind (missing ones become null). */
export function simplify(record: Record<string, unknown>, kind: SimplifiedKind): Record<string, unknown> {
	return Object.fromEntries(SIMPLE_FIELDS[kind].map((field) => [field, record[field] ?? null]));
}

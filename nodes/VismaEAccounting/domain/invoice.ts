import type { Checker } from './check';
import { DRAFT_LIMITS as L } from './limits';

/**
 * The invoice approved elsewhere, as the user maps it: rows and draft fields, checked before
 * anything is looked up or written. Turning it into a draft is planDraft's job (draftPlan.ts:
 * row matching, pricing, body building).
 */
export interface RowInput {
	/** 1-based position in the input, for messages. */
	line: number;
	isTextRow: boolean;
	articleNumber?: string;
	text?: string;
	quantity: number;
	unitPrice?: number;
	discountPercent?: number;
}

/** Draft fields that can hold the source system's invoice number, with their Visma limits. */
export const SOURCE_REFERENCE_FIELDS = {
	ContractNumber: L.ContractNumber,
	YourReference: L.YourReference,
	OurReference: L.OurReference,
	BuyersOrderReference: L.BuyersOrderReference,
	SubscriptionNumber: L.SubscriptionNumber,
} as const;

export type SourceReferenceField = keyof typeof SOURCE_REFERENCE_FIELDS;

/** How the UI names each reference field ("Store Source Reference In"). */
export const SOURCE_REFERENCE_LABELS: Record<SourceReferenceField, string> = {
	ContractNumber: 'Contract Number',
	YourReference: 'Your Reference',
	OurReference: 'Our Reference',
	BuyersOrderReference: "Buyer's Order Reference",
	SubscriptionNumber: 'Subscription Number',
};

export interface DraftFields {
	invoiceDate?: string;
	dueDate?: string;
	yourReference?: string;
	ourReference?: string;
	buyersOrderReference?: string;
	termsOfPaymentId?: string;
	isCreditInvoice: boolean;
	delivery: {
		name?: string;
		address1?: string;
		address2?: string;
		postalCode?: string;
		city?: string;
		countryCode?: string;
	};
	sourceReference?: { field: SourceReferenceField; value: string };
}

const ROW_KEYS = new Set([
	'articleNumber',
	'text',
	'quantity',
	'unitPrice',
	'discountPercent',
	'isTextRow',
]);

export const ROWS_EXPRESSION_EMPTY =
	"expression returned nothing; check that it points at the rows of the input item, e.g. {{ $json.rows }}. On n8n versions whose expression engine cannot read an upstream Code node through $('…'), use $json instead";

/** Checks the rows the user mapped, from the UI list or an array in the item. */
export function checkRows(c: Checker, raw: unknown): RowInput[] {
	let list = raw;
	if (typeof list === 'string' && list.trim().startsWith('[')) {
		try {
			list = JSON.parse(list);
		} catch {
			c.fail('Rows', 'is not valid JSON');
			return [];
		}
	}
	if (list === undefined || list === null || list === '') {
		// Map From Input whose expression found nothing: say so, an empty list is another matter.
		c.fail('Rows', ROWS_EXPRESSION_EMPTY);
		return [];
	}
	if (!Array.isArray(list)) {
		c.fail('Rows', `must be a list of rows, got ${typeof list}`);
		return [];
	}
	if (list.length === 0) {
		c.fail('Rows', 'must contain at least one row');
		return [];
	}
	if (list.length > L.MaxRows) {
		c.fail('Rows', `has ${list.length} rows; an eAccounting draft holds at most ${L.MaxRows}`);
		return [];
	}

	const rows: RowInput[] = [];
	list.forEach((entry: unknown, index) => {
		const rc = c.scope(`Row ${index + 1}`);
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
			rc.fail('Row', 'must be an object with articleNumber, text, quantity and unitPrice');
			return;
		}
		const r = entry as Record<string, unknown>;
		const unknown = Object.keys(r).filter((k) => !ROW_KEYS.has(k));
		if (unknown.length > 0) {
			rc.fail(
				unknown.join(', '),
				`is not a row field; use articleNumber, text, quantity, unitPrice, discountPercent or isTextRow`,
			);
		}
		const isTextRow = rc.bool('Text Row', r.isTextRow, false);
		if (isTextRow) {
			const text = rc.text('Text', r.text, { max: L.RowText, required: true, multiline: true });
			for (const key of ['articleNumber', 'quantity', 'unitPrice', 'discountPercent']) {
				if (r[key] !== undefined && r[key] !== null && r[key] !== '') {
					rc.fail(key, 'cannot be set on a text row');
				}
			}
			rows.push({ line: index + 1, isTextRow, text, quantity: 0 });
			return;
		}
		rows.push({
			line: index + 1,
			isTextRow,
			articleNumber: rc.text('Article Number', r.articleNumber, { max: 40, identifier: true }),
			text: rc.text('Text', r.text, { max: L.RowText, multiline: true }),
			quantity: rc.number('Quantity', r.quantity, { min: -1e9, max: 1e9 }) ?? 1,
			unitPrice: rc.number('Unit Price', r.unitPrice, { min: -99_000_000, max: 99_000_000 }),
			discountPercent: rc.number('Discount (%)', r.discountPercent, { min: 0, max: 100 }),
		});
	});
	if (rows.length > 0 && rows.every((row) => row.isTextRow)) {
		c.fail('Rows', 'need at least one row with an article; a draft cannot hold only text rows');
	}
	return rows;
}

export function checkDraftFields(c: Checker, raw: Record<string, unknown>): DraftFields {
	const fields: DraftFields = {
		invoiceDate: c.date('Invoice Date', raw.invoiceDate),
		dueDate: c.date('Due Date', raw.dueDate),
		yourReference: c.text('Your Reference', raw.yourReference, { max: L.YourReference }),
		ourReference: c.text('Our Reference', raw.ourReference, { max: L.OurReference }),
		buyersOrderReference: c.text("Buyer's Order Reference", raw.buyersOrderReference, {
			max: L.BuyersOrderReference,
		}),
		termsOfPaymentId: c.guid('Terms of Payment', raw.termsOfPaymentId),
		isCreditInvoice: c.bool('Credit Invoice', raw.isCreditInvoice, false),
		delivery: {
			name: c.text('Delivery Name', raw.deliveryName, { max: L.DeliveryCustomerName }),
			address1: c.text('Delivery Address Line 1', raw.deliveryAddress1, {
				max: L.DeliveryAddress1,
			}),
			address2: c.text('Delivery Address Line 2', raw.deliveryAddress2, {
				max: L.DeliveryAddress2,
			}),
			postalCode: c.text('Delivery Postal Code', raw.deliveryPostalCode, {
				max: L.DeliveryPostalCode,
			}),
			city: c.text('Delivery City', raw.deliveryCity, { max: L.DeliveryCity }),
			countryCode: c.countryCode('Delivery Country Code', raw.deliveryCountryCode),
		},
	};
	if (fields.invoiceDate && fields.dueDate && fields.dueDate < fields.invoiceDate) {
		c.fail('Due Date', `(${fields.dueDate}) is before the invoice date (${fields.invoiceDate})`);
	}
	const refField = raw.sourceReferenceField as SourceReferenceField | undefined;
	const blank =
		raw.sourceReference === undefined ||
		raw.sourceReference === null ||
		String(raw.sourceReference).trim() === '';
	if (raw.sourceReferenceSet === true && blank) {
		c.fail(
			'Source Reference',
			'is empty: its expression returned nothing, so this item cannot be protected against a second draft; map the source invoice number, or remove the option to export without that protection',
		);
	} else if (!blank && refField) {
		if (!(refField in SOURCE_REFERENCE_FIELDS)) {
			c.fail(
				'Store Source Reference In',
				`"${String(refField)}" is not a draft field we can search`,
			);
		} else {
			const value = c.text('Source Reference', raw.sourceReference, {
				max: SOURCE_REFERENCE_FIELDS[refField],
				identifier: true,
			});
			const clash: Partial<Record<SourceReferenceField, string | undefined>> = {
				YourReference: fields.yourReference,
				OurReference: fields.ourReference,
				BuyersOrderReference: fields.buyersOrderReference,
			};
			if (clash[refField] !== undefined && clash[refField] !== value) {
				c.fail(
					'Source Reference',
					`is stored in ${refField}, which you also filled in; leave that field empty or store the reference in another field`,
				);
			}
			if (value !== undefined) fields.sourceReference = { field: refField, value };
		}
	}
	return fields;
}

/** Of several drafts or invoices carrying one source reference, the one everybody keeps. */
export function earliest<T extends { Id: string; CreatedUtc?: string | null }>(
	records: T[],
): T | undefined {
	return [...records].sort(
		(a, b) => (a.CreatedUtc ?? '').localeCompare(b.CreatedUtc ?? '') || a.Id.localeCompare(b.Id),
	)[0];
}

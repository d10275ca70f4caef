import type { Checker } from './check';
import { DRAFT_LIMITS as L, PROJECT_LIMITS } from './limits';
import { checkProjectNumber } from './project';
import type { TaxReduction } from './taxReduction';
import { checkTaxReduction } from './taxReduction';
import { checkGreenTechnologyType, checkWorkType } from './workTypes';

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
	/** A discount in money off the row; Visma's API takes only a percentage (see rowPrice). */
	discountAmount?: number;
	/** The VAT rate the row must have: the code of its article's account coding, or a percentage. */
	vatCode?: string;
	projectNumber?: string;
	/** The name a missing project is created with (option Create Missing Projects). */
	projectName?: string;
	/** Reverse-charge construction VAT on this row; undefined: as the invoice says. */
	reverseCharge?: boolean;
	/** ROT/RUT: whether the row is work, which type, how many hours, and its material costs. */
	isWorkCost?: boolean;
	workType?: number;
	workHours?: number;
	materialCosts?: number;
	greenTechnologyType?: number;
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
	/** ROT, RUT or green technology; null: explicitly none; undefined: not given. */
	taxReduction?: TaxReduction | null;
	/** Reverse-charge construction VAT for the invoice: every article row that can carry it. */
	reverseCharge?: boolean;
	/** The project of rows that name none, and the name to create it with. */
	projectNumber?: string;
	projectName?: string;
}

const ROW_KEYS = [
	'articleNumber',
	'text',
	'quantity',
	'unitPrice',
	'discountPercent',
	'discountAmount',
	'isTextRow',
	'vatCode',
	'projectNumber',
	'projectName',
	'reverseCharge',
	'isWorkCost',
	'workType',
	'workHours',
	'materialCosts',
	'greenTechnologyType',
];

/** The keys only article rows take. */
const ARTICLE_ROW_KEYS = ROW_KEYS.filter((k) => k !== 'isTextRow' && k !== 'text');

const given = (v: unknown) => v !== undefined && v !== null && v !== '';

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
		const unknown = Object.keys(r).filter((k) => !ROW_KEYS.includes(k));
		if (unknown.length > 0) {
			rc.fail(unknown.join(', '), `is not a row field; use ${ROW_KEYS.join(', ')}`);
		}
		const isTextRow = rc.bool('Text Row', r.isTextRow, false);
		if (isTextRow) {
			const text = rc.text('Text', r.text, { max: L.RowText, required: true, multiline: true });
			for (const key of ARTICLE_ROW_KEYS) {
				if (given(r[key])) rc.fail(key, 'cannot be set on a text row');
			}
			rows.push({ line: index + 1, isTextRow, text, quantity: 0 });
			return;
		}
		rows.push(checkArticleRow(rc, r, index + 1));
	});
	if (rows.length > 0 && rows.every((row) => row.isTextRow)) {
		c.fail('Rows', 'need at least one row with an article; a draft cannot hold only text rows');
	}
	return rows;
}

/** One article row, with the optional keys it gives. */
function checkArticleRow(rc: Checker, r: Record<string, unknown>, line: number): RowInput {
	const row: RowInput = {
		line,
		isTextRow: false,
		articleNumber: rc.text('Article Number', r.articleNumber, { max: 40, identifier: true }),
		text: rc.text('Text', r.text, { max: L.RowText, multiline: true }),
		quantity: rc.number('Quantity', r.quantity, { min: -1e9, max: 1e9 }) ?? 1,
		unitPrice: rc.number('Unit Price', r.unitPrice, { min: -99_000_000, max: 99_000_000 }),
		discountPercent: rc.number('Discount (%)', r.discountPercent, { min: 0, max: 100 }),
	};
	const optional: Partial<RowInput> = {
		discountAmount:
			rc.money('Discount Amount', r.discountAmount, { min: 0, max: 99_000_000 }) || undefined,
		vatCode: rc.text('VAT Code', r.vatCode, { max: 20, identifier: true }),
		projectNumber: checkProjectNumber(rc, r.projectNumber, false),
		projectName: rc.text('Project Name', r.projectName, { max: PROJECT_LIMITS.Name }),
		reverseCharge: given(r.reverseCharge)
			? rc.bool('Reverse Charge', r.reverseCharge, false)
			: undefined,
		isWorkCost: given(r.isWorkCost) ? rc.bool('Is Work Cost', r.isWorkCost, false) : undefined,
		workType: checkWorkType(rc, r.workType),
		workHours: rc.number('Work Hours', r.workHours, { min: 0, max: 1e6 }),
		materialCosts: rc.money('Material Costs', r.materialCosts, {
			min: 0,
			max: 99_000_000,
		}),
		greenTechnologyType: checkGreenTechnologyType(rc, r.greenTechnologyType),
	};
	for (const [key, value] of Object.entries(optional)) {
		if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
	}
	if (row.discountAmount !== undefined && (row.discountPercent ?? 0) > 0) {
		rc.fail('Discount Amount', 'and Discount (%) are both given; give one of them');
	}
	if (row.projectName !== undefined && row.projectNumber === undefined) {
		rc.fail('Project Name', 'is given without a Project Number');
	}
	return row;
}

/** Today as YYYY-MM-DD (UTC): the date 10-digit identity numbers are read on without an invoice date. */
const todayUtc = () => new Date().toISOString().slice(0, 10);

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
	const taxReduction = checkTaxReduction(c, raw.taxReduction, fields.invoiceDate ?? todayUtc());
	if (taxReduction !== undefined) fields.taxReduction = taxReduction;
	if (given(raw.reverseChargeConstruction)) {
		fields.reverseCharge = c.bool(
			'Reverse-Charge Construction VAT',
			raw.reverseChargeConstruction,
			false,
		);
	}
	const projectNumber = checkProjectNumber(c, raw.projectNumber, false);
	if (projectNumber !== undefined) fields.projectNumber = projectNumber;
	const projectName = c.text('Project Name', raw.projectName, { max: PROJECT_LIMITS.Name });
	if (projectName !== undefined) {
		if (projectNumber === undefined) c.fail('Project Name', 'is given without a Project Number');
		fields.projectName = projectName;
	}
	checkSourceReference(c, raw, fields);
	return fields;
}

/** The source reference and the field it is stored in: searchable, and not filled twice. */
function checkSourceReference(c: Checker, raw: Record<string, unknown>, fields: DraftFields): void {
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
}

/** Of several drafts or invoices carrying one source reference, the one everybody keeps. */
export function earliest<T extends { Id: string; CreatedUtc?: string | null }>(
	records: T[],
): T | undefined {
	return [...records].sort(
		(a, b) => (a.CreatedUtc ?? '').localeCompare(b.CreatedUtc ?? '') || a.Id.localeCompare(b.Id),
	)[0];
}

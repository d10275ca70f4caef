import { isWorkRow } from './draftInput';
import type { DraftFields, RowInput } from './invoice';
import { DISCOUNT_DECIMALS, QUANTITY_DECIMALS, roundHalfAwayFromZero } from './money';
import type { ArticleChoice } from './rowMatch';
import { taxReductionValues } from './taxReduction';

/** Body building: the JSON Visma receives for a draft and its rows, by Visma's names. */
export type RowBody = Record<string, unknown>;

export function textRowBody(row: RowInput): RowBody {
	return { IsTextRow: true, ReversedConstructionServicesVatFree: false, Text: row.text };
}

/** What planning decided for an article row besides its article and price. */
export interface RowExtras {
	/** A fixed-amount discount turned into this fraction (it replaces Discount (%)). */
	discountPercentage?: number;
	reverseCharge?: boolean;
	projectId?: string;
	/** The draft's tax reduction type: work fields go only on ROT and RUT rows. */
	taxReduction?: 'rot' | 'rut' | 'greenTechnology';
}

export function articleRowBody(
	row: RowInput,
	choice: ArticleChoice,
	unitPrice: number,
	extras: RowExtras = {},
): RowBody {
	const body: RowBody = {
		IsTextRow: false,
		ReversedConstructionServicesVatFree: extras.reverseCharge === true,
		ArticleId: choice.article.Id,
		Quantity: roundHalfAwayFromZero(row.quantity, QUANTITY_DECIMALS),
	};
	// A default-article row keeps its own text; a matched row falls back to the article name.
	if (row.text !== undefined) body.Text = row.text;
	else if (choice.match === 'default' && row.articleNumber) body.Text = row.articleNumber;
	body.UnitPrice = unitPrice;
	if (extras.discountPercentage !== undefined) {
		body.DiscountPercentage = extras.discountPercentage;
	} else if (row.discountPercent !== undefined) {
		body.DiscountPercentage = roundHalfAwayFromZero(row.discountPercent / 100, DISCOUNT_DECIMALS);
	}
	if (extras.projectId) body.ProjectId = extras.projectId;
	if (extras.taxReduction === 'rot' || extras.taxReduction === 'rut') {
		body.IsWorkCost = isWorkRow(row);
		if (row.workType !== undefined) body.WorkCostType = row.workType;
		if (row.workHours !== undefined) body.WorkHours = row.workHours;
		if (row.materialCosts !== undefined) body.MaterialCosts = row.materialCosts;
	}
	if (row.greenTechnologyType !== undefined) body.GreenTechnologyType = row.greenTechnologyType;
	return body;
}

/** The body of a new draft. Drafts are sent with `ReplaceUnitPriceWhenZero: false`. */
export function draftBody(
	customerId: string,
	fields: DraftFields,
	rows: RowBody[],
): Record<string, unknown> {
	return {
		CustomerId: customerId,
		EuThirdParty: false,
		RotReducedInvoicingType: 0,
		IsCreditInvoice: fields.isCreditInvoice,
		ReplaceUnitPriceWhenZero: false,
		Rows: rows,
		...draftFieldValues(fields),
		...taxReductionValues(fields.taxReduction),
	};
}

/** The optional draft properties the user filled in, by their Visma names. */
export function draftFieldValues(f: DraftFields): Record<string, string> {
	const values: Record<string, string | undefined> = {
		InvoiceDate: f.invoiceDate,
		DueDate: f.dueDate,
		YourReference: f.yourReference,
		OurReference: f.ourReference,
		BuyersOrderReference: f.buyersOrderReference,
		TermsOfPaymentId: f.termsOfPaymentId,
		DeliveryCustomerName: f.delivery.name,
		DeliveryAddress1: f.delivery.address1,
		DeliveryAddress2: f.delivery.address2,
		DeliveryPostalCode: f.delivery.postalCode,
		DeliveryCity: f.delivery.city,
		DeliveryCountryCode: f.delivery.countryCode,
	};
	if (f.sourceReference) values[f.sourceReference.field] = f.sourceReference.value;
	return Object.fromEntries(
		Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined),
	);
}

import type { DraftFields, RowInput } from './invoice';
import { DISCOUNT_DECIMALS, QUANTITY_DECIMALS, roundHalfAwayFromZero } from './money';
import type { ArticleChoice } from './rowMatch';

/** Body building: the JSON Visma receives for a draft and its rows, by Visma's names. */
export type RowBody = Record<string, unknown>;

export function textRowBody(row: RowInput): RowBody {
	return { IsTextRow: true, ReversedConstructionServicesVatFree: false, Text: row.text };
}

export function articleRowBody(row: RowInput, choice: ArticleChoice, unitPrice: number): RowBody {
	const body: RowBody = {
		IsTextRow: false,
		ReversedConstructionServicesVatFree: false,
		ArticleId: choice.article.Id,
		Quantity: roundHalfAwayFromZero(row.quantity, QUANTITY_DECIMALS),
	};
	// A default-article row keeps its own text; a matched row falls back to the article name.
	if (row.text !== undefined) body.Text = row.text;
	else if (choice.match === 'default' && row.articleNumber) body.Text = row.articleNumber;
	body.UnitPrice = unitPrice;
	if (row.discountPercent !== undefined) {
		body.DiscountPercentage = roundHalfAwayFromZero(row.discountPercent / 100, DISCOUNT_DECIMALS);
	}
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

/** Visma's maximum lengths (UTF-16 code units, as .NET counts them) for the fields we write. */
export const CUSTOMER_LIMITS = {
	CustomerNumber: 16,
	Name: 50,
	InvoiceAddress1: 50,
	InvoiceAddress2: 50,
	InvoicePostalCode: 10,
	InvoiceCity: 50,
	InvoiceCountryCode: 2,
	EmailAddress: 255,
	Telephone: 50,
	MobilePhone: 50,
	VatNumber: 20,
	CorporateIdentityNumber: 20,
	CurrencyCode: 3,
	ContactPersonName: 100,
	Note: 4000,
	WwwAddress: 255,
	DeliveryCustomerName: 100,
	DeliveryAddress1: 50,
	DeliveryAddress2: 50,
	DeliveryPostalCode: 10,
	DeliveryCity: 50,
	DeliveryCountryCode: 2,
} as const;

export const ARTICLE_LIMITS = {
	Number: 40,
	Name: 50,
	NameEnglish: 50,
	Note: 4000,
	MaxPrice: 99_000_000,
} as const;

export const DRAFT_LIMITS = {
	YourReference: 100,
	OurReference: 100,
	BuyersOrderReference: 35,
	ContractNumber: 100,
	SubscriptionNumber: 100,
	ElectronicReference: 100,
	InvoiceAddress1: 50,
	InvoiceAddress2: 50,
	DeliveryCustomerName: 50,
	DeliveryAddress1: 50,
	DeliveryAddress2: 50,
	DeliveryPostalCode: 10,
	DeliveryCity: 50,
	DeliveryCountryCode: 2,
	RowText: 2000,
	RotReducedInvoicingPropertyName: 40,
	RotReducedInvoicingOrgNumber: 11,
	PersonSsn: 50,
	/** LineNumber runs 0..1000, so a draft holds at most 1000 rows. */
	MaxRows: 1000,
} as const;

export const PROJECT_LIMITS = {
	Number: 9,
	Name: 200,
	Notes: 500,
} as const;

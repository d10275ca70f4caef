/** The parts of Visma's API objects this package reads. Visma speaks PascalCase. */

/** Any record of a Visma collection: its Id, and whatever else it holds. */
export interface VismaRecord {
	Id: string;
	[key: string]: unknown;
}

export interface VismaCustomer extends VismaRecord {
	CustomerNumber: string;
	Name: string;
	CurrencyCode?: string | null;
	IsActive?: boolean;
	IsPrivatePerson?: boolean;
	VatNumber?: string | null;
	ReverseChargeOnConstructionServices?: boolean;
}

export interface VismaArticle extends VismaRecord {
	Number: string;
	Name: string;
	IsActive: boolean;
	UnitId?: string;
	CodingId?: string;
	NetPrice?: number;
}

export interface VismaDraft extends VismaRecord {
	CustomerId: string;
	CreatedUtc?: string | null;
	Rows?: Array<Record<string, unknown>>;
}

export interface VismaInvoice extends VismaRecord {
	InvoiceNumber?: number;
	CreatedUtc?: string | null;
	CreatedFromDraftId?: string | null;
}

export interface VismaCompanySettings {
	CurrencyCode?: string | null;
	TermsOfPaymentId?: string;
	ShowPricesExclVatPC?: boolean;
	UsesRotReducedInvoicing?: boolean;
	UsesGreenTechnology?: boolean;
	UsesReverseConstructionVat?: boolean;
	UsesProject?: boolean;
	[key: string]: unknown;
}

/** The parts of Visma's API objects this package reads. Visma speaks PascalCase. */
export interface VismaCustomer {
	Id: string;
	CustomerNumber: string;
	Name: string;
	CurrencyCode?: string | null;
	IsActive?: boolean;
	IsPrivatePerson?: boolean;
	VatNumber?: string | null;
	ReverseChargeOnConstructionServices?: boolean;
	[key: string]: unknown;
}

export interface VismaArticle {
	Id: string;
	Number: string;
	Name: string;
	IsActive: boolean;
	UnitId?: string;
	CodingId?: string;
	NetPrice?: number;
	[key: string]: unknown;
}

export interface VismaDraft {
	Id: string;
	CustomerId: string;
	CreatedUtc?: string | null;
	Rows?: Array<Record<string, unknown>>;
	[key: string]: unknown;
}

export interface VismaInvoice {
	Id: string;
	InvoiceNumber?: number;
	CreatedUtc?: string | null;
	CreatedFromDraftId?: string | null;
	[key: string]: unknown;
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

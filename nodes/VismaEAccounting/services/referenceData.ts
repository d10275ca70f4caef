import type { VismaCompanySettings } from '../domain/visma';
import type { VismaClient } from '../transport';
import {
	ARTICLE_ACCOUNT_CODING,
	BANK_ACCOUNT,
	TERMS_OF_PAYMENT,
	UNIT,
} from '../records/referenceData';

/** Reference data read once per execution and shared by every item. */
export interface TermsOfPayment {
	Id: string;
	Name: string;
	AvailableForSales?: boolean;
}

export interface Unit {
	Id: string;
	Name: string;
	Code?: string | null;
	Abbreviation?: string;
	AbbreviationEnglish?: string | null;
}

export interface AccountCoding {
	Id: string;
	Name: string;
	NameEnglish?: string | null;
	/** Goods or Service. */
	Type?: string | null;
	IsActive?: boolean;
	/** Visma's code of the VAT rate. */
	VatRate?: string | null;
	VatRatePercent?: number;
	/** Set when rows with this coding can carry reverse-charge construction VAT. */
	DomesticSalesSubjectToReversedConstructionVatAccountNumber?: number | null;
}

export interface BankAccount {
	Id: string;
	Name: string;
	IsActive?: boolean;
	BankAccountTypeDescription?: string | null;
	CurrencyCode?: string | null;
	LedgerAccountNumber?: number;
}

export const companySettings = async (client: VismaClient) =>
	await client.memo('companysettings', async () =>
		client.request<VismaCompanySettings>({ method: 'GET', path: '/companysettings' }),
	);

export const termsOfPayments = async (client: VismaClient) =>
	await client.memo('termsofpayments', async () =>
		client.all<TermsOfPayment>(`/${TERMS_OF_PAYMENT.path}`),
	);

export const units = async (client: VismaClient) =>
	await client.memo('units', async () => client.all<Unit>(`/${UNIT.path}`));

export const accountCodings = async (client: VismaClient) =>
	await client.memo('articleaccountcodings', async () =>
		client.all<AccountCoding>(`/${ARTICLE_ACCOUNT_CODING.path}`),
	);

export const bankAccounts = async (client: VismaClient) =>
	await client.memo('bankaccounts', async () => client.all<BankAccount>(`/${BANK_ACCOUNT.path}`));

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Problems with ids that must point at existing reference data, or an empty list. */
export async function checkReferenceDataIds(
	client: VismaClient,
	ids: { termsOfPaymentId?: string; unitId?: string; codingId?: string },
): Promise<Array<{ field: string; message: string }>> {
	const problems: Array<{ field: string; message: string }> = [];
	if (ids.termsOfPaymentId) {
		const term = (await termsOfPayments(client)).find((t) => sameId(t.Id, ids.termsOfPaymentId!));
		if (!term)
			problems.push({
				field: 'Terms of Payment',
				message: `${ids.termsOfPaymentId} does not exist in eAccounting`,
			});
		else if (term.AvailableForSales === false) {
			problems.push({
				field: 'Terms of Payment',
				message: `"${term.Name}" is not available for sales`,
			});
		}
	}
	if (ids.unitId && !(await units(client)).some((u) => sameId(u.Id, ids.unitId!))) {
		problems.push({ field: 'Unit', message: `${ids.unitId} does not exist in eAccounting` });
	}
	if (ids.codingId) {
		const coding = (await accountCodings(client)).find((c) => sameId(c.Id, ids.codingId!));
		if (!coding)
			problems.push({
				field: 'Account Coding',
				message: `${ids.codingId} does not exist in eAccounting`,
			});
		else if (coding.IsActive === false) {
			problems.push({
				field: 'Account Coding',
				message: `"${coding.Name}" is inactive in eAccounting`,
			});
		}
	}
	return problems;
}

import type { RecordType } from './types';

/** Company reference data: read-only lists that other records point at by ID. */
export const UNIT = { path: 'units', label: 'Unit', plural: 'units' } satisfies RecordType;

export const ARTICLE_ACCOUNT_CODING = {
	path: 'articleaccountcodings',
	label: 'Article account coding',
	plural: 'article account codings',
} satisfies RecordType;

export const TERMS_OF_PAYMENT = {
	path: 'termsofpayments',
	label: 'Terms of payment',
	plural: 'terms of payment',
} satisfies RecordType;

export const VAT_CODE = {
	path: 'vatcodes',
	label: 'VAT code',
	plural: 'VAT codes',
} satisfies RecordType;

/** Bank accounts, for payments; reading them needs the ea:purchase_readonly scope. */
export const BANK_ACCOUNT = {
	path: 'bankaccounts',
	label: 'Bank account',
	plural: 'bank accounts',
} satisfies RecordType;

import type { Checker } from './check';
import { CUSTOMER_LIMITS as L } from './limits';
import type { VismaCustomer } from './visma';

/** What a user tells us about a customer, checked and trimmed. */
export interface CustomerInput {
	customerNumber: string;
	name?: string;
	address1?: string;
	address2?: string;
	postalCode?: string;
	city?: string;
	countryCode?: string;
	email?: string;
	phone?: string;
	isPrivatePerson?: boolean;
	vatNumber?: string;
	organisationNumber?: string;
	currency?: string;
	termsOfPaymentId?: string;
	isActive?: boolean;
	/** ReverseChargeOnConstructionServices: Visma needs the VAT number with it. */
	reverseChargeConstruction?: boolean;
}

type Field = Exclude<keyof CustomerInput, 'customerNumber'>;

/** Our field, its label in the node, and the Visma property it fills. */
export const CUSTOMER_FIELDS: ReadonlyArray<{ key: Field; label: string; visma: string }> = [
	{ key: 'name', label: 'Name', visma: 'Name' },
	{ key: 'address1', label: 'Address Line 1', visma: 'InvoiceAddress1' },
	{ key: 'address2', label: 'Address Line 2', visma: 'InvoiceAddress2' },
	{ key: 'postalCode', label: 'Postal Code', visma: 'InvoicePostalCode' },
	{ key: 'city', label: 'City', visma: 'InvoiceCity' },
	{ key: 'countryCode', label: 'Country Code', visma: 'InvoiceCountryCode' },
	{ key: 'email', label: 'Email', visma: 'EmailAddress' },
	{ key: 'phone', label: 'Phone', visma: 'Telephone' },
	{ key: 'isPrivatePerson', label: 'Private Person', visma: 'IsPrivatePerson' },
	{ key: 'vatNumber', label: 'VAT Number', visma: 'VatNumber' },
	{ key: 'organisationNumber', label: 'Organisation Number', visma: 'CorporateIdentityNumber' },
	{ key: 'currency', label: 'Currency', visma: 'CurrencyCode' },
	{ key: 'termsOfPaymentId', label: 'Terms of Payment', visma: 'TermsOfPaymentId' },
	{ key: 'isActive', label: 'Active', visma: 'IsActive' },
	{
		key: 'reverseChargeConstruction',
		label: 'Reverse-Charge Construction VAT',
		visma: 'ReverseChargeOnConstructionServices',
	},
];

export const CUSTOMER_NUMBER_LABEL = 'Customer Number';

export function checkCustomerNumber(
	c: Checker,
	value: unknown,
	required = true,
): string | undefined {
	return c.text(CUSTOMER_NUMBER_LABEL, value, {
		max: L.CustomerNumber,
		required,
		identifier: true,
	});
}

/**
 * Checks every field the user gave; `raw` uses our camelCase keys. Without `numberRequired` an
 * empty number stays '' (Create lets Visma assign one; Update keeps the current one).
 */
export function checkCustomerInput(
	c: Checker,
	raw: Record<string, unknown>,
	numberRequired = true,
): CustomerInput {
	const input: CustomerInput = {
		customerNumber: checkCustomerNumber(c, raw.customerNumber, numberRequired) ?? '',
	};
	const text = (key: Field, label: string, max: number) => c.text(label, raw[key], { max });
	input.name = text('name', 'Name', L.Name);
	input.address1 = text('address1', 'Address Line 1', L.InvoiceAddress1);
	input.address2 = text('address2', 'Address Line 2', L.InvoiceAddress2);
	input.postalCode = text('postalCode', 'Postal Code', L.InvoicePostalCode);
	input.city = text('city', 'City', L.InvoiceCity);
	input.countryCode = c.countryCode('Country Code', raw.countryCode);
	input.email = c.email('Email', raw.email, L.EmailAddress);
	input.phone = text('phone', 'Phone', L.Telephone);
	if (raw.isPrivatePerson !== undefined && raw.isPrivatePerson !== '') {
		input.isPrivatePerson = c.bool('Private Person', raw.isPrivatePerson, false);
	}
	input.vatNumber = c.text(
		'VAT Number',
		typeof raw.vatNumber === 'string'
			? raw.vatNumber.replace(/\s/g, '').toUpperCase()
			: raw.vatNumber,
		{
			max: L.VatNumber,
			pattern: /^[A-Z]{2}[0-9A-Z]{8,12}$/,
			patternHint:
				'a 2-letter country code followed by 8 to 12 letters or digits, e.g. SE556677889901',
		},
	);
	input.organisationNumber = text(
		'organisationNumber',
		'Organisation Number',
		L.CorporateIdentityNumber,
	);
	input.currency = c.currency('Currency', raw.currency);
	input.termsOfPaymentId = c.guid('Terms of Payment', raw.termsOfPaymentId);
	if (raw.isActive !== undefined && raw.isActive !== '')
		input.isActive = c.bool('Active', raw.isActive, true);
	if (raw.reverseChargeConstruction !== undefined && raw.reverseChargeConstruction !== '')
		input.reverseChargeConstruction = c.bool(
			'Reverse-Charge Construction VAT',
			raw.reverseChargeConstruction,
			false,
		);
	return input;
}

/** Fields Visma needs before it will create a customer. */
export function checkCreatable(c: Checker, input: CustomerInput): void {
	const hint = input.customerNumber
		? `is required to create customer ${input.customerNumber}`
		: 'is required to create a customer';
	if (!input.name) c.fail('Name', hint);
	if (!input.postalCode) c.fail('Postal Code', hint);
	if (!input.city) c.fail('City', hint);
	if (input.reverseChargeConstruction && !input.vatNumber) {
		c.fail('VAT Number', `${hint} with reverse-charge construction VAT (Visma needs it)`);
	}
}

/**
 * What a draft asks of a customer Export Invoice as Draft may create: a private person for a
 * tax reduction, reverse-charge construction VAT for reverse-charge rows. A field the user set
 * the other way is an error of the item; a found customer is checked when the draft is planned
 * and never changed for it.
 */
export function customerDefaultsForDraft(
	c: Checker,
	input: CustomerInput,
	draft: { taxReduction: boolean; reverseCharge: boolean },
): Partial<CustomerInput> {
	const defaults: Partial<CustomerInput> = {};
	if (draft.taxReduction) {
		if (input.isPrivatePerson === false)
			c.fail(
				'Private Person',
				'is off, but a tax reduction (ROT, RUT or green technology) needs a private-person customer',
			);
		else defaults.isPrivatePerson = true;
	}
	if (draft.reverseCharge) {
		if (input.isPrivatePerson === true)
			c.fail(
				'Private Person',
				'is on, but reverse-charge construction VAT needs a company customer',
			);
		if (input.reverseChargeConstruction === false)
			c.fail(
				'Reverse-Charge Construction VAT',
				'is off for the customer, but the invoice asks for it',
			);
		else defaults.reverseChargeConstruction = true;
	}
	return defaults;
}

/** The POST body for a new customer. `defaultTermsId` is the company's default terms. */
export function customerCreateBody(
	input: CustomerInput,
	defaultTermsId: string,
): Record<string, unknown> {
	const body: Record<string, unknown> = {
		// Without a number Visma takes the next one from the company's series.
		...(input.customerNumber ? { CustomerNumber: input.customerNumber } : {}),
		IsActive: input.isActive ?? true,
		IsPrivatePerson: input.isPrivatePerson ?? false,
		TermsOfPaymentId: input.termsOfPaymentId ?? defaultTermsId,
	};
	for (const { key, visma } of CUSTOMER_FIELDS) {
		if (input[key] !== undefined && body[visma] === undefined) body[visma] = input[key];
	}
	return body;
}

/**
 * The PUT body: the fetched customer with the user's fields laid over it (PUT replaces the whole
 * record, so everything else must be sent back unchanged), and which fields changed.
 */
export function mergeCustomer(
	existing: VismaCustomer,
	input: CustomerInput,
): { body: Record<string, unknown>; changed: string[] } {
	const body: Record<string, unknown> = { ...existing };
	const changed: string[] = [];
	for (const { key, visma } of CUSTOMER_FIELDS) {
		const next = input[key];
		if (next === undefined) continue;
		const current = existing[visma];
		const same =
			key === 'termsOfPaymentId'
				? String(current ?? '').toLowerCase() === String(next).toLowerCase()
				: next === current;
		if (!same) {
			body[visma] = next;
			changed.push(visma);
		}
	}
	return { body, changed };
}

/** Like mergeCustomer, for an update by ID, which may also give the customer a new number. */
export function mergeCustomerUpdate(
	existing: VismaCustomer,
	input: CustomerInput,
): { body: Record<string, unknown>; changed: string[] } {
	const merged = mergeCustomer(existing, input);
	if (input.customerNumber && input.customerNumber !== existing.CustomerNumber) {
		merged.body.CustomerNumber = input.customerNumber;
		merged.changed.unshift('CustomerNumber');
	}
	return merged;
}

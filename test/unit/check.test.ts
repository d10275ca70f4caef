import { describe, expect, it } from '@jest/globals';

import { Checker } from '../../nodes/VismaEAccounting/domain/check';
import {
	checkCreatable,
	checkCustomerInput,
	customerCreateBody,
	mergeCustomer,
} from '../../nodes/VismaEAccounting/domain/customer';

const problems = (raw: Record<string, unknown>) => {
	const c = new Checker();
	checkCustomerInput(c, raw);
	return c.problems.map((p) => `${p.field} ${p.message}`);
};

describe('customer input', () => {
	it('requires a customer number of at most 16 characters', () => {
		expect(problems({})).toEqual(['Customer Number is required']);
		expect(problems({ customerNumber: '   ' })).toEqual(['Customer Number is required']);
		expect(problems({ customerNumber: '12345678901234567' })).toEqual([
			'Customer Number is too long: 17 characters, Visma allows 16',
		]);
		expect(problems({ customerNumber: 1001 })).toEqual([]);
	});

	it('counts length the way .NET does (UTF-16 code units)', () => {
		expect(problems({ customerNumber: '1', name: '😀'.repeat(25) })).toEqual([]);
		expect(problems({ customerNumber: '1', name: '😀'.repeat(26) })).toEqual([
			'Name is too long: 52 characters, Visma allows 50',
		]);
	});

	it('refuses odd Unicode where it would break matching or display', () => {
		expect(problems({ customerNumber: '10\u200B01' })).toEqual([
			'Customer Number contains invisible characters (zero-width space or similar)',
		]);
		expect(problems({ customerNumber: '1', name: 'Evil\u202Ecorp' })).toEqual([
			'Name contains hidden text-direction characters',
		]);
		expect(problems({ customerNumber: '1', name: 'A\u0000B' })).toEqual([
			'Name contains control characters',
		]);
		expect(problems({ customerNumber: '1', name: 'Broken \uD800' })).toEqual([
			'Name contains broken Unicode (a lone surrogate)',
		]);
		expect(problems({ customerNumber: '1', city: 'Line\nbreak' })).toEqual([
			'City must be on one line',
		]);
	});

	it('accepts quotes and operator words as plain text, and checks typed fields', () => {
		expect(problems({ customerNumber: "10'01", name: "O'Brien' or Name ne '" })).toEqual([]);
		expect(problems({ customerNumber: '1', countryCode: "S' or 1 eq 1" })[0]).toMatch(
			/^Country Code .* is not valid/,
		);
		expect(problems({ customerNumber: '1', termsOfPaymentId: "x' or Id ne '" })[0]).toMatch(
			/is not a valid eAccounting ID/,
		);
		expect(problems({ customerNumber: '1', vatNumber: 'SE 5566' })[0]).toMatch(
			/^VAT Number "SE5566" is not valid/,
		);
		expect(problems({ customerNumber: '1', email: 'not-an-email' })[0]).toMatch(
			/^Email "not-an-email" is not valid/,
		);
		expect(problems({ customerNumber: '1', isPrivatePerson: 'yes' })).toEqual([
			'Private Person must be true or false, got "yes"',
		]);
	});

	it('needs name, postal code and city only to create', () => {
		const c = new Checker();
		const input = checkCustomerInput(c, { customerNumber: 'K-7', name: 'Kund AB' });
		checkCreatable(c, input);
		expect(c.problems.map((p) => p.field)).toEqual(['Postal Code', 'City']);
	});

	it('builds a complete create body with the default terms', () => {
		const c = new Checker();
		const input = checkCustomerInput(c, {
			customerNumber: '2001',
			name: 'Kund AB',
			postalCode: '123 45',
			city: 'Umeå',
			countryCode: 'se',
			currency: 'eur',
		});
		expect(customerCreateBody(input, 'terms-id')).toEqual({
			CustomerNumber: '2001',
			IsActive: true,
			IsPrivatePerson: false,
			TermsOfPaymentId: 'terms-id',
			Name: 'Kund AB',
			InvoicePostalCode: '123 45',
			InvoiceCity: 'Umeå',
			InvoiceCountryCode: 'SE',
			CurrencyCode: 'EUR',
		});
	});

	it('merges changes into the fetched customer and keeps everything else', () => {
		const existing = {
			Id: 'c1',
			CustomerNumber: '2001',
			Name: 'Kund AB',
			InvoiceCity: 'Umeå',
			Note: 'keep me',
			EmailAddress: null,
		};
		const c = new Checker();
		const input = checkCustomerInput(c, {
			customerNumber: '2001',
			name: 'Kund AB',
			city: 'Luleå',
			email: 'a@b.se',
		});
		const { body, changed } = mergeCustomer(existing, input);
		expect(changed).toEqual(['InvoiceCity', 'EmailAddress']);
		expect(body).toEqual({ ...existing, InvoiceCity: 'Luleå', EmailAddress: 'a@b.se' });
		expect(
			mergeCustomer(existing, checkCustomerInput(c, { customerNumber: '2001', name: 'Kund AB' }))
				.changed,
		).toEqual([]);
	});
});

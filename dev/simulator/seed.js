// @ts-check
'use strict';

/**
 * Seed data: a Swedish construction & service company ("Norrsken Bygg & Service AB") with reference data,
 * 120 customers, 41 articles, a few drafts and booked invoices. Everything is deterministic for a given
 * clock reading: ids come from seedId(), dates are relative to the clock's "today".
 */

const { seedId, withSeedIds } = require('./ids');
const { createEmptyState } = require('./state');
const { isoDate } = require('./clock');
const { addDays } = require('./handlers/common');
const { articlePrice } = require('./handlers/drafts');

/** @typedef {import('./state').State} State */
/** @typedef {import('./clock').SimClock} SimClock */
/** @typedef {Record<string, any>} Json */
/** @typedef {'default'|'empty'|'demo'} SeedName */
/** @typedef {(method: string, path: string, body?: any) => { status: number, body: any }} InternalApi */

/** Stable ids of the seeded reference data and a few notable records. */
const SEED_IDS = Object.freeze({
	company: seedId('company'),
	units: Object.freeze({
		styck: seedId('unit:styck'),
		timme: seedId('unit:timme'),
		kilogram: seedId('unit:kilogram'),
		meter: seedId('unit:meter'),
		dag: seedId('unit:dag'),
		manad: seedId('unit:manad'),
		liter: seedId('unit:liter'),
	}),
	codings: Object.freeze({
		varor25: seedId('coding:varor25'),
		varor12: seedId('coding:varor12'),
		varor6: seedId('coding:varor6'),
		tjanster25: seedId('coding:tjanster25'),
		tjanster12: seedId('coding:tjanster12'),
		tjanster6: seedId('coding:tjanster6'),
		momsfri: seedId('coding:momsfri'),
		inactive: seedId('coding:inactive'),
	}),
	termsOfPayment: Object.freeze({
		dagar10: seedId('terms:10'),
		dagar15: seedId('terms:15'),
		dagar20: seedId('terms:20'),
		dagar30: seedId('terms:30'),
		kontant: seedId('terms:kontant'),
		kortbetalning: seedId('terms:kort'),
		purchaseOnly: seedId('terms:purchase30'),
	}),
	vatCodes: Object.freeze({
		moms25: seedId('vat:10'),
		moms12: seedId('vat:11'),
		moms6: seedId('vat:12'),
		momsfri: seedId('vat:42'),
		omvandSkattskyldighet: seedId('vat:41'),
	}),
	bankAccounts: Object.freeze({
		foretagskonto: seedId('bank:1930'),
		sparkonto: seedId('bank:1940'),
	}),
	customers: Object.freeze({
		/** CustomerNumber 1001, a company with booked invoices */
		first: seedId('customer:1001'),
		/** 1002, private person */
		privatePerson: seedId('customer:1002'),
		/** 1003, name with an apostrophe: "O'Learys Restaurang Umeå AB" */
		apostrophe: seedId('customer:1003'),
		/** 1004, EUR customer in Finland */
		eur: seedId('customer:1004'),
		/** 1005, EUR customer in Germany */
		eur2: seedId('customer:1005'),
		/** 1006, ReverseChargeOnConstructionServices with a VAT number */
		reverseCharge: seedId('customer:1006'),
		/** 1007, inactive */
		inactive: seedId('customer:1007'),
		/** 1120, the last seeded customer */
		last: seedId('customer:1120'),
	}),
	articles: Object.freeze({
		/** A100 Arbetstid snickare, 650 SEK/tim, Tjänster 25 % */
		snickare: seedId('article:A100'),
		/** A101 Arbetstid elektriker */
		elektriker: seedId('article:A101'),
		/** A110 Gipsskiva 13 mm, 89 SEK/st, Varor 25 % */
		gipsskiva: seedId('article:A110'),
		/** A135 Facklitteratur bygg, Varor 6 % */
		facklitteratur: seedId('article:A135'),
		/** A139 Lokalhyra (momsfri) */
		momsfri: seedId('article:A139'),
		/** A140, inactive */
		inactive: seedId('article:A140'),
	}),
	projects: Object.freeze({
		/** P100 Badrumsrenovering, ongoing, customer 1001 */
		ongoing: seedId('project:P100'),
		/** P101 Takbyte, ongoing, customer 1006 */
		roof: seedId('project:P101'),
		/** P200 Altanbygge 2025, finished */
		finished: seedId('project:P200'),
	}),
	drafts: Object.freeze({
		first: seedId('draft:1'),
		second: seedId('draft:2'),
		eur: seedId('draft:3'),
	}),
	invoices: Object.freeze({
		paid: seedId('invoice:1'),
		paid2: seedId('invoice:2'),
		unpaid: seedId('invoice:3'),
		unpaid2: seedId('invoice:4'),
		unpaidEur: seedId('invoice:5'),
		overdue: seedId('invoice:6'),
	}),
});

/** @param {string} number */
const customerIdFor = (number) => seedId(`customer:${number}`);
/** @param {string} number */
const articleIdFor = (number) => seedId(`article:${number}`);

/**
 * @param {State} s
 * @param {string} today YYYY-MM-DD
 */
function seedReferenceData(s, today) {
	const ids = SEED_IDS;
	const yearStart = `${today.slice(0, 4)}-01-01T00:00:00`;
	s.company = {
		Name: 'Norrsken Bygg & Service AB',
		Email: 'ekonomi@norrskenbygg.se',
		Phone: '090-14 22 80',
		MobilePhone: '070-312 45 67',
		Address1: 'Storgatan 48',
		Address2: null,
		CountryCode: 'SE',
		PostalCode: '903 26',
		City: 'Umeå',
		Website: 'https://www.norrskenbygg.se',
		OurReference: 'Karin Lindqvist',
		CurrencyCode: 'SEK',
		TermsOfPaymentId: ids.termsOfPayment.dagar30,
		CorporateIdentityNumber: '559123-4567',
		PeppolId: '0007:5591234567',
		VatCode: 'SE559123456701',
		BankGiro: '5371-8246',
		PlusGiro: null,
		BankAccount: '6000-123 456 789',
		Iban: 'SE45 6000 0000 0001 2345 6789',
		AccountNumberDigits: 4,
		AccountingLockedTo: yearStart,
		AccountingLockInterval: 0,
		TaxDeclarationDate: { Month: 5, Day: 2 },
		ProductVariant: 1,
		TypeOfBusiness: 1,
		VatPeriod: 3,
		ActivatedModules: ['api_standard', 'invoicing', 'bookkeeping', 'rotrut'],
		NextCustomerNumber: 1001,
		NextSupplierNumber: 5001,
		NextCustomerInvoiceNumber: 10001,
		NextQuoteNumber: 1,
		NextOrderNumber: 1,
		NextArticleNumber: 1,
		ShowPricesExclVatPC: false,
		UsesMoss: false,
		UsesPaymentReferenceNumber: false,
		DomesticCurrencyRounding: 1,
		AutoInvoice: {
			AutoInvoiceActivationStatus: 0,
			AutoInvoiceB2CStatus: 0,
			AutoInvoiceInboundStatus: 0,
		},
		ApprovalSettings: { UsesSupplierInvoiceApproval: false, UsesVatReportApproval: false },
		UsesCostCenter: false,
		UsesProject: true,
		UsesReverseConstructionVat: true,
		UsesRotReducedInvoicing: true,
		CompanyRotRutSettings: {
			RutMaxAmountForPersBelow65Year: 75000,
			RutMaxAmountForPersOver65Year: 75000,
			RutReducedInvoicingPercent: 0.5,
			RotReducedInvoicingMaxAmount: 50000,
			RotReducedInvoicingPercent: 0.3,
		},
		CompanyStatus: 1,
		CompanyIdentifier: ids.company,
		KeepOriginalDraftDate: false,
		UseAutomaticVatCalculation: true,
		UsesGreenTechnology: false,
		Swish: '123 456 78 90',
	};

	const units = [
		['styck', 'Styck', 'PCS', 'st', 'pcs'],
		['timme', 'Timme', 'HUR', 'tim', 'h'],
		['kilogram', 'Kilogram', 'KGM', 'kg', 'kg'],
		['meter', 'Meter', 'MTR', 'm', 'm'],
		['dag', 'Dag', 'DAY', 'dag', 'day'],
		['manad', 'Månad', 'MON', 'mån', 'mon'],
		['liter', 'Liter', 'LTR', 'l', 'l'],
	];
	for (const [key, Name, Code, Abbreviation, AbbreviationEnglish] of units) {
		const Id = /** @type {Record<string, string>} */ (ids.units)[key];
		s.units.set(Id, { Id, Name, Code, Abbreviation, AbbreviationEnglish });
	}

	const changed = `${today.slice(0, 4)}-01-02T07:00:00Z`;
	/** @type {Array<[string, string, string, 'Goods'|'Service', string, number, boolean, number | null, number | null, number | null]>} */
	const codings = [
		// key, name, english, type, vat code, rate, active, domestic account, EU account, non-EU account
		['varor25', 'Varor 25 %', 'Goods 25 %', 'Goods', '25', 0.25, true, 3001, 3108, 3105],
		['varor12', 'Varor 12 %', 'Goods 12 %', 'Goods', '12', 0.12, true, 3002, 3108, 3105],
		['varor6', 'Varor 6 %', 'Goods 6 %', 'Goods', '6', 0.06, true, 3003, 3108, 3105],
		['tjanster25', 'Tjänster 25 %', 'Services 25 %', 'Service', '25', 0.25, true, 3041, 3308, 3305],
		['tjanster12', 'Tjänster 12 %', 'Services 12 %', 'Service', '12', 0.12, true, 3042, 3308, 3305],
		['tjanster6', 'Tjänster 6 %', 'Services 6 %', 'Service', '6', 0.06, true, 3043, 3308, 3305],
		[
			'momsfri',
			'Momsfri försäljning',
			'VAT exempt sales',
			'Service',
			'0',
			0,
			true,
			3004,
			3004,
			3004,
		],
		[
			'inactive',
			'Tjänster 25 % (gammal)',
			'Services 25 % (old)',
			'Service',
			'25',
			0.25,
			false,
			3040,
			3308,
			3305,
		],
	];
	for (const [
		key,
		Name,
		NameEnglish,
		Type,
		VatRate,
		VatRatePercent,
		IsActive,
		domestic,
		eu,
		nonEu,
	] of codings) {
		const Id = /** @type {Record<string, string>} */ (ids.codings)[key];
		s.articleaccountcodings.set(Id, {
			Id,
			Name,
			NameEnglish,
			Type,
			VatRate,
			IsActive,
			VatRatePercent,
			DomesticSalesSubjectToReversedConstructionVatAccountNumber: Type === 'Service' ? 3231 : null,
			DomesticSalesSubjectToVatAccountNumber: VatRatePercent > 0 ? domestic : null,
			DomesticSalesVatExemptAccountNumber: VatRatePercent === 0 ? domestic : null,
			ForeignSalesSubjectToMossAccountNumber: null,
			ForeignSalesSubjectToThirdPartySalesAccountNumber: 3108,
			ForeignSalesSubjectToVatWithinEuAccountNumber: eu,
			ForeignSalesVatExemptOutsideEuAccountNumber: nonEu,
			ForeignSalesVatExemptWithinEuAccountNumber: eu,
			DomesticSalesVatCodeExemptAccountNumber: VatRatePercent === 0 ? 3004 : null,
			ChangedUtc: changed,
		});
	}

	/** @type {Array<[string, string, string, number, number, string, boolean, boolean]>} */
	const terms = [
		['dagar10', '10 dagar', '10 days', 10, 0, 'Normal', true, true],
		['dagar15', '15 dagar', '15 days', 15, 0, 'Normal', true, true],
		['dagar20', '20 dagar', '20 days', 20, 0, 'Normal', true, true],
		['dagar30', '30 dagar', '30 days', 30, 0, 'Normal', true, true],
		['kontant', 'Kontant', 'Cash', 0, 2, 'Cash', true, false],
		['kortbetalning', 'Kortbetalning', 'Card payment', 0, 3, 'CardPayment', true, false],
		['purchaseOnly', '30 dagar leverantörer', '30 days suppliers', 30, 0, 'Normal', false, true],
	];
	for (const [
		key,
		Name,
		NameEnglish,
		NumberOfDays,
		TermsOfPaymentTypeId,
		TermsOfPaymentTypeText,
		AvailableForSales,
		AvailableForPurchase,
	] of terms) {
		const Id = /** @type {Record<string, string>} */ (ids.termsOfPayment)[key];
		s.termsofpayments.set(Id, {
			Id,
			Name,
			NameEnglish,
			NumberOfDays,
			TermsOfPaymentTypeId,
			TermsOfPaymentTypeText,
			AvailableForSales,
			AvailableForPurchase,
		});
	}

	/** @type {Array<[string, string, string, number, number | null]>} */
	const vat = [
		['moms25', '10', 'Utgående moms 25 %', 25, 2611],
		['moms12', '11', 'Utgående moms 12 %', 12, 2621],
		['moms6', '12', 'Utgående moms 6 %', 6, 2631],
		[
			'omvandSkattskyldighet',
			'41',
			'Försäljning med omvänd skattskyldighet (byggtjänster)',
			0,
			3231,
		],
		['momsfri', '42', 'Momsfri försäljning', 0, null],
	];
	for (const [key, Code, Description, VatRate, account] of vat) {
		const Id = /** @type {Record<string, string>} */ (ids.vatCodes)[key];
		s.vatcodes.set(Id, {
			Id,
			Code,
			Description,
			VatRate,
			OssCodeType: 0,
			RelatedAccounts: { AccountNumber1: account, AccountNumber2: null, AccountNumber3: null },
		});
	}

	const banks = [
		[
			ids.bankAccounts.foretagskonto,
			'Företagskonto',
			'Business account',
			1930,
			true,
			'SE45 6000 0000 0001 2345 6789',
			184532.5,
		],
		[
			ids.bankAccounts.sparkonto,
			'Sparkonto',
			'Savings account',
			1940,
			false,
			'SE12 6000 0000 0009 8765 4321',
			250000,
		],
	];
	for (const [
		Id,
		Name,
		NameEnglish,
		LedgerAccountNumber,
		IsDefaultChequeAccount,
		Iban,
		balance,
	] of banks) {
		s.bankaccounts.set(/** @type {string} */ (Id), {
			Id,
			Name,
			NameEnglish,
			Bank: null,
			BankAccountType: IsDefaultChequeAccount ? 1 : 4,
			BankAccountTypeDescription: IsDefaultChequeAccount ? 'Checkkonto' : 'Sparkonto',
			Bban: null,
			Iban,
			IsActive: true,
			LedgerAccountNumber,
			HasActiveBankAgreement: false,
			IsDefaultChequeAccount,
			CurrencyCode: 'SEK',
			ModifiedUtc: changed,
			Balance: { Balance: balance, Date: `${today}T00:00:00` },
			BankAccountHolderName: 'Norrsken Bygg & Service AB',
		});
	}
}

const COMPANY_STEMS = [
	'Bergström',
	'Lindqvist',
	'Norrlands',
	'Fjällvägens',
	'Ekdahl',
	'Sjöberg',
	'Holmgren',
	'Åkesson',
	'Östlund',
	'Västerbottens',
	'Umeälvens',
	'Granlund',
	'Forsberg',
	'Hägglund',
	'Nyström',
	'Sandvik',
	'Björklund',
	'Lundgren',
	'Strand',
	'Dahlberg',
];
const COMPANY_KINDS = [
	'Bygg AB',
	'El & Data AB',
	'Fastigheter AB',
	'Måleri AB',
	'VVS AB',
	'Transport AB',
	'Konsult AB',
	'Snickeri HB',
	'Trädgård AB',
	'Städ & Service AB',
];
const FIRST_NAMES = [
	'Anna',
	'Erik',
	'Maria',
	'Lars',
	'Karin',
	'Johan',
	'Eva',
	'Anders',
	'Sara',
	'Per',
	'Lena',
	'Mikael',
	'Emma',
	'Nils',
	'Ingrid',
	'Oskar',
	'Elin',
	'Gustav',
	'Sofia',
	'Björn',
];
const LAST_NAMES = [
	'Andersson',
	'Johansson',
	'Karlsson',
	'Nilsson',
	'Eriksson',
	'Larsson',
	'Olsson',
	'Persson',
	'Svensson',
	'Gustafsson',
	'Pettersson',
	'Jonsson',
	'Lindberg',
	'Magnusson',
	'Lindström',
	'Holm',
	'Berg',
	'Sundberg',
	'Öberg',
	'Åström',
];
const STREETS = [
	'Storgatan',
	'Kungsgatan',
	'Rådhusesplanaden',
	'Skolgatan',
	'Västra Esplanaden',
	'Nygatan',
	'Drottninggatan',
	'Järnvägsgatan',
	'Sjögatan',
	'Parkvägen',
	'Björkvägen',
	'Tallvägen',
	'Industrivägen',
	'Hamngatan',
];
/** @type {Array<[string, string, string]>} city, postal code prefix (3 digits), phone area code */
const CITIES = [
	['Umeå', '903', '090'],
	['Umeå', '907', '090'],
	['Stockholm', '114', '08'],
	['Göteborg', '411', '031'],
	['Malmö', '211', '040'],
	['Uppsala', '753', '018'],
	['Luleå', '972', '0920'],
	['Skellefteå', '931', '0910'],
	['Sundsvall', '852', '060'],
	['Östersund', '831', '063'],
	['Örebro', '702', '019'],
	['Västerås', '722', '021'],
	['Linköping', '582', '013'],
	['Växjö', '352', '0470'],
	['Kiruna', '981', '0980'],
];

/** @param {string} s */
function slug(s) {
	return s
		.toLowerCase()
		.replace(/[åä]/g, 'a')
		.replace(/ö/g, 'o')
		.replace(/é/g, 'e')
		.replace(/&/g, 'och')
		.replace(/[^a-z0-9]+/g, '');
}

/**
 * The 120 seeded customers (1001..1120) as POST bodies.
 * @returns {Json[]}
 */
function customerBodies() {
	const ids = SEED_IDS.termsOfPayment;
	/** @type {Json[]} */
	const out = [];
	let companyIndex = 0;
	let personIndex = 0;
	for (let i = 0; i < 120; i++) {
		const number = String(1001 + i);
		const [city, zip, area] = CITIES[(i * 7) % CITIES.length];
		const postal = `${zip} ${String(10 + ((i * 37) % 89)).padStart(2, '0')}`;
		const street = `${STREETS[(i * 5) % STREETS.length]} ${1 + ((i * 13) % 60)}`;
		const phone = `${area}-${String(100000 + ((i * 7919) % 899999)).replace(/(\d{2})(\d{2})(\d{2})/, '$1 $2 $3')}`;
		const isPerson = i === 1 || (i > 7 && i % 3 === 0);
		/** @type {Json} */
		let c;
		if (isPerson) {
			const name = `${FIRST_NAMES[personIndex % FIRST_NAMES.length]} ${LAST_NAMES[(personIndex * 3 + 1 + Math.floor(personIndex / 20) * 7) % LAST_NAMES.length]}`;
			personIndex++;
			c = {
				Name: name,
				IsPrivatePerson: true,
				TermsOfPaymentId: personIndex % 2 ? ids.dagar10 : ids.dagar15,
				EmailAddress: `${slug(name.split(' ')[0])}.${slug(name.split(' ')[1])}@example.se`,
				MobilePhone: `070-${String(1000000 + ((i * 104729) % 8999999)).replace(/(\d{3})(\d{2})(\d{2})/, '$1 $2 $3')}`,
			};
		} else {
			const name = `${COMPANY_STEMS[companyIndex % COMPANY_STEMS.length]} ${COMPANY_KINDS[(companyIndex + Math.floor(companyIndex / COMPANY_STEMS.length) * 3) % COMPANY_KINDS.length]}`;
			companyIndex++;
			const orgNr = `55${String(6000 + ((i * 389) % 3999)).padStart(4, '0')}-${String(1000 + ((i * 7907) % 8999))}`;
			c = {
				Name: name,
				IsPrivatePerson: false,
				TermsOfPaymentId: i % 10 === 4 ? ids.dagar20 : i % 10 === 9 ? ids.dagar15 : ids.dagar30,
				CorporateIdentityNumber: orgNr,
				EmailAddress: `faktura@${slug(name.replace(/ (AB|HB)$/, ''))}.se`,
				ContactPersonName: `${FIRST_NAMES[(i * 3) % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7) % LAST_NAMES.length]}`,
				WwwAddress: `https://www.${slug(name.replace(/ (AB|HB)$/, ''))}.se`,
			};
		}
		out.push({
			CustomerNumber: number,
			InvoiceAddress1: street,
			InvoicePostalCode: postal,
			InvoiceCity: city,
			InvoiceCountryCode: 'SE',
			IsActive: true,
			Telephone: phone,
			...c,
		});
	}
	// Notable customers used by tests and the demo.
	Object.assign(out[0], {
		Name: 'Bergström Bygg AB',
		EmailAddress: 'faktura@bergstrombygg.se',
		WwwAddress: 'https://www.bergstrombygg.se',
		Note: 'Ramavtal 2024–2026. Fakturera månadsvis.',
	});
	Object.assign(out[2], {
		Name: "O'Learys Restaurang Umeå AB",
		EmailAddress: 'ekonomi@olearysumea.se',
		WwwAddress: 'https://www.olearys.se',
		InvoiceAddress1: 'Rådhusesplanaden 17',
		InvoicePostalCode: '903 28',
		InvoiceCity: 'Umeå',
		Telephone: '090-12 77 40',
	});
	Object.assign(out[3], {
		Name: 'Pohjolan Rakennus Oy',
		InvoiceAddress1: 'Hämeenkatu 12',
		InvoicePostalCode: '33100',
		InvoiceCity: 'Tampere',
		InvoiceCountryCode: 'FI',
		CurrencyCode: 'EUR',
		VatNumber: 'FI12345678',
		CorporateIdentityNumber: '1234567-8',
		Telephone: '+358 3 123 4567',
		EmailAddress: 'laskut@pohjolanrakennus.fi',
		WwwAddress: null,
	});
	Object.assign(out[4], {
		Name: 'Holzbau Nordmann GmbH',
		InvoiceAddress1: 'Hafenstraße 7',
		InvoicePostalCode: '20457',
		InvoiceCity: 'Hamburg',
		InvoiceCountryCode: 'DE',
		CurrencyCode: 'EUR',
		VatNumber: 'DE123456789',
		CorporateIdentityNumber: 'HRB 123456',
		Telephone: '+49 40 1234567',
		EmailAddress: 'rechnung@holzbau-nordmann.de',
		WwwAddress: null,
		TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
	});
	Object.assign(out[5], {
		Name: 'Västerbottens Byggentreprenad AB',
		EmailAddress: 'faktura@vbentreprenad.se',
		WwwAddress: 'https://www.vbentreprenad.se',
		CorporateIdentityNumber: '556677-8899',
		VatNumber: 'SE556677889901',
		ReverseChargeOnConstructionServices: true,
	});
	Object.assign(out[6], {
		Name: 'Lindqvist Måleri HB (vilande)',
		EmailAddress: null,
		WwwAddress: null,
		IsActive: false,
	});
	return out;
}

/** @returns {Json[]} article POST bodies, A100..A140 */
function articleBodies() {
	const c = SEED_IDS.codings;
	const u = SEED_IDS.units;
	/** @type {Array<[string, string, string, string, number, number]>} number suffix, name, coding, unit, net price, purchase price */
	const list = [
		['Arbetstid snickare', 'Carpentry labour', c.tjanster25, u.timme, 650, 0],
		['Arbetstid elektriker', 'Electrician labour', c.tjanster25, u.timme, 695, 0],
		['Arbetstid målare', 'Painter labour', c.tjanster25, u.timme, 595, 0],
		['Arbetstid VVS-montör', 'Plumber labour', c.tjanster25, u.timme, 720, 0],
		['Projektledning', 'Project management', c.tjanster25, u.timme, 850, 0],
		['Besiktning', 'Inspection', c.tjanster25, u.styck, 2500, 0],
		['Resekostnad', 'Travel cost', c.tjanster25, u.styck, 350, 0],
		['Servicebil per dag', 'Service van per day', c.tjanster25, u.dag, 900, 0],
		['Maskinhyra minigrävare', 'Mini excavator rental', c.tjanster25, u.dag, 1850, 0],
		['Ställningshyra', 'Scaffolding rental', c.tjanster25, u.manad, 4200, 0],
		['Gipsskiva 13 mm', 'Plasterboard 13 mm', c.varor25, u.styck, 89, 54.5],
		['Regel 45x95 trä', 'Stud 45x95 timber', c.varor25, u.meter, 32.5, 18.9],
		['Isolering mineralull 95 mm', 'Mineral wool 95 mm', c.varor25, u.styck, 459, 289],
		['Spackel 10 l', 'Filler 10 l', c.varor25, u.styck, 279, 160],
		['Väggfärg vit 10 l', 'Wall paint white 10 l', c.varor25, u.styck, 899, 520],
		['Takfärg 10 l', 'Ceiling paint 10 l', c.varor25, u.styck, 749, 430],
		['Kakel vit 20x25', 'White tiles 20x25', c.varor25, u.styck, 12.75, 6.4],
		['Fogmassa', 'Sealant', c.varor25, u.styck, 129, 64],
		['Elkabel EKK 3G1,5', 'Cable EKK 3G1.5', c.varor25, u.meter, 12.9, 5.1],
		['Vägguttag dubbelt', 'Double wall socket', c.varor25, u.styck, 149, 61],
		['LED-armatur', 'LED fixture', c.varor25, u.styck, 695, 310],
		['Kopparrör 15 mm', 'Copper pipe 15 mm', c.varor25, u.meter, 89, 47],
		['Köksblandare', 'Kitchen mixer tap', c.varor25, u.styck, 1895, 990],
		['Golvbrunn', 'Floor drain', c.varor25, u.styck, 1290, 640],
		['Byggmaterial diverse', 'Sundry building material', c.varor25, u.styck, 100, 0],
		['Sand 0-8 mm', 'Sand 0-8 mm', c.varor25, u.kilogram, 0.85, 0.32],
		['Spolarvätska', 'Washer fluid', c.varor25, u.liter, 24.5, 11],
		['Containerhyra', 'Container rental', c.tjanster25, u.dag, 650, 0],
		['Avfallshantering', 'Waste handling', c.tjanster25, u.styck, 1200, 0],
		['Fönsterputs', 'Window cleaning', c.tjanster25, u.timme, 450, 0],
		['Trädgårdsskötsel', 'Garden maintenance', c.tjanster25, u.timme, 480, 0],
		['Snöröjning', 'Snow clearing', c.tjanster25, u.timme, 520, 0],
		['Serviceavtal', 'Service agreement', c.tjanster25, u.manad, 1500, 0],
		['Energirådgivning', 'Energy consulting', c.tjanster25, u.timme, 950, 0],
		['Kursmaterial', 'Course material', c.varor6, u.styck, 250, 120],
		['Facklitteratur bygg', 'Construction handbook', c.varor6, u.styck, 395, 210],
		['Fika vid byggmöte', 'Refreshments at site meeting', c.varor12, u.styck, 65, 30],
		['Hotellnatt', 'Hotel night', c.tjanster12, u.styck, 1290, 0],
		['Persontransport', 'Passenger transport', c.tjanster6, u.styck, 450, 0],
		['Lokalhyra (momsfri)', 'Premises rental (VAT exempt)', c.momsfri, u.dag, 2500, 0],
		[
			'Arbetstid lärling (utgått)',
			'Apprentice labour (discontinued)',
			c.tjanster25,
			u.timme,
			395,
			0,
		],
	];
	return list.map(([Name, NameEnglish, CodingId, UnitId, NetPrice, PurchasePrice], i) => ({
		Number: `A${100 + i}`,
		Name,
		NameEnglish,
		IsActive: i !== 40,
		CodingId,
		UnitId,
		NetPrice,
		...(PurchasePrice ? { PurchasePrice } : {}),
	}));
}

/**
 * Creates a record through the API handlers (so seed data obeys the same rules) under a stable id.
 * @param {State} state
 * @param {InternalApi} api
 * @param {'customers'|'articles'|'customerinvoicedrafts'|'projects'} collection
 * @param {string} id
 * @param {Json} body
 * @param {Json} [patch] server-side fields to backdate
 */
function create(state, api, collection, id, body, patch = {}) {
	const res = withSeedIds(id, () => api('POST', `/v2/${collection}`, body));
	if (res.status !== 201)
		throw new Error(`seed: POST ${collection} failed: ${JSON.stringify(res.body)}`);
	const stored = /** @type {Json} */ (state[collection].get(res.body.Id));
	state[collection].delete(res.body.Id);
	Object.assign(stored, patch, { Id: id });
	state[collection].set(id, stored);
	return stored;
}

/**
 * Books a seeded draft and backdates the invoice.
 * @param {State} state
 * @param {InternalApi} api
 * @param {string} draftId
 * @param {string} id
 * @param {string} invoiceDate
 * @param {string} createdUtc
 */
function book(state, api, draftId, id, invoiceDate, createdUtc) {
	const res = withSeedIds(id, () =>
		api(
			'POST',
			`/v2/customerinvoicedrafts/${draftId}/convert?keepOriginalDraftDate=true&overrideCompanyKeepOriginalDraftDate=true`,
		),
	);
	if (res.status !== 201) throw new Error(`seed: convert failed: ${JSON.stringify(res.body)}`);
	const inv = /** @type {Json} */ (state.customerinvoices.get(res.body.Id));
	state.customerinvoices.delete(res.body.Id);
	inv.Id = id;
	inv.CreatedUtc = createdUtc;
	inv.ModifiedUtc = createdUtc;
	inv.InvoiceDate = `${invoiceDate}T00:00:00`;
	state.customerinvoices.set(id, inv);
	const customer = state.customers.get(inv.CustomerId);
	if (customer) customer.LastInvoiceDate = inv.InvoiceDate;
	return inv;
}

/**
 * @param {Json} inv
 * @param {string} date YYYY-MM-DD
 * @param {string} modifiedUtc
 */
function markPaid(inv, date, modifiedUtc) {
	inv.RemainingAmount = 0;
	inv.RemainingAmountInvoiceCurrency = 0;
	inv.PaymentDate = `${date}T00:00:00`;
	inv.ModifiedUtc = modifiedUtc;
}

/**
 * Builds a fresh state for a seed.
 * @param {SeedName} name
 * @param {SimClock} clock
 * @param {(state: State) => InternalApi} apiFor in-process API bound to the new state
 * @returns {State}
 */
function buildSeed(name, clock, apiFor) {
	if (name !== 'default' && name !== 'empty' && name !== 'demo')
		throw new TypeError(`Unknown seed '${String(name)}'. Use default, empty or demo.`);
	const state = createEmptyState();
	const now = clock.now();
	const today = isoDate(now);
	const nowMs = now.getTime();
	/** @param {number} days */
	const daysAgoUtc = (days) => new Date(nowMs - days * 86400000).toISOString();
	seedReferenceData(state, today);
	if (name === 'empty') return state;

	const api = apiFor(state);
	const customers = customerBodies();
	customers.forEach((body, i) =>
		create(state, api, 'customers', customerIdFor(body.CustomerNumber), body, {
			ChangedUtc: daysAgoUtc(400 - i * 3),
		}),
	);
	articleBodies().forEach((body, i) => {
		const ts = daysAgoUtc(380 - i * 5);
		create(state, api, 'articles', articleIdFor(body.Number), body, {
			CreatedUtc: ts,
			ChangedUtc: ts,
		});
	});

	/** @type {Array<[string, string, string, string | null, number, number]>} id, number, name, customer, status, started days ago */
	const projects = [
		[
			SEED_IDS.projects.ongoing,
			'P100',
			'Badrumsrenovering Bergström',
			SEED_IDS.customers.first,
			1,
			30,
		],
		[
			SEED_IDS.projects.roof,
			'P101',
			'Takbyte Västerbotten',
			SEED_IDS.customers.reverseCharge,
			1,
			20,
		],
		[SEED_IDS.projects.finished, 'P200', 'Altanbygge 2025', null, 2, 300],
	];
	projects.forEach(([id, Number, Name, CustomerId, Status, startedDaysAgo]) =>
		create(
			state,
			api,
			'projects',
			id,
			{
				Number,
				Name,
				Status,
				StartDate: addDays(today, -startedDaysAgo),
				...(Status === 2 ? { EndDate: addDays(today, -startedDaysAgo + 60) } : {}),
				...(CustomerId ? { CustomerId } : {}),
			},
			{ ModifiedUtc: daysAgoUtc(startedDaysAgo) },
		),
	);

	const A = SEED_IDS.articles;
	const C = SEED_IDS.customers;
	const row = (
		/** @type {string} */ ArticleId,
		/** @type {number} */ Quantity,
		/** @type {Json} */ extra = {},
	) => ({
		IsTextRow: false,
		ReversedConstructionServicesVatFree: false,
		ArticleId,
		Quantity,
		...extra,
	});
	const text = (/** @type {string} */ Text) => ({
		IsTextRow: true,
		ReversedConstructionServicesVatFree: false,
		Text,
	});
	// Seeded rows state the article's price: an omitted UnitPrice would be 0.
	/**
	 * @param {string} customerId
	 * @param {Json} r
	 */
	const priced = (customerId, r) => {
		if (r.IsTextRow || r.UnitPrice !== undefined) return r;
		const currency = state.customers.get(customerId)?.CurrencyCode || state.company.CurrencyCode;
		return {
			...r,
			UnitPrice: articlePrice(/** @type {Json} */ (state.articles.get(r.ArticleId)), currency),
		};
	};
	const draft = (
		/** @type {string} */ CustomerId,
		/** @type {Json[]} */ Rows,
		/** @type {Json} */ extra = {},
	) => ({
		CustomerId,
		EuThirdParty: false,
		RotReducedInvoicingType: 0,
		Rows: Rows.map((r) => priced(CustomerId, r)),
		...extra,
	});

	/** @type {Array<[string, Json, string, number, 'paid'|'unpaid'|'overdue']>} invoice id, draft body, invoice date, days ago created, status */
	const booked = [
		[
			SEED_IDS.invoices.paid,
			draft(C.first, [row(A.snickare, 24), row(A.gipsskiva, 40)], {
				YourReference: 'Erik Bergström',
				OurReference: 'Karin Lindqvist',
			}),
			addDays(today, -75),
			75,
			'paid',
		],
		[
			SEED_IDS.invoices.paid2,
			draft(customerIdFor('1010'), [row(A.elektriker, 6.5), row(articleIdFor('A119'), 8)], {
				YourReference: 'Projekt Tallbacken',
			}),
			addDays(today, -60),
			60,
			'paid',
		],
		[
			SEED_IDS.invoices.unpaid,
			draft(C.first, [row(A.snickare, 16), text('Etapp 2 enligt offert 2031.')], {
				YourReference: 'Erik Bergström',
			}),
			addDays(today, -10),
			10,
			'unpaid',
		],
		[
			SEED_IDS.invoices.unpaid2,
			draft(C.privatePerson, [row(articleIdFor('A130'), 5)]),
			addDays(today, -3),
			3,
			'unpaid',
		],
		[
			SEED_IDS.invoices.unpaidEur,
			draft(C.eur, [row(articleIdFor('A104'), 10, { UnitPrice: 74.5 })], {
				YourReference: 'Matti Virtanen',
			}),
			addDays(today, -5),
			5,
			'unpaid',
		],
		[
			SEED_IDS.invoices.overdue,
			draft(customerIdFor('1011'), [row(articleIdFor('A102'), 12), row(articleIdFor('A114'), 3)]),
			addDays(today, -45),
			45,
			'overdue',
		],
	];
	if (name === 'demo') {
		for (let m = 0; m < 12; m++) {
			const customer = customerIdFor(String(1020 + m * 3));
			booked.push([
				seedId(`invoice:demo:${m}`),
				draft(customer, [
					row(articleIdFor(`A${100 + (m % 10)}`), 4 + m),
					row(articleIdFor(`A${110 + (m % 15)}`), 2 + (m % 4)),
				]),
				addDays(today, -180 + m * 12),
				180 - m * 12,
				m < 10 ? 'paid' : 'unpaid',
			]);
		}
	}
	booked.forEach(([invoiceId, body, invoiceDate, daysAgo, status], i) => {
		const draftId = seedId(`draft:booked:${i}`);
		create(
			state,
			api,
			'customerinvoicedrafts',
			draftId,
			{ ...body, InvoiceDate: invoiceDate },
			{ CreatedUtc: daysAgoUtc(daysAgo) },
		);
		const inv = book(state, api, draftId, invoiceId, invoiceDate, daysAgoUtc(daysAgo));
		if (status === 'paid') markPaid(inv, addDays(invoiceDate, 20), daysAgoUtc(daysAgo - 20));
	});

	create(
		state,
		api,
		'customerinvoicedrafts',
		SEED_IDS.drafts.first,
		draft(C.first, [row(A.snickare, 8), row(A.gipsskiva, 12)], { YourReference: 'Erik Bergström' }),
		{
			CreatedUtc: daysAgoUtc(2),
		},
	);
	create(
		state,
		api,
		'customerinvoicedrafts',
		SEED_IDS.drafts.second,
		draft(
			C.apostrophe,
			[
				text('Servicebesök kök enligt avtal.'),
				row(articleIdFor('A103'), 3.5),
				row(articleIdFor('A122'), 1),
			],
			{ OurReference: 'Karin Lindqvist' },
		),
		{ CreatedUtc: daysAgoUtc(1) },
	);
	create(
		state,
		api,
		'customerinvoicedrafts',
		SEED_IDS.drafts.eur,
		draft(C.eur2, [row(articleIdFor('A104'), 6, { UnitPrice: 74.25 })]),
		{ CreatedUtc: daysAgoUtc(1) },
	);
	return state;
}

module.exports = { SEED_IDS, articleIdFor, buildSeed, customerIdFor };

// @ts-check
'use strict';

/** @typedef {Record<string, any>} Json */

/**
 * In-memory company data. Maps keep insertion order, which is the default list order.
 * Values are stored model objects (writable fields plus server-set fields); handlers render them.
 * @typedef {object} State
 * @property {Json} company CompanySettingsApi values
 * @property {Map<string, Json>} units
 * @property {Map<string, Json>} articleaccountcodings
 * @property {Map<string, Json>} termsofpayments
 * @property {Map<string, Json>} vatcodes
 * @property {Map<string, Json>} bankaccounts
 * @property {Map<string, Json>} customers
 * @property {Map<string, Json>} articles
 * @property {Map<string, Json>} customerinvoicedrafts
 * @property {Map<string, Json>} customerinvoices
 * @property {Map<string, Json>} salesdocumentattachments files attached to drafts and invoices (`_data` holds the bytes)
 * @property {Map<string, Json>} notes
 * @property {Map<string, Json>} projects
 * @property {Json[]} outbox invoices sent by email or e-invoice, oldest first
 * @property {Map<string, { invoiceId: string, expiresAt: number }>} files temporary anonymous PDF links
 * @property {number} voucherSeq
 */

/** Currencies the simulated company can invoice in, with fixed SEK rates. */
const CURRENCY_RATES = /** @type {Record<string, number>} */ ({
	SEK: 1,
	EUR: 11.45,
	NOK: 0.98,
	DKK: 1.535,
	USD: 10.62,
	GBP: 13.41,
});

const EU_COUNTRIES = new Set(
	'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '),
);

/** @returns {State} */
function createEmptyState() {
	return {
		company: {},
		units: new Map(),
		articleaccountcodings: new Map(),
		termsofpayments: new Map(),
		vatcodes: new Map(),
		bankaccounts: new Map(),
		customers: new Map(),
		articles: new Map(),
		customerinvoicedrafts: new Map(),
		customerinvoices: new Map(),
		salesdocumentattachments: new Map(),
		notes: new Map(),
		projects: new Map(),
		outbox: [],
		files: new Map(),
		voucherSeq: 1,
	};
}

module.exports = { CURRENCY_RATES, EU_COUNTRIES, createEmptyState };

// @ts-check
'use strict';
/**
 * The benchmark's company and approvals, shared by the in-process runs (bench/inProcess.js) and
 * the real-n8n runs (bench/n8n.js): the same customers, articles and approved invoices.
 */
const { SEED_IDS } = require('../dev/simulator');

/** @typedef {Awaited<ReturnType<typeof import('../dev/simulator').startSimulator>>} Simulator */

/**
 * @typedef {object} Approval an approved invoice as a webhook delivers it
 * @property {string} invoiceNumber
 * @property {{ number: string, name: string, postalCode: string, city: string }} customer
 * @property {Array<{ articleNumber: string, text: string, quantity: number, unitPrice: number }>} rows
 */

const ROWS = 3;
const pad = (/** @type {number} */ n, /** @type {number} */ w) => String(n).padStart(w, '0');
const customerNumber = (/** @type {number} */ i) => `B-${pad(i, 4)}`;
const articleNumber = (/** @type {number} */ i) => `ART-${pad(i, 3)}`;

/**
 * A company sized for `invoices` approved invoices: a fifth as many customers (a quarter of them
 * new), 0.3 article numbers per invoice (a fifth of them unknown, so those rows take the default
 * article), 3 rows per invoice.
 * @param {number} invoices
 */
function company(invoices) {
	const customers = Math.round(invoices / 5);
	const newCustomers = Math.round(customers / 4);
	const articles = Math.round((invoices * ROWS) / 10);
	const unknownArticles = Math.round(articles / 5);

	/** @type {Approval[]} */
	const approved = Array.from({ length: invoices }, (_, n) => {
		const c = n % customers;
		return {
			invoiceNumber: `INV-${pad(n, 6)}`,
			customer: {
				number: customerNumber(c),
				name: `Bench Kund ${c} AB`,
				postalCode: '903 26',
				city: 'Umeå',
			},
			rows: Array.from({ length: ROWS }, (__, r) => ({
				articleNumber: articleNumber((n * ROWS + r * 101) % articles),
				text: `Rad ${r + 1}`,
				quantity: 1 + ((n + r) % 5),
				unitPrice: 100 + ((n * 7 + r) % 900),
			})),
		};
	});

	/**
	 * Approval `n` with its own reference (`<prefix>-n`) for existing customer `c`: what the
	 * webhook runs send.
	 * @param {string} prefix
	 * @param {number} n
	 * @param {number} c
	 * @returns {Approval}
	 */
	const approval = (prefix, n, c) => ({
		...approved[n % invoices],
		invoiceNumber: `${prefix}-${pad(n, 6)}`,
		customer: approved[c % (customers - newCustomers)].customer,
	});

	/**
	 * Approval `n` with one more row, on an article that does not exist: the node creates the
	 * default article only for a row that uses it, so warm-ups that should leave it behind send
	 * this.
	 * @param {string} prefix
	 * @param {number} n
	 * @param {number} c
	 * @returns {Approval}
	 */
	const approvalUsingDefault = (prefix, n, c) => {
		const a = approval(prefix, n, c);
		const row = {
			articleNumber: articleNumber(articles - 1),
			text: 'Övrigt',
			quantity: 1,
			unitPrice: 50,
		};
		return { ...a, rows: [...a.rows, row] };
	};

	/**
	 * Creates the customers and articles that exist before an export (the rest are new or
	 * unknown), straight in the simulator.
	 * @param {Simulator} sim
	 */
	function seed(sim) {
		for (let c = 0; c < customers - newCustomers; c++) {
			const r = sim.api('POST', '/v2/customers', {
				CustomerNumber: customerNumber(c),
				Name: `Bench Kund ${c} AB`,
				InvoicePostalCode: '903 26',
				InvoiceCity: 'Umeå',
				TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
				IsPrivatePerson: false,
				IsActive: true,
			});
			if (r.status !== 201) throw new Error(`seeding customer: ${JSON.stringify(r.body)}`);
		}
		for (let a = 0; a < articles - unknownArticles; a++) {
			const r = sim.api('POST', '/v2/articles', {
				Number: articleNumber(a),
				Name: `Artikel ${a}`,
				IsActive: true,
				UnitId: SEED_IDS.units.styck,
				CodingId: SEED_IDS.codings.varor25,
				NetPrice: 100,
			});
			if (r.status !== 201) throw new Error(`seeding article: ${JSON.stringify(r.body)}`);
		}
	}

	return {
		invoices,
		rows: ROWS,
		customers,
		newCustomers,
		articles,
		unknownArticles,
		approved,
		approval,
		approvalUsingDefault,
		seed,
	};
}

/**
 * Records that exist more than once although the node must create each only once: drafts per
 * reference, customers per number, default articles.
 * @param {Simulator} sim
 */
function duplicates(sim) {
	/** @type {Map<string, number>} */
	const refs = new Map();
	for (const d of sim.list('customerinvoicedrafts'))
		refs.set(d.ContractNumber, (refs.get(d.ContractNumber) ?? 0) + 1);
	const numbers = sim.list('customers').map((c) => c.CustomerNumber);
	const defaults = sim.list('articles').filter((a) => a.Number === 'DEFAULT').length;
	return (
		[...refs.values()].reduce((s, n) => s + n - 1, 0) +
		(numbers.length - new Set(numbers).size) +
		Math.max(0, defaults - 1)
	);
}

/**
 * Exactly-once for one burst: each of `references` is carried by exactly one draft.
 * Returns the references that are not (none: every reference was drafted once).
 * @param {Simulator} sim
 * @param {string[]} references
 */
function notDraftedOnce(sim, references) {
	/** @type {Map<string, number>} */
	const count = new Map();
	for (const d of sim.list('customerinvoicedrafts'))
		count.set(d.ContractNumber, (count.get(d.ContractNumber) ?? 0) + 1);
	return [...new Set(references)]
		.filter((r) => count.get(r) !== 1)
		.map((r) => `${r}: ${count.get(r) ?? 0} drafts`);
}

/**
 * p50 and max of answer times in ms.
 * @param {number[]} ms
 */
function answerTimes(ms) {
	const sorted = [...ms].sort((a, b) => a - b);
	return {
		p50Ms: Math.round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0),
		maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
	};
}

/**
 * API calls of a run (429s are not calls Visma served; token requests are counted apart), and
 * the calls per approval by endpoint.
 * @param {import('../dev/simulator/recorder').Stats} stats
 * @param {number} approvals
 */
function callFigures(stats, approvals) {
	/** @type {Record<string, number>} */
	const byEndpoint = {};
	let calls = 0;
	for (const [endpoint, n] of Object.entries(stats.byEndpoint)) {
		if (endpoint.endsWith('connect/token')) continue;
		byEndpoint[endpoint] = n;
		calls += n;
	}
	calls -= stats.rateLimited;
	/** @type {Record<string, number>} */
	const perApproval = {};
	for (const [endpoint, n] of Object.entries(byEndpoint).sort())
		perApproval[endpoint] = Number((n / approvals).toFixed(2));
	return {
		calls,
		callsPerApproval: Number((calls / approvals).toFixed(2)),
		byEndpoint,
		perApproval,
		rateLimited429: stats.rateLimited,
		tokenRequests: stats.tokenRequests,
	};
}

module.exports = {
	company,
	duplicates,
	notDraftedOnce,
	answerTimes,
	callFigures,
	customerNumber,
	articleNumber,
};

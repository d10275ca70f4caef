// @ts-check
'use strict';
/**
 * Benchmark: 1,000 approved invoices exported to the simulator with Visma-like latency and
 * the 600-per-minute limit, once through the node (batched) and once through a naive per-item
 * flow on the same data. Prints figures; the last line is one JSON object.
 *
 * The node flow runs twice: against a server that refuses $filter expressions over 100 nodes
 * (ASP.NET's default, the simulator's default) and against one without that limit.
 *
 *   npm run bench                 full run (about 10 minutes: the naive flow is rate-limited)
 *   npm run bench -- --invoices 200 --latency 50   a quicker look
 */
const path = require('path');

const args = Object.fromEntries(
	process.argv
		.slice(2)
		.reduce(
			(acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
			/** @type {string[][]} */ ([]),
		),
);
const INVOICES = Number(args.invoices ?? 1000);
const CUSTOMERS = Math.round(INVOICES / 5); // 200 for 1,000 invoices
const NEW_CUSTOMERS = Math.round(CUSTOMERS / 4); // 50
const ARTICLES = Math.round((INVOICES * 3) / 10); // 300 distinct numbers
const UNKNOWN_ARTICLES = Math.round(ARTICLES / 5); // 20 %
const ROWS = 3;
const LATENCY = Number(args.latency ?? 100);
const LIMIT = 600;
const WRITE_FLOOR = (INVOICES + NEW_CUSTOMERS + 1) / INVOICES;
const FLOOR_MS = (INVOICES / LIMIT) * 60_000;

const build = path.join(__dirname, '..', '.bench');
const { startSimulator, SEED_IDS } = require('../dev/simulator');
const { runNode, buildContext } = require(path.join(build, 'dev/harness/context.js'));
const { StoredCredential } = require(path.join(build, 'dev/harness/credentials.js'));
const { VismaEAccounting } = require(
	path.join(build, 'nodes/VismaEAccounting/VismaEAccounting.node.js'),
);
const transport = require(path.join(build, 'nodes/VismaEAccounting/transport/index.js'));

const pad = (n, w) => String(n).padStart(w, '0');
const customerNumber = (i) => `B-${pad(i, 4)}`;
const articleNumber = (i) => `ART-${pad(i, 3)}`;

/** The approved invoices, the same for both flows. */
const invoices = Array.from({ length: INVOICES }, (_, n) => {
	const c = n % CUSTOMERS;
	return {
		invoiceNumber: `INV-${pad(n, 6)}`,
		customer: {
			number: customerNumber(c),
			name: `Bench Kund ${c} AB`,
			postalCode: '903 26',
			city: 'Umeå',
		},
		rows: Array.from({ length: ROWS }, (__, r) => ({
			articleNumber: articleNumber((n * ROWS + r * 101) % ARTICLES),
			text: `Rad ${r + 1}`,
			quantity: 1 + ((n + r) % 5),
			unitPrice: 100 + ((n * 7 + r) % 900),
		})),
	};
});

/** Customers and articles that exist before the export (the rest are new or unknown). */
function seedCompany(sim) {
	for (let c = 0; c < CUSTOMERS - NEW_CUSTOMERS; c++) {
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
	for (let a = 0; a < ARTICLES - UNKNOWN_ARTICLES; a++) {
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

/** The seeded company with Visma-like latency and limits, the node's process state cleared, and a credential. */
function freshCompany(sim, maxFilterNodes) {
	sim.reset('empty');
	seedCompany(sim);
	transport.resetPacing();
	transport.resetBatchLimits();
	transport.resetQueryOptions();
	const credential = credentialFor(sim);
	sim.configure({
		latencyMs: LATENCY,
		rateLimit: { perMinute: LIMIT, windowMs: 60_000 },
		maxFilterNodes,
	});
	return credential;
}

function credentialFor(sim) {
	return new StoredCredential({
		environment: 'custom',
		identityUrl: sim.url,
		apiUrl: sim.url,
		clientId: 'sim-client',
		clientSecret: 'sim-secret',
		oauthTokenData: { ...sim.issueTokens(), token_type: 'Bearer' },
	});
}

const get = (p) => (item) => p.split('.').reduce((v, k) => v?.[k], item.json);

/** Export Invoice as Draft reading an approval from each item. */
const exportParameters = {
	resource: 'customerInvoiceDraft',
	operation: 'exportInvoice',
	customerNumber: get('customer.number'),
	customerName: get('customer.name'),
	postalCode: get('customer.postalCode'),
	city: get('customer.city'),
	rowsSource: 'mapFromInput',
	rowsData: get('rows'),
	defaultArticleNumber: 'DEFAULT',
	defaultArticleName: 'Other',
	exportOptions: { sourceReference: get('invoiceNumber'), sourceReferenceField: 'ContractNumber' },
};

/** The package's own flow: Export Invoice as Draft over all approvals, batched. */
async function nodeFlow(sim, credential) {
	const result = await runNode({
		nodeType: new VismaEAccounting(),
		credential,
		continueOnFail: true,
		items: invoices.map((json) => ({ json })),
		parameters: {
			...exportParameters,
			defaultArticleUnitId: SEED_IDS.units.styck,
			defaultArticleCodingId: SEED_IDS.codings.tjanster25,
		},
	});
	return result.items.filter((i) => i.json.error).length;
}

/**
 * What a hand-built per-item flow does (HTTP Request nodes, or a Make/Zapier scenario): for
 * each invoice check the reference, look up the customer (create it if missing), look up
 * each article, create the draft. Same transport, same pacing and retries.
 */
async function naiveFlow(sim, credential) {
	const { execute } = buildContext(
		{ nodeType: new VismaEAccounting(), parameters: {}, credential },
		{ calls: 0 },
	);
	const client = await transport.VismaClient.create(execute);
	const { eq, value } = transport;
	const one = async (p, filter) => (await client.page(p, { filter, pageSize: 1 })).data[0];
	let failed = 0;
	let defaultArticle;
	await transport.mapPool(invoices, 8, async (inv) => {
		try {
			const ref = eq('ContractNumber', value.string(inv.invoiceNumber));
			if ((await one('/customerinvoicedrafts', ref)) || (await one('/customerinvoices', ref)))
				return;
			let customer = await one(
				'/customers',
				eq('CustomerNumber', value.string(inv.customer.number)),
			);
			if (!customer) {
				customer = await client
					.request({
						method: 'POST',
						path: '/customers',
						body: {
							CustomerNumber: inv.customer.number,
							Name: inv.customer.name,
							InvoicePostalCode: inv.customer.postalCode,
							InvoiceCity: inv.customer.city,
							TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
							IsPrivatePerson: false,
							IsActive: true,
						},
					})
					.catch(
						async () =>
							await one('/customers', eq('CustomerNumber', value.string(inv.customer.number))),
					);
			}
			const rows = [];
			for (const row of inv.rows) {
				let article = await one('/articles', eq('Number', value.string(row.articleNumber)));
				if (!article) {
					const findDefault = async () =>
						await one('/articles', eq('Number', value.string('DEFAULT')));
					defaultArticle ??=
						(await findDefault()) ??
						(await client
							.request({
								method: 'POST',
								path: '/articles',
								body: {
									Number: 'DEFAULT',
									Name: 'Other',
									IsActive: true,
									UnitId: SEED_IDS.units.styck,
									CodingId: SEED_IDS.codings.tjanster25,
								},
							})
							.catch(findDefault));
					article = defaultArticle;
				}
				rows.push({
					IsTextRow: false,
					ReversedConstructionServicesVatFree: false,
					ArticleId: article.Id,
					Text: row.text,
					Quantity: row.quantity,
					UnitPrice: row.unitPrice,
				});
			}
			await client.request({
				method: 'POST',
				path: '/customerinvoicedrafts',
				body: {
					CustomerId: customer.Id,
					EuThirdParty: false,
					RotReducedInvoicingType: 0,
					ContractNumber: inv.invoiceNumber,
					Rows: rows,
				},
			});
		} catch {
			failed++;
		}
	});
	return failed;
}

function duplicates(sim) {
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

async function measure(name, sim, flow, maxFilterNodes = 100) {
	const credential = freshCompany(sim, maxFilterNodes);
	sim.resetStats();
	const started = Date.now();
	const failed = await flow(sim, credential);
	const wallMs = Date.now() - started;
	sim.configure({ latencyMs: 0, rateLimit: null });
	const stats = sim.stats();
	const calls = stats.total - stats.rateLimited;
	const refused = sim.log.filter((e) => e.status === 400).length;
	const drafts = sim.list('customerinvoicedrafts').length;
	const r = {
		name,
		calls,
		callsPerInvoice: calls / INVOICES,
		wallMs,
		floorRatio: wallMs / FLOOR_MS,
		rateLimited429: stats.rateLimited,
		duplicates: duplicates(sim),
		drafts,
		failed,
		refused,
		byEndpoint: stats.byEndpoint,
	};
	console.log(
		`${name} ${r.callsPerInvoice.toFixed(3)} calls/invoice (write floor ${WRITE_FLOOR.toFixed(3)}), ` +
			`wall ${(wallMs / 1000).toFixed(1)} s = ${r.floorRatio.toFixed(2)} x floor (${(FLOOR_MS / 1000).toFixed(0)} s), ` +
			`429s ${r.rateLimited429}, refused filters ${refused}, duplicates ${r.duplicates}, drafts ${drafts}/${INVOICES}, failed ${failed}`,
	);
	console.log(`       calls by endpoint: ${JSON.stringify(stats.byEndpoint)}`);
	return r;
}

/** One approval through the node, as a webhook execution delivers it: one item. */
async function exportOne(credential, inv) {
	const result = await runNode({
		nodeType: new VismaEAccounting(),
		credential,
		continueOnFail: true,
		items: [{ json: inv }],
		// Unit and coding left empty, as in the examples: the node chooses them.
		parameters: exportParameters,
	});
	return result.items[0].json;
}

/**
 * Webhook-style executions in steady state (customers and the default article exist): one
 * isolated approval, then 30 at once with distinct references over 10 customers.
 */
async function webhookBursts(sim) {
	const credential = freshCompany(sim, 100);
	const approval = (n, c) => ({
		...invoices[n % INVOICES],
		invoiceNumber: `HOOK-${pad(n, 6)}`,
		customer: invoices[c].customer,
	});
	// Steady state: the default article exists and the token is warm. The node creates the
	// default article only for a row that uses it, so the warm-up has one.
	const warm = approval(0, 0);
	await exportOne(credential, {
		...warm,
		rows: [
			...warm.rows,
			{ articleNumber: 'WARM-UNKNOWN', text: 'Warm-up', quantity: 1, unitPrice: 1 },
		],
	});
	sim.resetStats();
	const oneStarted = Date.now();
	const one = await exportOne(credential, approval(1, 1));
	const singleMs = Date.now() - oneStarted;
	const single = sim.stats().total;
	const singleByEndpoint = sim.stats().byEndpoint;
	sim.resetStats();
	const started = Date.now();
	const burst = await Promise.all(
		Array.from(
			{ length: 30 },
			async (_, n) => await exportOne(credential, approval(100 + n, n % 10)),
		),
	);
	const burstMs = Date.now() - started;
	const burstStats = sim.stats();
	sim.configure({ latencyMs: 0, rateLimit: null });
	const failed = [one, ...burst].filter((j) => j.error).length;
	console.log(
		`webhook, one approval: ${single} calls, ${singleMs} ms ${JSON.stringify(singleByEndpoint)}`,
	);
	console.log(
		`webhook, 30 at once: ${(burstStats.total / 30).toFixed(2)} calls per approval, ${(burstMs / 1000).toFixed(1)} s, failed ${failed}`,
	);
	console.log(`       calls by endpoint: ${JSON.stringify(burstStats.byEndpoint)}`);
	return { single, singleMs, burstCallsPerApproval: burstStats.total / 30, burstMs, failed };
}

async function main() {
	console.log(
		`benchmark: ${INVOICES} invoices x ${ROWS} rows, ${CUSTOMERS} customers (${NEW_CUSTOMERS} new), ` +
			`${ARTICLES} article numbers (${UNKNOWN_ARTICLES} unknown), ${LATENCY} ms per call, ${LIMIT} calls/min per endpoint`,
	);
	const sim = await startSimulator({ seed: 'empty' });
	try {
		const hooks = await webhookBursts(sim);
		const node = await measure('node', sim, nodeFlow, 100);
		const unlimited = await measure('node, no filter limit', sim, nodeFlow, null);
		const naive = await measure('naive', sim, naiveFlow, null);
		const summary = {
			callsPerInvoice: Number(node.callsPerInvoice.toFixed(3)),
			wallSeconds: Number((node.wallMs / 1000).toFixed(1)),
			refusedFilters: node.refused,
			noFilterLimitCallsPerInvoice: Number(unlimited.callsPerInvoice.toFixed(3)),
			noFilterLimitWallSeconds: Number((unlimited.wallMs / 1000).toFixed(1)),
			writeFloor: Number(WRITE_FLOOR.toFixed(3)),
			floorRatio: Number(node.floorRatio.toFixed(3)),
			rateLimited429: node.rateLimited429,
			duplicates: node.duplicates,
			naiveCallsPerInvoice: Number(naive.callsPerInvoice.toFixed(3)),
			naiveCallsRatio: Number((naive.callsPerInvoice / node.callsPerInvoice).toFixed(2)),
			webhookOneApprovalCalls: hooks.single,
			webhookOneApprovalMs: hooks.singleMs,
			webhook30CallsPerApproval: Number(hooks.burstCallsPerApproval.toFixed(2)),
			webhook30Seconds: Number((hooks.burstMs / 1000).toFixed(1)),
			failed: node.failed + unlimited.failed + hooks.failed,
		};
		console.log(JSON.stringify(summary));
	} finally {
		await sim.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

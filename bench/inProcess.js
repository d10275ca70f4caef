// @ts-check
'use strict';
/**
 * The in-process part of the benchmark: the node's execute() run through dev/harness (built into
 * .bench/ by `npm run bench`) against the simulator. The batch of approved invoices through the
 * node and through a naive per-item flow, and webhook-style executions started with Promise.all.
 */
const path = require('path');
const { startSimulator, SEED_IDS } = require('../dev/simulator');
const { duplicates, notDraftedOnce, callFigures, answerTimes } = require('./company');

const build = path.join(__dirname, '..', '.bench');
const { runNode, buildContext } = require(path.join(build, 'dev/harness/context.js'));
const { StoredCredential } = require(path.join(build, 'dev/harness/credentials.js'));
const { VismaEAccounting } = require(
	path.join(build, 'nodes/VismaEAccounting/VismaEAccounting.node.js'),
);
const transport = require(path.join(build, 'nodes/VismaEAccounting/transport/index.js'));

/** @typedef {ReturnType<typeof import('./company').company>} Company */
/** @typedef {import('./company').Simulator} Simulator */

const LIMIT = 600;

/** @param {Simulator} sim */
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

const get = (/** @type {string} */ p) => (/** @type {any} */ item) =>
	p.split('.').reduce((v, k) => v?.[k], item.json);

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

/**
 * @param {{ company: Company, latencyMs: number }} o
 */
function inProcessBench(o) {
	const { company, latencyMs } = o;
	const INVOICES = company.invoices;
	const WRITE_FLOOR = (INVOICES + company.newCustomers + 1) / INVOICES;
	const FLOOR_MS = (INVOICES / LIMIT) * 60_000;

	/**
	 * The seeded company with Visma-like latency and limits, the node's process state cleared,
	 * and a credential.
	 * @param {Simulator} sim
	 * @param {number | null} maxFilterNodes
	 */
	function freshCompany(sim, maxFilterNodes) {
		sim.reset('empty');
		company.seed(sim);
		transport.resetPacing();
		transport.resetBatchLimits();
		transport.resetQueryOptions();
		const credential = credentialFor(sim);
		sim.configure({
			latencyMs,
			rateLimit: { perMinute: LIMIT, windowMs: 60_000 },
			maxFilterNodes,
		});
		return credential;
	}

	/**
	 * The package's own flow: Export Invoice as Draft over all approvals, batched.
	 * @param {Simulator} _sim
	 * @param {any} credential
	 */
	async function nodeFlow(_sim, credential) {
		const result = await runNode({
			nodeType: new VismaEAccounting(),
			credential,
			continueOnFail: true,
			items: company.approved.map((json) => ({ json })),
			parameters: {
				...exportParameters,
				defaultArticleUnitId: SEED_IDS.units.styck,
				defaultArticleCodingId: SEED_IDS.codings.tjanster25,
			},
		});
		return result.items.filter((/** @type {any} */ i) => i.json.error).length;
	}

	/**
	 * What a hand-built per-item flow does (HTTP Request nodes, or a Make/Zapier scenario): for
	 * each invoice check the reference, look up the customer (create it if missing), look up
	 * each article, create the draft. Same transport, same pacing and retries.
	 * @param {Simulator} _sim
	 * @param {any} credential
	 */
	async function naiveFlow(_sim, credential) {
		const { execute } = buildContext(
			{ nodeType: new VismaEAccounting(), parameters: {}, credential },
			{ calls: 0 },
		);
		const client = await transport.VismaClient.create(execute);
		const { eq, value } = transport;
		const one = async (/** @type {string} */ p, /** @type {any} */ filter) =>
			(await client.page(p, { filter, pageSize: 1 })).data[0];
		let failed = 0;
		/** @type {any} */
		let defaultArticle;
		await transport.mapPool(company.approved, 8, async (/** @type {any} */ inv) => {
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

	/**
	 * @param {string} name
	 * @param {Simulator} sim
	 * @param {(sim: Simulator, credential: any) => Promise<number>} flow
	 * @param {number | null} [maxFilterNodes]
	 */
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

	/**
	 * One approval through the node, as a webhook execution delivers it: one item.
	 * @param {any} credential
	 * @param {import('./company').Approval} inv
	 */
	async function exportOne(credential, inv) {
		const started = Date.now();
		const result = await runNode({
			nodeType: new VismaEAccounting(),
			credential,
			continueOnFail: true,
			items: [{ json: inv }],
			// Unit and coding left empty, as in the examples: the node chooses them.
			parameters: exportParameters,
		});
		return { json: result.items[0].json, ms: Date.now() - started };
	}

	/**
	 * Webhook-style executions in steady state (customers and the default article exist): one
	 * isolated approval, then 30 at once with distinct references over 10 customers, all started
	 * in the same instant.
	 * @param {Simulator} sim
	 */
	async function webhookBursts(sim) {
		const credential = freshCompany(sim, 100);
		// Steady state: the default article exists and the token is warm.
		await exportOne(credential, company.approvalUsingDefault('HOOK', 0, 0));
		sim.resetStats();
		const one = await exportOne(credential, company.approval('HOOK', 1, 1));
		const single = callFigures(sim.stats(), 1);
		sim.resetStats();
		const started = Date.now();
		const sent = Array.from({ length: 30 }, (_, n) => company.approval('HOOK', 100 + n, n % 10));
		const burst = await Promise.all(sent.map(async (a) => await exportOne(credential, a)));
		const burstMs = Date.now() - started;
		const figures = callFigures(sim.stats(), 30);
		const notOnce = notDraftedOnce(
			sim,
			sent.map((a) => a.invoiceNumber),
		);
		sim.configure({ latencyMs: 0, rateLimit: null });
		const failed = [one, ...burst].filter((r) => r.json.error).length;
		const times = answerTimes(burst.map((r) => r.ms));
		console.log(
			`in-process webhook, one approval: ${single.calls} calls, ${one.ms} ms ${JSON.stringify(single.byEndpoint)}`,
		);
		console.log(
			`in-process webhook, 30 at once: ${figures.callsPerApproval} calls per approval, ` +
				`${(burstMs / 1000).toFixed(1)} s, answers p50 ${times.p50Ms} ms / max ${times.maxMs} ms, ` +
				`failed ${failed}, drafted once: ${notOnce.length ? `NO (${notOnce.join(', ')})` : 'yes'}`,
		);
		console.log(`       calls by endpoint: ${JSON.stringify(figures.byEndpoint)}`);
		return {
			single: single.calls,
			singleMs: one.ms,
			burstCallsPerApproval: figures.callsPerApproval,
			failed,
			notDraftedOnce: notOnce,
		};
	}

	return {
		writeFloor: WRITE_FLOOR,
		/** @param {Simulator} sim */
		webhookBursts,
		/** @param {Simulator} sim */
		node: async (sim) => await measure('node', sim, nodeFlow, 100),
		/** @param {Simulator} sim */
		nodeNoFilterLimit: async (sim) => await measure('node, no filter limit', sim, nodeFlow, null),
		/** @param {Simulator} sim */
		naive: async (sim) => await measure('naive', sim, naiveFlow, null),
		startSimulator: async () => await startSimulator({ seed: 'empty' }),
	};
}

module.exports = { inProcessBench };

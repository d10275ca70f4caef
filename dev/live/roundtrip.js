// @ts-check
'use strict';

/**
 * One export round trip through the node's own code: the Visma eAccounting node's Export
 * Invoice as Draft operation, run in-process by the test harness (dev/harness) exactly as the
 * integration tests run it, over real HTTP, with n8n's OAuth2 refresh-on-401. Its refreshes go
 * through the live session, so every rotated refresh token is stored at once.
 */

const { register } = require('./ts-register');
const { PRICED_ARTICLE, quote, referenceFieldsOf } = require('./probes');

register();
const { runNode } = require('../harness/context.ts');
const { StoredCredential } = require('../harness/credentials.ts');
const { VismaEAccounting } = require('../../nodes/VismaEAccounting/VismaEAccounting.node.ts');
const { resetPacing } = require('../../nodes/VismaEAccounting/transport/index.ts');

/** @typedef {import('./probes').Finding} Finding */

/**
 * @param {{ api: import('./api').Api, session: import('./oauth').Session, settings: import('./config').Settings, probes: import('./probes').Probes, run: string }} o
 * @returns {Promise<{ ok: boolean, findings: Finding[] }>}
 */
async function roundTrip(o) {
	const { api, session, settings, probes, run } = o;
	resetPacing();
	/** @type {Finding[]} */
	const findings = [];
	const credential = new StoredCredential({
		environment: settings.customHosts ? 'custom' : 'sandbox',
		identityUrl: settings.identityUrl,
		apiUrl: settings.apiUrl,
		clientId: settings.clientId,
		clientSecret: settings.clientSecret,
		oauthTokenData: { ...session.tokens },
	});
	// n8n's refresh, but through the session: one refresh path, and the rotated token is saved.
	credential.refresh = async (/** @type {{ access_token: string }} */ startedWith) => {
		if (session.tokens.access_token === startedWith.access_token) await session.refresh('node');
		credential.data = { ...credential.data, oauthTokenData: { ...session.tokens } };
	};
	const nodeType = new VismaEAccounting();
	/** @param {Record<string, unknown>} parameters @param {any} [json] @returns {Promise<Array<{ json: any }>>} */
	const runOnce = async (parameters, json = {}) => {
		credential.data = { ...credential.data, oauthTokenData: { ...session.tokens } };
		const { items } = await runNode({ nodeType, parameters, credential, items: [{ json }] });
		return items;
	};

	// Contract Number is the node's default; where Visma refuses to search it, the first field
	// the probes found searchable on drafts and invoices (probe filter.referenceFields says which).
	const referenceField = referenceFieldsOf(probes.findings).works[0];
	const customerNumber = `N8NLIVE-X${run}`;
	const defaultArticleNumber = 'N8NLIVE-DEFAULT';
	const unknownArticle = `N8NLIVE-NONE-${run}`;
	const sourceReference = `N8NLIVE-RT-${run}`;
	const approved = {
		invoiceNumber: sourceReference,
		customer: {
			number: customerNumber,
			name: 'n8n live round trip (delete me)',
			postalCode: '11122',
			city: 'Stockholm',
		},
		rows: [
			{
				articleNumber: PRICED_ARTICLE,
				text: 'n8n live: matched article, price from the article',
				quantity: 2,
			},
			{
				articleNumber: unknownArticle,
				text: 'n8n live: unknown article, default article',
				quantity: 1,
				unitPrice: 50,
			},
			{ isTextRow: true, text: 'n8n live: text row' },
		],
	};
	const fromItem = (/** @type {string} */ path) => (/** @type {{ json: any }} */ item) =>
		path.split('.').reduce((v, k) => v?.[k], item.json);
	const exportParameters = {
		resource: 'customerInvoiceDraft',
		operation: 'exportInvoice',
		customerNumber: fromItem('customer.number'),
		customerName: fromItem('customer.name'),
		postalCode: fromItem('customer.postalCode'),
		city: fromItem('customer.city'),
		rowsSource: 'mapFromInput',
		rowsData: fromItem('rows'),
		defaultArticleNumber,
		defaultArticleName: 'n8n live default article (keep)',
		defaultArticleUnitId: probes.refs.unitId,
		defaultArticleCodingId: probes.refs.codingId,
		exportOptions: {
			sourceReference: fromItem('invoiceNumber'),
			sourceReferenceField: referenceField ?? 'ContractNumber',
		},
	};

	/**
	 * @param {string} name
	 * @param {string} assumption
	 * @param {() => Promise<string>} fn returns the result line; throws on failure
	 */
	const step = async (name, assumption, fn) => {
		try {
			const result = await fn();
			findings.push({ name: `roundTrip.${name}`, assumption, verdict: 'OK', result });
			process.stderr.write(`  OK      roundTrip.${name}\n`);
			return true;
		} catch (error) {
			const e = /** @type {any} */ (error);
			const description = typeof e?.description === 'string' ? ` (${e.description})` : '';
			findings.push({
				name: `roundTrip.${name}`,
				assumption,
				verdict: 'ERROR',
				result: `${e instanceof Error ? e.message : String(e)}${description}`.replace(/\s+/g, ' '),
				details: e?.context ?? e?.cause?.response?.data,
			});
			process.stderr.write(`  ERROR   roundTrip.${name}\n`);
			return false;
		}
	};
	const must = (/** @type {boolean} */ condition, /** @type {string} */ message) => {
		if (!condition) throw new Error(message);
	};

	/** @type {any} */
	let first;
	/** @type {any} */
	let stored;
	let ok = await step(
		'export',
		'Export Invoice as Draft creates the customer and a draft with 3 rows: article, default article, text',
		async () => {
			must(
				referenceField !== undefined,
				'no source-reference field can be searched on drafts and invoices in this company (see filter.referenceFields): the node cannot protect exports against duplicates here',
			);
			const items = await runOnce(exportParameters, approved);
			must(items.length === 1, `expected 1 output item, got ${items.length}`);
			first = items[0].json;
			if (first.customer?.Id)
				probes.ledger.customers.push({
					id: first.customer.Id,
					what: `round-trip customer ${customerNumber}`,
				});
			if (first.Id) probes.ledger.drafts.push({ id: first.Id, what: 'round-trip draft' });
			if (
				first.defaultArticle?.Id &&
				!probes.ledger.articles.some((a) => a.id === first.defaultArticle.Id)
			) {
				probes.ledger.articles.push({
					id: first.defaultArticle.Id,
					number: defaultArticleNumber,
					created: first.defaultArticle.outcome === 'created',
				});
			}
			must(first.outcome === 'created', `outcome ${first.outcome}, expected created`);
			must(
				first.customer?.outcome === 'created',
				`customer outcome ${first.customer?.outcome}, expected created`,
			);
			const matches = (first.articleMatches ?? []).map((/** @type {any} */ m) => m.match).join(',');
			must(
				matches === 'article,default,text',
				`row matches ${matches}, expected article,default,text`,
			);
			return `draft ${first.Id}; customer ${customerNumber} created; default article ${defaultArticleNumber} ${first.defaultArticle?.outcome}; matches ${matches}`;
		},
	);
	ok =
		ok &&
		(await step(
			'storedDraft',
			'Visma stored the rows as the node sent them (article, price, text)',
			async () => {
				const a = await api.get(`/customerinvoicedrafts/${first.Id}`);
				must(a.status === 200, `GET the draft answered ${a.status}`);
				stored = a.body;
				const rows = stored.Rows ?? [];
				must(rows.length === 3, `${rows.length} rows stored, expected 3`);
				const [r0, r1, r2] = rows;
				const priced = probes.pricedArticle;
				must(
					String(r0.ArticleId).toLowerCase() === String(priced.Id).toLowerCase(),
					`row 1 article ${r0.ArticleId}, expected ${PRICED_ARTICLE}`,
				);
				must(
					Number(r0.UnitPrice) === Number(priced.NetPrice) && Number(r0.Quantity) === 2,
					`row 1 ${r0.Quantity} x ${r0.UnitPrice}, expected 2 x ${priced.NetPrice}`,
				);
				must(
					String(r1.ArticleId).toLowerCase() === String(first.defaultArticle.Id).toLowerCase(),
					`row 2 article ${r1.ArticleId}, expected the default article`,
				);
				must(
					r1.Text === approved.rows[1].text && Number(r1.UnitPrice) === 50,
					`row 2 "${r1.Text}" at ${r1.UnitPrice}, expected its own text at 50`,
				);
				must(
					r2.IsTextRow === true && r2.Text === approved.rows[2].text,
					'row 3 is not the text row',
				);
				must(
					stored[referenceField] === sourceReference,
					`${referenceField} ${stored[referenceField]}, expected ${sourceReference}`,
				);
				return `3 rows as sent; ${referenceField} ${sourceReference}; total ${stored.TotalAmount ?? '?'}`;
			},
		));
	ok =
		ok &&
		(await step(
			'reExport',
			'exporting the same source reference again returns the same draft (existingDraft), no second draft',
			async () => {
				const items = await runOnce(exportParameters, approved);
				const again = items[0]?.json;
				must(
					again?.outcome === 'existingDraft',
					`outcome ${again?.outcome}, expected existingDraft`,
				);
				must(
					String(again.Id).toLowerCase() === String(first.Id).toLowerCase(),
					`returned draft ${again.Id}, expected ${first.Id}`,
				);
				const a = await api.get('/customerinvoicedrafts', {
					$filter: `${referenceField} eq ${quote(sourceReference)}`,
				});
				must(a.status === 200, `listing drafts by ${referenceField} answered ${a.status}`);
				must(
					(a.body.Data ?? []).length === 1,
					`${(a.body.Data ?? []).length} drafts carry the reference, expected 1`,
				);
				return `existingDraft ${again.Id}; customer ${again.customer?.outcome}; 1 draft with the reference`;
			},
		));
	if (first?.Id) {
		ok =
			(await step('deleteDraft', 'Customer Invoice Draft > Delete removes the draft', async () => {
				const items = await runOnce({
					resource: 'customerInvoiceDraft',
					operation: 'delete',
					draft: { __rl: true, mode: 'id', value: first.Id },
				});
				must(items[0]?.json?.deleted === true, `output ${JSON.stringify(items[0]?.json)}`);
				const a = await api.get(`/customerinvoicedrafts/${first.Id}`);
				must(
					a.status === 404 || a.status === 400,
					`the draft is still there (GET answered ${a.status})`,
				);
				probes.ledger.drafts = probes.ledger.drafts.filter((d) => d.id !== first.Id);
				return `deleted; GET answers ${a.status}`;
			})) && ok;
	}
	if (first?.customer?.Id) {
		ok =
			(await step(
				'deleteCustomer',
				'Customer > Delete removes a customer whose only draft was deleted',
				async () => {
					const items = await runOnce({
						resource: 'customer',
						operation: 'delete',
						customer: { __rl: true, mode: 'id', value: first.customer.Id },
					});
					must(items[0]?.json?.deleted === true, `output ${JSON.stringify(items[0]?.json)}`);
					probes.ledger.customers = probes.ledger.customers.filter(
						(c) => c.id !== first.customer.Id,
					);
					return `deleted ${customerNumber}`;
				},
			)) && ok;
	}
	return { ok: ok && Boolean(first?.Id), findings };
}

module.exports = { roundTrip };

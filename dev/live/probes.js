// @ts-check
'use strict';

/**
 * The probes of `npm run test:live`: each asks Visma one question where its documentation is
 * silent and records what we assumed next to what Visma answered. A probe that DIFFERS is a
 * finding, not a failure; ERROR means the probe itself could not run.
 *
 * Every record a probe creates carries a unique `N8NLIVE-` number or reference and is put in
 * the ledger, which test-live.js empties at the end (drafts, then customers).
 */

const { randomUUID } = require('crypto');
const { answerOf, shortAnswer } = require('./api');

/** @typedef {import('./api').Api} Api */
/** @typedef {import('./api').Answer} Answer */
/** @typedef {'OK' | 'DIFFERS' | 'ERROR'} Verdict */

/**
 * @typedef {object} Finding
 * @property {string} name
 * @property {string} assumption
 * @property {Verdict} verdict
 * @property {string} result one line
 * @property {Record<string, unknown>} [answer] status, ErrorCode, DeveloperErrorMessage, Errors of the deciding answer
 * @property {unknown} [details]
 */

/**
 * @typedef {object} Ledger
 * @property {Array<{ id: string, what: string }>} drafts
 * @property {Array<{ id: string, what: string }>} customers
 * @property {Array<{ id: string, number: string, created: boolean }>} articles
 */

/** Source-reference fields the node can store an invoice number in. */
const REFERENCE_FIELDS = [
	'ContractNumber',
	'YourReference',
	'OurReference',
	'BuyersOrderReference',
	'SubscriptionNumber',
];
/** Fixed numbers, reused by every run because Visma has no article delete. */
const PRICED_ARTICLE = 'N8NLIVE-PRICED';
const PRICED_NET_PRICE = 100;
const MAX_TARGET = 2000;
const MAX_OR_TERMS = 200;

const quote = (/** @type {string} */ s) => `'${s.replace(/'/g, "''")}'`;
const ids = (/** @type {Answer} */ a) =>
	Array.isArray(a.body?.Data)
		? a.body.Data.map((/** @type {any} */ r) => String(r.Id).toLowerCase())
		: [];
const list = (/** @type {string[]} */ xs) => (xs.length ? xs.join(', ') : 'none');

/**
 * Which source-reference fields can carry the node's duplicate protection in this company:
 * those whose filter probes on drafts and on invoices both came out OK, in the order the node
 * documents them (Store Source Reference In). Pure, from the findings.
 * @param {Finding[]} findings
 * @returns {{ works: string[], refused: Array<{ field: string, why: string }> }}
 */
function referenceFieldsOf(findings) {
	const verdict = (/** @type {string} */ name) => findings.find((f) => f.name === name);
	/** @type {{ works: string[], refused: Array<{ field: string, why: string }> }} */
	const out = { works: [], refused: [] };
	for (const field of REFERENCE_FIELDS) {
		const failed = [`filter.drafts.${field}`, `filter.invoices.${field}`]
			.map(verdict)
			.find((f) => f?.verdict !== 'OK');
		if (!failed) out.works.push(field);
		else
			out.refused.push({
				field,
				why: failed ? `${failed.name}: ${failed.verdict} ${failed.result}` : 'not probed',
			});
	}
	return out;
}

class Probes {
	/**
	 * @param {Api} api
	 * @param {string} run unique per run, upper case, 6 characters
	 */
	constructor(api, run) {
		this.api = api;
		this.run = run;
		/** @type {Finding[]} */
		this.findings = [];
		/** @type {Ledger} */
		this.ledger = { drafts: [], customers: [], articles: [] };
		/** @type {Record<string, any>} */
		this.company = {};
		/** @type {{ unitId?: string, codingId?: string, codingName?: string, termsOfPaymentId?: string }} */
		this.refs = {};
		/** @type {any} */
		this.pricedArticle = undefined;
		/** @type {any} */
		this.customer = undefined;
		/** @type {any} */
		this.referenceDraft = undefined;
		this.reference = `N8NLIVE-REF-${run}`;
		/** @type {any[]} */
		this.invoiceSample = [];
	}

	/**
	 * Runs one probe; an exception becomes an ERROR finding.
	 * @param {string} name
	 * @param {string} assumption
	 * @param {() => Promise<Omit<Finding, 'name' | 'assumption'>>} fn
	 * @returns {Promise<Finding>}
	 */
	async probe(name, assumption, fn) {
		/** @type {Finding} */
		let finding;
		try {
			finding = { name, assumption, ...(await fn()) };
		} catch (error) {
			finding = {
				name,
				assumption,
				verdict: 'ERROR',
				result: error instanceof Error ? error.message : String(error),
			};
		}
		this.findings.push(finding);
		process.stderr.write(`  ${finding.verdict.padEnd(7)} ${name}\n`);
		return finding;
	}

	/**
	 * Throws with the answer when it is not the expected status (for set-up steps).
	 * @param {Answer} a
	 * @param {number[]} ok
	 * @param {string} what
	 */
	expect(a, ok, what) {
		if (!ok.includes(a.status))
			throw new Error(`${what}: ${a.method} ${a.target.split('?')[0]} answered ${shortAnswer(a)}`);
		return a.body;
	}

	// -------------------------------------------------------------------------------------------
	// Set-up: the company, reference data, a priced article, a probe customer and drafts

	/** @param {Record<string, string | undefined>} env */
	async setUp(env) {
		this.company = this.expect(
			await this.api.get('/companysettings'),
			[200],
			'Reading the company settings',
		);
		const units =
			this.expect(await this.api.get('/units', { $pagesize: 500 }), [200], 'Reading units').Data ??
			[];
		const codings =
			this.expect(
				await this.api.get('/articleaccountcodings', { $pagesize: 500 }),
				[200],
				'Reading account codings',
			).Data ?? [];
		const terms =
			this.expect(
				await this.api.get('/termsofpayments', { $pagesize: 500 }),
				[200],
				'Reading terms of payment',
			).Data ?? [];

		const unit = units.find((/** @type {any} */ u) => u.Id === env.VISMA_LIVE_UNIT_ID) ?? units[0];
		const active = codings.filter((/** @type {any} */ c) => c.IsActive !== false);
		const coding =
			codings.find((/** @type {any} */ c) => c.Id === env.VISMA_LIVE_CODING_ID) ??
			active.find(
				(/** @type {any} */ c) =>
					/tjänst|service|dienst|tjeneste/i.test(String(c.Name)) && Number(c.VatRatePercent) > 0,
			) ??
			active.find((/** @type {any} */ c) => Number(c.VatRatePercent) > 0) ??
			active[0];
		const term =
			terms.find((/** @type {any} */ t) => t.Id === this.company.TermsOfPaymentId) ??
			terms.find((/** @type {any} */ t) => t.AvailableForSales !== false);
		if (!unit || !coding || !term) {
			throw new Error(
				`The company lacks ${[!unit && 'units', !coding && 'active account codings', !term && 'terms of payment for sales'].filter(Boolean).join(', ')}; finish its startup guide`,
			);
		}
		this.refs = {
			unitId: unit.Id,
			codingId: coding.Id,
			codingName: coding.Name,
			termsOfPaymentId: term.Id,
		};
		this.pricedArticle = await this.ensureArticle(
			PRICED_ARTICLE,
			'n8n live probe, priced (keep)',
			PRICED_NET_PRICE,
		);

		this.customer = this.expect(
			await this.api.call('POST', '/customers', {
				body: this.customerBody(`N8NLIVE-D${this.run}`),
			}),
			[200, 201],
			'Creating the probe customer',
		);
		this.ledger.customers.push({
			id: this.customer.Id,
			what: `probe customer ${this.customer.CustomerNumber}`,
		});

		/** @type {Record<string, string>} */
		const references = {};
		for (const f of REFERENCE_FIELDS) references[f] = this.reference;
		this.referenceDraft = this.expect(
			await this.api.call('POST', '/customerinvoicedrafts', {
				body: this.draftBody({ ...references }, [
					this.articleRow({
						UnitPrice: PRICED_NET_PRICE,
						Text: 'n8n live probe: reference carrier',
					}),
				]),
			}),
			[200, 201],
			'Creating the probe draft that carries the source references',
		);
		this.ledger.drafts.push({ id: this.referenceDraft.Id, what: 'reference probe draft' });

		const sample = await this.api.get('/customerinvoices', { $pagesize: 100 });
		this.invoiceSample = sample.status === 200 ? (sample.body.Data ?? []) : [];
	}

	/**
	 * Finds an article by number or creates it (articles cannot be deleted, so the number is fixed).
	 * @param {string} number
	 * @param {string} name
	 * @param {number} netPrice
	 */
	async ensureArticle(number, name, netPrice) {
		const found = this.expect(
			await this.api.get('/articles', { $filter: `Number eq ${quote(number)}` }),
			[200],
			`Looking up article ${number}`,
		);
		let article = (found.Data ?? []).find((/** @type {any} */ a) => a.Number === number);
		if (article && article.IsActive === false) {
			article = this.expect(
				await this.api.call('PUT', `/articles/${article.Id}`, {
					body: { ...article, IsActive: true },
				}),
				[200],
				`Re-activating article ${number}`,
			);
		}
		if (article) {
			this.ledger.articles.push({ id: article.Id, number, created: false });
			return article;
		}
		article = this.expect(
			await this.api.call('POST', '/articles', {
				body: {
					Number: number,
					Name: name,
					UnitId: this.refs.unitId,
					CodingId: this.refs.codingId,
					NetPrice: netPrice,
					IsActive: true,
				},
			}),
			[200, 201],
			`Creating article ${number}`,
		);
		this.ledger.articles.push({ id: article.Id, number, created: true });
		return article;
	}

	/** @param {string} number */
	customerBody(number) {
		return {
			CustomerNumber: number,
			Name: 'n8n live probe (delete me)',
			InvoicePostalCode: '11122',
			InvoiceCity: 'Stockholm',
			TermsOfPaymentId: this.refs.termsOfPaymentId,
			IsPrivatePerson: false,
			IsActive: true,
		};
	}

	/**
	 * @param {Record<string, unknown>} fields
	 * @param {Array<Record<string, unknown>>} rows
	 */
	draftBody(fields, rows) {
		return {
			CustomerId: this.customer.Id,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
			IsCreditInvoice: false,
			...fields,
			Rows: rows,
		};
	}

	/** @param {Record<string, unknown>} extra */
	articleRow(extra) {
		return {
			ArticleId: this.pricedArticle.Id,
			IsTextRow: false,
			ReversedConstructionServicesVatFree: false,
			Quantity: 1,
			...extra,
		};
	}

	// -------------------------------------------------------------------------------------------
	// Probes

	async all() {
		await this.pageSize();
		await this.referenceFilters();
		this.referenceFieldsFinding();
		await this.idFilters();
		await this.invoiceChanges();
		await this.triggerAxes();
		await this.orFilter();
		await this.unknownIds();
		await this.duplicateNumber();
		await this.unitPrices();
	}

	async pageSize() {
		await this.probe(
			'pagesize.500',
			'$pagesize=500 is honoured (the node never asks for more)',
			async () => {
				const a = await this.api.get('/customers', { $pagesize: 500 });
				const size = a.body?.Meta?.PageSize;
				return a.status === 200 && size === 500
					? {
							verdict: 'OK',
							result: `200, Meta.PageSize 500`,
							answer: answerOf(a),
							details: a.body.Meta,
						}
					: {
							verdict: 'DIFFERS',
							result: a.status === 200 ? `200, Meta.PageSize ${size}` : shortAnswer(a),
							answer: answerOf(a),
							details: a.body?.Meta,
						};
			},
		);
		await this.probe(
			'pagesize.1000',
			'the largest page is 500: $pagesize=1000 is refused or capped at 500 or less',
			async () => {
				const a = await this.api.get('/customers', { $pagesize: 1000 });
				const size = a.body?.Meta?.PageSize;
				if (a.status !== 200)
					return { verdict: 'OK', result: `refused: ${shortAnswer(a)}`, answer: answerOf(a) };
				return {
					verdict: size <= 500 ? 'OK' : 'DIFFERS',
					result: `200, Meta.PageSize ${size}, ${a.body?.Data?.length ?? 0} records (total ${a.body?.Meta?.TotalNumberOfResults})`,
					answer: answerOf(a),
					details: a.body?.Meta,
				};
			},
		);
	}

	/** The summary of the reference-field probes: which fields the node's Source Reference can use. */
	referenceFieldsFinding() {
		const { works, refused } = referenceFieldsOf(this.findings);
		/** @type {Finding} */
		const finding = {
			name: 'filter.referenceFields',
			assumption: `the default Store Source Reference In field (${REFERENCE_FIELDS[0]}) can be searched on drafts and invoices`,
			verdict: works[0] === REFERENCE_FIELDS[0] ? 'OK' : 'DIFFERS',
			result: `usable: ${list(works)}; refused: ${list(refused.map((r) => r.field))}${works.length ? `; the round trip uses ${works[0]}` : ''}`,
			details: { works, refused },
		};
		this.findings.push(finding);
		process.stderr.write(`  ${finding.verdict.padEnd(7)} ${finding.name}\n`);
		return finding;
	}

	async referenceFilters() {
		for (const field of REFERENCE_FIELDS) {
			await this.probe(
				`filter.drafts.${field}`,
				`$filter=${field} eq '…' on drafts returns exactly the draft with that reference`,
				async () => {
					const a = await this.api.get('/customerinvoicedrafts', {
						$filter: `${field} eq ${quote(this.reference)}`,
					});
					if (a.status !== 200)
						return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
					const got = ids(a);
					const want = String(this.referenceDraft.Id).toLowerCase();
					const exact = got.length === 1 && got[0] === want;
					return {
						verdict: exact ? 'OK' : 'DIFFERS',
						result: exact
							? '200, exactly the probe draft'
							: `200 but ${got.length} records${got.includes(want) ? ' incl. the probe draft' : ', not the probe draft'} (filter ignored?)`,
						answer: answerOf(a),
					};
				},
			);
		}
		const total = await this.api.get('/customerinvoices', { $pagesize: 1 });
		const allInvoices = total.body?.Meta?.TotalNumberOfResults;
		for (const field of REFERENCE_FIELDS) {
			const carrier = this.invoiceSample.find(
				(i) => typeof i[field] === 'string' && i[field].trim() !== '',
			);
			const value = carrier ? carrier[field] : this.reference;
			const assumption = carrier
				? `$filter=${field} eq '…' on invoices returns the invoices with that value`
				: `$filter=${field} eq '…' on invoices is accepted (no invoice has this reference: 0 records)`;
			await this.probe(`filter.invoices.${field}`, assumption, async () => {
				const a = await this.api.get('/customerinvoices', {
					$filter: `${field} eq ${quote(value)}`,
				});
				if (a.status !== 200)
					return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
				const data = a.body?.Data ?? [];
				if (carrier) {
					const allMatch = data.every((/** @type {any} */ i) => i[field] === value);
					const hasCarrier = ids(a).includes(String(carrier.Id).toLowerCase());
					return {
						verdict: allMatch && hasCarrier ? 'OK' : 'DIFFERS',
						result: `200, ${data.length} record(s), ${hasCarrier ? 'incl.' : 'without'} the invoice that has it${allMatch ? '' : ', some with another value (filter ignored?)'}`,
						answer: answerOf(a),
						details: { value, invoiceId: carrier.Id },
					};
				}
				return {
					verdict: data.length === 0 ? 'OK' : 'DIFFERS',
					result:
						data.length === 0
							? '200, 0 records (no invoice carries the value; filter not proven on data)'
							: `200 but ${data.length} of ${allInvoices} invoices (filter ignored?)`,
					answer: answerOf(a),
				};
			});
		}
	}

	async idFilters() {
		const invoice = this.invoiceSample[0];
		const cases = [
			['customers', this.customer.Id],
			['articles', this.pricedArticle.Id],
			['customerinvoicedrafts', this.referenceDraft.Id],
			['customerinvoices', invoice ? invoice.Id : randomUUID()],
		];
		for (const [collection, id] of cases) {
			const none = collection === 'customerinvoices' && !invoice;
			await this.probe(
				`filter.${collection}.Id`,
				`$filter=Id eq <guid> (unquoted, lower case) returns ${none ? 'nothing for an unknown id' : 'exactly that record'}`,
				async () => {
					const a = await this.api.get(`/${collection}`, {
						$filter: `Id eq ${String(id).toLowerCase()}`,
					});
					if (a.status !== 200)
						return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
					const got = ids(a);
					const ok = none
						? got.length === 0
						: got.length === 1 && got[0] === String(id).toLowerCase();
					return {
						verdict: ok ? 'OK' : 'DIFFERS',
						result: ok
							? `200, ${none ? '0 records (the company has no invoices; unknown id used)' : 'exactly that record'}`
							: `200 but ${got.length} records (filter ignored?)`,
						answer: answerOf(a),
					};
				},
			);
		}
	}

	async invoiceChanges() {
		const since = new Date(Date.now() - 400 * 86_400_000).toISOString();
		const sinceMs = Date.parse(since);
		const empty =
			this.invoiceSample.length === 0
				? ' (the company has no invoices: accepted, not verified on data)'
				: '';
		const allSince = (/** @type {any[]} */ data) =>
			data.every((i) => Date.parse(i.ModifiedUtc) >= sinceMs);

		await this.probe(
			'filter.customerinvoices.ModifiedUtc',
			`$filter=ModifiedUtc ge <ISO date-time, unquoted> is accepted and applied`,
			async () => {
				const a = await this.api.get('/customerinvoices', {
					$filter: `ModifiedUtc ge ${since}`,
					$pagesize: 100,
				});
				if (a.status !== 200)
					return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
				const data = a.body.Data ?? [];
				return {
					verdict: allSince(data) ? 'OK' : 'DIFFERS',
					result: `200, ${data.length} records${allSince(data) ? ', all at or after the bound' : ', some before the bound (filter ignored?)'}${empty}`,
					answer: answerOf(a),
				};
			},
		);
		for (const order of ['ModifiedUtc asc', 'ModifiedUtc asc,Id asc']) {
			await this.probe(
				`orderby.customerinvoices.${order.replace(/ /g, '_')}`,
				`$orderby=${order} is accepted and sorts`,
				async () => {
					const a = await this.api.get('/customerinvoices', { $orderby: order, $pagesize: 100 });
					if (a.status !== 200)
						return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
					const times = (a.body.Data ?? []).map((/** @type {any} */ i) =>
						Date.parse(i.ModifiedUtc),
					);
					const sorted = times.every(
						(/** @type {number} */ t, /** @type {number} */ i) => i === 0 || times[i - 1] <= t,
					);
					return {
						verdict: sorted ? 'OK' : 'DIFFERS',
						result: `200, ${times.length} records${sorted ? ' in order' : ' NOT in ModifiedUtc order'}${empty}`,
						answer: answerOf(a),
					};
				},
			);
		}
		for (const select of ['Id', 'Id,CreatedUtc,ModifiedUtc,PaymentStatus']) {
			await this.probe(
				`select.customerinvoices.${select.replace(/,/g, '+')}`,
				`$select=${select} is accepted; records carry the selected fields`,
				async () => {
					const a = await this.api.get('/customerinvoices', { $select: select, $pagesize: 5 });
					if (a.status !== 200)
						return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
					const first = (a.body.Data ?? [])[0];
					const wanted = select.split(',');
					if (!first)
						return { verdict: 'OK', result: `200, no records${empty}`, answer: answerOf(a) };
					const keys = Object.keys(first);
					const has = wanted.every((k) => k in first);
					return {
						verdict: has ? 'OK' : 'DIFFERS',
						result: `200, first record has ${keys.length} fields${keys.length <= 6 ? ` (${keys.join(', ')})` : ' (all: $select not applied)'}${has ? '' : `; missing ${wanted.filter((k) => !(k in first)).join(', ')}`}`,
						answer: answerOf(a),
						details: { keys },
					};
				},
			);
		}
		await this.probe(
			'modifiedSinceUtc.customerinvoices',
			'the query parameter modifiedSinceUtc=<ISO> is accepted and applied',
			async () => {
				const a = await this.api.get('/customerinvoices', {
					modifiedSinceUtc: since,
					$pagesize: 100,
				});
				if (a.status !== 200)
					return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
				const data = a.body.Data ?? [];
				return {
					verdict: allSince(data) ? 'OK' : 'DIFFERS',
					result: `200, ${data.length} records${allSince(data) ? ', all at or after the bound' : ', some before the bound (ignored?)'}${empty}`,
					answer: answerOf(a),
				};
			},
		);
	}

	/** The other axes the trigger pages on. */
	async triggerAxes() {
		const since = new Date(Date.now() - 400 * 86_400_000).toISOString();
		for (const [collection, axis] of [
			['customers', 'ChangedUtc'],
			['articles', 'CreatedUtc'],
			['customerinvoicedrafts', 'CreatedUtc'],
		]) {
			await this.probe(
				`filter+orderby.${collection}.${axis}`,
				`$filter=${axis} ge <ISO>&$orderby=${axis} asc,Id asc is accepted and sorts (trigger)`,
				async () => {
					const a = await this.api.get(`/${collection}`, {
						$filter: `${axis} ge ${since}`,
						$orderby: `${axis} asc,Id asc`,
						$pagesize: 100,
					});
					if (a.status !== 200)
						return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
					const times = (a.body.Data ?? []).map((/** @type {any} */ r) => Date.parse(r[axis]));
					const ok = times.every(
						(/** @type {number} */ t, /** @type {number} */ i) =>
							t >= Date.parse(since) && (i === 0 || times[i - 1] <= t),
					);
					return {
						verdict: ok ? 'OK' : 'DIFFERS',
						result: `200, ${times.length} records${ok ? ' in range and in order' : ' out of range or order'}`,
						answer: answerOf(a),
					};
				},
			);
		}
	}

	async orFilter() {
		const query = (/** @type {number} */ n) => ({
			$filter: Array.from({ length: n }, (_, i) => `CustomerNumber eq 'x${i + 1}'`).join(' or '),
			$page: 1,
			$pagesize: 500,
		});
		let bound = 0;
		while (
			bound < MAX_OR_TERMS &&
			this.api.target('/customers', query(bound + 1)).length <= MAX_TARGET
		)
			bound++;
		await this.probe(
			'filter.or.maxTerms',
			`an OR filter as long as the node's batches (${bound} terms 'x1'.. in ${MAX_TARGET} characters) is accepted`,
			async () => {
				/** @type {Map<number, Answer>} */
				const answers = new Map();
				const accepted = async (/** @type {number} */ n) => {
					const a = await this.api.get('/customers', query(n));
					answers.set(n, a);
					return a.status === 200;
				};
				let lo = 0;
				let hi = bound + 1;
				if (await accepted(bound)) lo = bound;
				else {
					hi = bound;
					while (hi - lo > 1) {
						const mid = Math.floor((lo + hi) / 2);
						if (await accepted(mid)) lo = mid;
						else hi = mid;
					}
				}
				const targetOf = (/** @type {number} */ n) =>
					this.api.target('/customers', query(n)).length;
				const details = {
					boundTerms: bound,
					largestAccepted: lo,
					largestAcceptedTargetLength: lo ? targetOf(lo) : 0,
					firstRefused: hi <= bound ? hi : null,
					firstRefusedTargetLength: hi <= bound ? targetOf(hi) : null,
					requests: answers.size,
				};
				if (hi > bound) {
					return {
						verdict: 'OK',
						result: `${bound} terms (${targetOf(bound)} characters) accepted; none refused within the bound`,
						answer: answerOf(/** @type {Answer} */ (answers.get(bound))),
						details,
					};
				}
				const refused = /** @type {Answer} */ (answers.get(hi));
				return {
					verdict: 'DIFFERS',
					result: `largest accepted ${lo} terms (${details.largestAcceptedTargetLength} ch.); ${hi} terms refused: ${shortAnswer(refused)}`,
					answer: answerOf(refused),
					details,
				};
			},
		);
	}

	async unknownIds() {
		const guid = randomUUID();
		const notFound = '404, or 400 with ErrorCode 3000 (the node treats both as not found)';
		/** @param {Answer} a */
		const isNotFound = (a) => a.status === 404 || (a.status === 400 && a.body?.ErrorCode === 3000);
		/** @type {Array<[string, string, string, unknown]>} */
		const cases = [
			['GET', 'customers', notFound, undefined],
			['GET', 'articles', notFound, undefined],
			['GET', 'customerinvoicedrafts', notFound, undefined],
			[
				'PUT',
				'customerinvoicedrafts',
				notFound,
				this.draftBody({}, [this.articleRow({ UnitPrice: 1 })]),
			],
			['DELETE', 'customerinvoicedrafts', notFound, undefined],
			['GET', 'customerinvoices', notFound, undefined],
			['DELETE', 'customers', notFound, undefined],
		];
		for (const [method, collection, assumption, body] of cases) {
			await this.probe(
				`unknownId.${method}.${collection}`,
				`${method} /${collection}/{unknown guid}: ${assumption}`,
				async () => {
					const a = await this.api.call(method, `/${collection}/${guid}`, { body });
					return {
						verdict: isNotFound(a) ? 'OK' : 'DIFFERS',
						result: shortAnswer(a),
						answer: answerOf(a),
						details: { body: a.body },
					};
				},
			);
		}
		await this.probe(
			'articles.delete',
			'Visma has no article delete: DELETE /articles/{guid} is 404 or 405',
			async () => {
				const a = await this.api.call('DELETE', `/articles/${guid}`);
				return {
					verdict: a.status === 404 || a.status === 405 ? 'OK' : 'DIFFERS',
					result: shortAnswer(a),
					answer: answerOf(a),
				};
			},
		);
	}

	async duplicateNumber() {
		const number = String(this.customer.CustomerNumber);
		const lower = number.toLowerCase();
		/** @type {Answer | undefined} */
		let duplicate;
		const again = await this.probe(
			'customer.duplicateNumber',
			'POST /customers with an existing CustomerNumber is 400 with ErrorCode 4000',
			async () => {
				const a = await this.api.call('POST', '/customers', { body: this.customerBody(number) });
				duplicate = a;
				if (a.status === 200 || a.status === 201)
					this.ledger.customers.push({
						id: a.body.Id,
						what: `duplicate ${number} (Visma accepted it!)`,
					});
				return {
					verdict: a.status === 400 && a.body?.ErrorCode === 4000 ? 'OK' : 'DIFFERS',
					result: shortAnswer(a),
					answer: answerOf(a),
				};
			},
		);
		/** @type {boolean | undefined} */
		let uniqueIgnoresCase;
		await this.probe(
			'customer.duplicateNumberOtherCase',
			`POST /customers with the number in other case ('${lower}') is refused like the exact duplicate`,
			async () => {
				const a = await this.api.call('POST', '/customers', { body: this.customerBody(lower) });
				if (a.status === 200 || a.status === 201) {
					this.ledger.customers.push({
						id: a.body.Id,
						what: `other-case customer ${a.body.CustomerNumber}`,
					});
					uniqueIgnoresCase = false;
					return {
						verdict: 'DIFFERS',
						result: `${a.status}: created a second customer "${a.body.CustomerNumber}" (uniqueness is case-sensitive)`,
						answer: answerOf(a),
					};
				}
				// Refused the way the exact duplicate was refused: the number is taken, whatever its case.
				uniqueIgnoresCase =
					a.status >= 400 &&
					a.status < 500 &&
					a.status === duplicate?.status &&
					a.body?.ErrorCode === duplicate?.body?.ErrorCode;
				return {
					verdict: uniqueIgnoresCase ? 'OK' : 'DIFFERS',
					result: `${shortAnswer(a)}${uniqueIgnoresCase ? ' (like the exact duplicate)' : ''}`,
					answer: answerOf(a),
				};
			},
		);
		/** @type {boolean | undefined} */
		let eqIgnoresCase;
		await this.probe(
			'customer.eqCase',
			`$filter=CustomerNumber eq '${lower}' finds '${number}' (string eq ignores case, as SQL Server collations do)`,
			async () => {
				const a = await this.api.get('/customers', {
					$filter: `CustomerNumber eq ${quote(lower)}`,
				});
				if (a.status !== 200)
					return { verdict: 'DIFFERS', result: shortAnswer(a), answer: answerOf(a) };
				const numbers = (a.body.Data ?? []).map((/** @type {any} */ c) => c.CustomerNumber);
				eqIgnoresCase = ids(a).includes(String(this.customer.Id).toLowerCase());
				return {
					verdict: eqIgnoresCase ? 'OK' : 'DIFFERS',
					result: `200, found ${list(numbers)}${eqIgnoresCase ? '' : ' (eq is case-sensitive)'}`,
					answer: answerOf(a),
				};
			},
		);
		await this.probe(
			'customer.caseConsistency',
			'uniqueness and eq treat case alike (the node matches numbers ignoring case, safe either way)',
			async () => {
				if (
					uniqueIgnoresCase === undefined ||
					eqIgnoresCase === undefined ||
					again.verdict === 'ERROR'
				) {
					return { verdict: 'ERROR', result: 'not decided: an earlier case probe failed' };
				}
				const describe = (/** @type {boolean} */ x) => (x ? 'ignores case' : 'case-sensitive');
				const same = uniqueIgnoresCase === eqIgnoresCase;
				return {
					verdict: same ? 'OK' : 'DIFFERS',
					result: `uniqueness ${describe(uniqueIgnoresCase)}, eq ${describe(eqIgnoresCase)}${same ? '' : uniqueIgnoresCase ? ': a number in other case is neither found nor creatable' : ''}`,
				};
			},
		);
	}

	async unitPrices() {
		const price = Number(this.pricedArticle.NetPrice);
		/**
		 * @param {string} name
		 * @param {string} assumption
		 * @param {Record<string, unknown>} fields
		 * @param {Record<string, unknown>} row
		 * @param {(stored: number) => boolean} expected
		 */
		const check = async (name, assumption, fields, row, expected) =>
			await this.probe(name, assumption, async () => {
				const created = await this.api.call('POST', '/customerinvoicedrafts', {
					body: this.draftBody(fields, [
						this.articleRow({ Text: `n8n live probe: ${name}`, ...row }),
					]),
				});
				if (created.status !== 200 && created.status !== 201)
					return {
						verdict: 'DIFFERS',
						result: `draft refused: ${shortAnswer(created)}`,
						answer: answerOf(created),
					};
				this.ledger.drafts.push({ id: created.body.Id, what: name });
				const read = await this.api.get(`/customerinvoicedrafts/${created.body.Id}`);
				const stored = Number(
					(read.status === 200 ? read.body : created.body).Rows?.[0]?.UnitPrice,
				);
				return {
					verdict: expected(stored) ? 'OK' : 'DIFFERS',
					result: `stored UnitPrice ${stored} (article NetPrice ${price})`,
					answer: answerOf(read.status === 200 ? read : created),
				};
			});
		await check(
			'draftRow.noUnitPrice',
			'an omitted UnitPrice is billed at 0, not the article price (so the node always sends a price)',
			{},
			{},
			(stored) => stored === 0,
		);
		await check(
			'draftRow.zeroPrice.replaceFalse',
			'UnitPrice 0 with ReplaceUnitPriceWhenZero false stays 0',
			{ ReplaceUnitPriceWhenZero: false },
			{ UnitPrice: 0 },
			(stored) => stored === 0,
		);
		await check(
			'draftRow.zeroPrice.replaceTrue',
			"UnitPrice 0 with ReplaceUnitPriceWhenZero true takes the article's price (documented)",
			{ ReplaceUnitPriceWhenZero: true },
			{ UnitPrice: 0 },
			(stored) => stored === price,
		);
	}

	/**
	 * What the session saw of the token endpoint.
	 * @param {import('./oauth').Session} session
	 */
	tokenFinding(session) {
		const first = session.refreshes[0];
		const by = (/** @type {Array<{ by: string }>} */ refreshes) => {
			/** @type {Map<string, number>} */
			const n = new Map();
			for (const r of refreshes) n.set(r.by, (n.get(r.by) ?? 0) + 1);
			return [...n].map(([k, v]) => `${k} ${v}`).join(', ');
		};
		this.findings.unshift({
			name: 'oauth.refreshRotates',
			assumption: 'every refresh returns a new refresh token (rotation; the old one dies)',
			verdict: first ? (session.refreshes.every((r) => r.rotated) ? 'OK' : 'DIFFERS') : 'ERROR',
			result: first
				? `${session.refreshes.length} refresh(es) (${by(session.refreshes)}); ${first.rotated ? (session.refreshes.every((r) => r.rotated) ? 'new refresh token each time' : 'not rotated every time') : first.refreshTokenReturned ? 'the same refresh token came back' : 'no refresh token in the answer'}; expires_in ${first.expiresIn}, token_type ${first.tokenType}, scope "${first.scope ?? ''}"`
				: 'no refresh happened',
			details: session.refreshes,
		});
	}

	/**
	 * Rate-limit headers seen on any answer of this run.
	 * @param {import('./api').HeaderRecorder} recorder
	 */
	rateLimitFinding(recorder) {
		const seen = [...recorder.seen.entries()].map(([name, v]) => ({ name, ...v }));
		const onNormal = seen.filter((h) => !h.on429);
		const limited = recorder.tooManyRequests;
		const withoutWait = limited.filter((r) => !/try again in \d+ second/i.test(r.body ?? ''));
		const headers = seen.length
			? seen.map((h) => `${h.name}: ${h.example}`).join('; ')
			: 'no rate-limit headers';
		this.findings.push({
			name: 'rateLimit.headers',
			assumption:
				'no rate-limit headers on normal answers; a 429 (ErrorCode 4010) says "Try again in N seconds"',
			verdict: onNormal.length || withoutWait.length ? 'DIFFERS' : 'OK',
			result: `${recorder.answers} answers, ${headers}; ${limited.length} x 429${withoutWait.length ? `, ${withoutWait.length} without "Try again in N seconds"` : ''}`,
			details: { headers: seen, tooManyRequests: limited },
		});
	}
}

module.exports = { PRICED_ARTICLE, Probes, REFERENCE_FIELDS, quote, referenceFieldsOf };

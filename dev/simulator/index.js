// @ts-check
'use strict';

/**
 * Strict local Visma eAccounting (Spiris) API simulator: identity server (/connect) and REST API (/v2)
 * on one port, plus a control API (/__sim). Node built-ins only.
 */

const http = require('http');
const { randomUUID } = require('crypto');
const { createClock } = require('./clock');
const { createCore } = require('./app');
const { createOAuth, DEFAULT_SCOPES } = require('./oauth');
const { createRateLimiter } = require('./ratelimit');
const { createFaults } = require('./faults');
const { createRecorder } = require('./recorder');
const { createRequestListener } = require('./server');
const { createControl } = require('./control');
const { SEED_IDS, articleIdFor, buildSeed, customerIdFor } = require('./seed');
const { render } = require('./render');
const { renderCustomer, unpaidByCustomer } = require('./handlers/customers');
const { renderArticle } = require('./handlers/articles');
const { renderDraft } = require('./handlers/drafts');
const { renderInvoice } = require('./handlers/invoices');
const { renderCompany } = require('./handlers/referenceData');
const { renderProject } = require('./handlers/projects');
const { isoDate } = require('./clock');
const { DEFAULT_RULES, applyRules } = require('./rules');

/** @typedef {import('./ratelimit').RateLimitConfig} RateLimitConfig */
/** @typedef {import('./faults').FaultConfig} FaultConfig */
/** @typedef {import('./faults').FaultRule} FaultRule */
/** @typedef {import('./faults').FaultKind} FaultKind */
/** @typedef {import('./oauth').TokenPair} TokenPair */
/** @typedef {import('./recorder').LogEntry} LogEntry */
/** @typedef {import('./recorder').Stats} Stats */
/** @typedef {import('./clock').SimClock} SimClock */
/** @typedef {import('./seed').SeedName} SeedName */
/** @typedef {import('./state').State} State */
/** @typedef {import('./rules').ApiRules} ApiRules */
/** @typedef {Record<string, any>} Json */

/**
 * @typedef {'customers'|'articles'|'customerinvoicedrafts'|'customerinvoices'|'units'|'articleaccountcodings'|'termsofpayments'|'vatcodes'|'bankaccounts'|'salesdocumentattachments'|'notes'|'projects'|'outbox'} CollectionName
 */

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port] 0 (default) = random free port; binds 127.0.0.1
 * @property {SeedName} [seed] 'default' (default), 'empty' (company + reference data only) or 'demo'
 * @property {number} [latencyMs] added before answering every /v2 and /connect request
 * @property {RateLimitConfig | null} [rateLimit] e.g. { perMinute: 600, windowMs: 60000, sendRetryAfter: false }
 * @property {FaultConfig | null} [faults] e.g. { rate: 0.05, kinds: ['503', '500-5001', 'lost-response'], seed: 42 }
 * @property {number} [accessTokenTtlSeconds] default 3600
 * @property {string} [clientId] default 'sim-client'
 * @property {string} [clientSecret] default 'sim-secret'
 * @property {string[] | null} [redirectUris] registered redirect URIs; null (default) accepts any http(s) URL
 * @property {number} [maxUrlLength] request-target limit in characters, default 2048 (longer → 414)
 * @property {number} [logLimit] entries kept in sim.log, default 10000
 * @property {number | null} [maxFilterNodes] $filter node limit (ASP.NET MaxNodeCount), default 100; null or 0 = unlimited
 * @property {number} [duplicateErrorCode] ErrorCode for a duplicate CustomerNumber/article Number, default 2000
 * @property {string[]} [refuseFilterOn] properties refused in $filter: 'Field' or 'collection.Field', default none
 * @property {string[]} [refuseOrderByOn] properties refused in $orderby, default none
 * @property {boolean | string[]} [refuseSelect] true refuses any $select; a list refuses those properties; default false
 * @property {'jwt' | 'opaque'} [accessTokenFormat] 'jwt' (default): Visma-like JWTs whose customer_id names the company; 'opaque': random strings
 * @property {number} [maxAttachmentBytes] largest sales document attachment in bytes, default 5 MiB (Visma documents none)
 */

/**
 * @typedef {object} ConfigureOptions
 * @property {number} [latencyMs]
 * @property {RateLimitConfig | null} [rateLimit]
 * @property {FaultConfig | null} [faults]
 * @property {number} [accessTokenTtlSeconds]
 * @property {number} [maxUrlLength]
 * @property {number | null} [maxFilterNodes]
 * @property {number} [duplicateErrorCode]
 * @property {string[]} [refuseFilterOn]
 * @property {string[]} [refuseOrderByOn]
 * @property {boolean | string[]} [refuseSelect]
 * @property {'jwt' | 'opaque'} [accessTokenFormat]
 * @property {string[] | null} [redirectUris]
 * @property {number} [maxAttachmentBytes]
 */

/**
 * @typedef {object} BeforeHandleInfo
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 */

/**
 * @typedef {object} Simulator
 * @property {string} url e.g. http://127.0.0.1:12345; API base = url + '/v2', identity server = url
 * @property {number} port
 * @property {SimClock} clock all timestamps, "today" and token expiry follow this clock
 * @property {LogEntry[]} log request log (no secrets), oldest first
 * @property {{ beforeHandle: ((req: BeforeHandleInfo) => unknown) | null }} hooks beforeHandle runs (and is awaited) before each /v2 request reaches its handler
 * @property {(opts?: { scopes?: string[], companyId?: string }) => TokenPair} issueTokens a valid token pair (default scopes 'ea:api offline_access ea:sales') for the selected company, or the one named
 * @property {(opts?: { seed?: SeedName, name?: string }) => string} addCompany another company (default seed 'empty'), returns its id; the selected company stays selected
 * @property {(companyId: string) => void} selectCompany the company logins pick from now on and the in-process methods (api, list, markInvoicePaid, companySettings) act on
 * @property {() => string} companyId the selected company's id (CompanyIdentifier, and customer_id in its tokens)
 * @property {() => void} expireAccessTokens every issued access token now gives 401
 * @property {(opts: ConfigureOptions) => void} configure
 * @property {(rule: FaultRule) => void} injectFault targets matching requests (method + path prefix) deterministically
 * @property {() => void} clearFaults drops the injected faults not used up yet
 * @property {(method: string, pathWithQuery: string, body?: unknown) => { status: number, body: any }} api in-process call through the same handlers/validation, bypassing auth, rate limit, faults, latency, hooks and log
 * @property {(collection: CollectionName) => Json[]} list copies of the records as the API returns them
 * @property {() => Json} companySettings
 * @property {(patch: Json) => Json} setCompanySettings changes company settings as a person would in eAccounting's web UI, read-only ones included (ShowPricesExclVatPC, UsesProject, UsesGreenTechnology, ...); returns the settings
 * @property {() => Stats} stats
 * @property {() => void} resetStats
 * @property {(seed?: SeedName) => void} reset back to a seed (default: the current one) and to the one seeded company; clears tokens, rate-limit windows, injected faults, stats and log
 * @property {(invoiceId: string) => Json} markInvoicePaid PaymentStatus 0, RemainingAmount 0, PaymentDate today, ModifiedUtc now
 * @property {() => Promise<void>} close
 */

/**
 * @param {unknown} format
 * @returns {'jwt' | 'opaque'}
 */
function tokenFormat(format) {
	if (format !== 'jwt' && format !== 'opaque')
		throw new TypeError(`accessTokenFormat must be 'jwt' or 'opaque', got ${String(format)}`);
	return format;
}

/** @param {any} v */
function copy(v) {
	return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

/**
 * Starts a simulator on 127.0.0.1.
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const clock = createClock();
	const config = {
		latencyMs: options.latencyMs ?? 0,
		maxUrlLength: options.maxUrlLength ?? 2048,
		accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
		accessTokenFormat: tokenFormat(options.accessTokenFormat ?? 'jwt'),
		/** @type {string[] | null} */
		redirectUris: options.redirectUris ?? null,
	};
	/** @type {ApiRules} */
	const rules = applyRules({ ...DEFAULT_RULES }, options);
	const getRules = () => rules;
	let seedName = options.seed ?? 'default';
	let url = '';
	const getBaseUrl = () => url;

	/**
	 * Every company by id. `state` is the selected company (logins, in-process methods); `current`
	 * the one a request is served for, set around each synchronous dispatch.
	 * @type {Map<string, State>}
	 */
	let companies = new Map();
	/** @type {State} */
	let state;
	/** @type {State | undefined} */
	let current;
	const core = createCore({ getState: () => current ?? state, clock, getBaseUrl, getRules });
	/** @param {State} target */
	const apiFor = (target) => {
		const seedCore = createCore({ getState: () => target, clock, getBaseUrl, getRules });
		return (/** @type {string} */ method, /** @type {string} */ path, /** @type {any} */ body) =>
			call(seedCore, method, path, body);
	};
	/** @param {SeedName} seed */
	const seedCompanies = (seed) => {
		state = buildSeed(seed, clock, apiFor);
		companies = new Map([[String(state.company.CompanyIdentifier), state]]);
	};
	seedCompanies(seedName);
	/**
	 * Runs `fn` for the company `companyId` (a request's token says which).
	 * @template T
	 * @param {string} companyId
	 * @param {() => T} fn
	 * @returns {T}
	 */
	const asCompany = (companyId, fn) => {
		const previous = current;
		current = companies.get(companyId) ?? state;
		try {
			return fn();
		} finally {
			current = previous;
		}
	};

	const oauth = createOAuth({
		clock,
		clientId: options.clientId ?? 'sim-client',
		clientSecret: options.clientSecret ?? 'sim-secret',
		getRedirectUris: () => config.redirectUris,
		getTtlSeconds: () => config.accessTokenTtlSeconds,
		getCompanyId: () => String(state.company.CompanyIdentifier),
		getTokenFormat: () => config.accessTokenFormat,
		getIssuer: () => url,
	});
	const limiter = createRateLimiter(clock);
	limiter.configure(options.rateLimit ?? null);
	const faults = createFaults();
	faults.configure(options.faults ?? null);
	const recorder = createRecorder({ limit: options.logLimit ?? 10000 });
	/** @type {Simulator['hooks']} */
	const hooks = { beforeHandle: null };

	/**
	 * @param {ReturnType<typeof createCore>} c
	 * @param {string} method
	 * @param {string} path
	 * @param {unknown} [body]
	 */
	function call(c, method, path, body) {
		const full = /^\/?v2(\/|$|\?)/i.test(path)
			? `/${path.replace(/^\//, '')}`
			: `/v2/${path.replace(/^\//, '')}`;
		const q = full.indexOf('?');
		const r = c.dispatch({
			method,
			pathname: q >= 0 ? full.slice(0, q) : full,
			query: new URLSearchParams(q >= 0 ? full.slice(q + 1) : ''),
			contentType: body === undefined ? undefined : 'application/json',
			rawBody: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8'),
			scopes: null,
		});
		return { status: r.status, body: Buffer.isBuffer(r.body) ? r.body : copy(r.body) };
	}

	/** @type {Simulator} */
	const sim = {
		url: '',
		port: 0,
		clock,
		log: recorder.log,
		hooks,
		issueTokens: (opts = {}) => oauth.issueTokens(opts.scopes ?? DEFAULT_SCOPES, opts.companyId),
		addCompany(opts = {}) {
			const companyId = randomUUID();
			const added = buildSeed(opts.seed ?? 'empty', clock, apiFor);
			added.company.CompanyIdentifier = companyId;
			if (opts.name) added.company.Name = opts.name;
			companies.set(companyId, added);
			return companyId;
		},
		selectCompany(companyId) {
			const selected = companies.get(companyId);
			if (!selected) throw new Error(`No company with id ${companyId}`);
			state = selected;
		},
		companyId: () => String(state.company.CompanyIdentifier),
		expireAccessTokens: () => oauth.expireAccessTokens(),
		configure(opts) {
			// validated on a copy first, so a bad value changes nothing
			const nextRules = applyRules({ ...rules }, opts);
			if (opts.latencyMs !== undefined) config.latencyMs = opts.latencyMs;
			if (opts.maxUrlLength !== undefined) config.maxUrlLength = opts.maxUrlLength;
			if (opts.accessTokenTtlSeconds !== undefined)
				config.accessTokenTtlSeconds = opts.accessTokenTtlSeconds;
			if (opts.accessTokenFormat !== undefined)
				config.accessTokenFormat = tokenFormat(opts.accessTokenFormat);
			if ('redirectUris' in opts) config.redirectUris = opts.redirectUris ?? null;
			if ('rateLimit' in opts) limiter.configure(opts.rateLimit ?? null);
			if ('faults' in opts) faults.configure(opts.faults ?? null);
			Object.assign(rules, nextRules);
		},
		injectFault: (rule) => faults.inject(rule),
		clearFaults: () => faults.reset(),
		api: (method, path, body) => call(core, method, path, body),
		list(collection) {
			const t = isoDate(clock.now());
			switch (collection) {
				case 'customers': {
					const unpaid = unpaidByCustomer(state);
					return copy([...state.customers.values()].map((c) => renderCustomer(state, c, unpaid)));
				}
				case 'articles':
					return copy([...state.articles.values()].map((a) => renderArticle(state, a)));
				case 'customerinvoicedrafts':
					return copy(
						[...state.customerinvoicedrafts.values()].map((d) => renderDraft(state, d, t)),
					);
				case 'customerinvoices':
					return copy([...state.customerinvoices.values()].map((i) => renderInvoice(state, i, t)));
				case 'units':
					return copy([...state.units.values()].map((x) => render('UnitApi', x)));
				case 'articleaccountcodings':
					return copy(
						[...state.articleaccountcodings.values()].map((x) =>
							render('ArticleAccountCodingApi', x),
						),
					);
				case 'termsofpayments':
					return copy(
						[...state.termsofpayments.values()].map((x) => render('TermsOfPaymentApi', x)),
					);
				case 'vatcodes':
					return copy([...state.vatcodes.values()].map((x) => render('VatCodeApi', x)));
				case 'bankaccounts':
					return copy([...state.bankaccounts.values()].map((x) => render('BankAccountApi', x)));
				case 'salesdocumentattachments':
					return copy(
						[...state.salesdocumentattachments.values()].map((x) =>
							render('SalesDocumentAttachmentApi', x),
						),
					);
				case 'notes':
					return copy([...state.notes.values()].map((x) => render('NoteApi', x)));
				case 'projects':
					return copy([...state.projects.values()].map((p) => renderProject(state, p)));
				case 'outbox':
					return copy(state.outbox);
				default:
					throw new TypeError(`Unknown collection '${String(collection)}'`);
			}
		},
		companySettings: () => copy(renderCompany(state)),
		setCompanySettings(patch) {
			Object.assign(state.company, copy(patch));
			return copy(renderCompany(state));
		},
		stats: () => recorder.stats(),
		resetStats: () => recorder.resetStats(),
		reset(seed) {
			const next = seed ?? seedName;
			seedCompanies(next);
			seedName = next;
			oauth.reset();
			limiter.reset();
			faults.reset();
			recorder.resetStats();
			recorder.clearLog();
		},
		markInvoicePaid(invoiceId) {
			const inv = state.customerinvoices.get(String(invoiceId).toLowerCase());
			if (!inv) throw new Error(`No customer invoice with id ${invoiceId}`);
			inv.RemainingAmount = 0;
			inv.RemainingAmountInvoiceCurrency = 0;
			inv.PaymentDate = `${isoDate(clock.now())}T00:00:00`;
			inv.ModifiedUtc = clock.now().toISOString();
			return copy(renderInvoice(state, inv, isoDate(clock.now())));
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};

	const server = http.createServer(
		{ maxHeaderSize: 128 * 1024 },
		createRequestListener({
			clock,
			core,
			oauth,
			limiter,
			faults,
			recorder,
			config,
			hooks,
			getCompanies: () => [...companies.values()],
			asCompany,
			control: createControl(() => sim),
		}),
	);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	url = `http://127.0.0.1:${port}`;
	sim.url = url;
	sim.port = port;
	return sim;
}

module.exports = { SEED_IDS, articleIdFor, customerIdFor, startSimulator };

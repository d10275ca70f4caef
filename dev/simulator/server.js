// @ts-check
'use strict';

const { endpointOf, routeOf } = require('./app');
const { errorBody, CODES } = require('./errors');
const { invoicePdf } = require('./handlers/invoices');

/** @typedef {import('http').IncomingMessage} IncomingMessage */
/** @typedef {import('http').ServerResponse} ServerResponse */
/** @typedef {import('./recorder').LogEntry} LogEntry */

/**
 * Everything the HTTP layer needs from the simulator instance.
 * @typedef {object} ServerDeps
 * @property {import('./clock').SimClock} clock
 * @property {ReturnType<typeof import('./app').createCore>} core
 * @property {ReturnType<typeof import('./oauth').createOAuth>} oauth
 * @property {ReturnType<typeof import('./ratelimit').createRateLimiter>} limiter
 * @property {ReturnType<typeof import('./faults').createFaults>} faults
 * @property {ReturnType<typeof import('./recorder').createRecorder>} recorder
 * @property {{ latencyMs: number, maxUrlLength: number }} config
 * @property {{ beforeHandle?: ((req: { method: string, path: string, query: Record<string, string> }) => unknown) | null }} hooks
 * @property {() => import('./state').State[]} getCompanies every company
 * @property {<T>(companyId: string, fn: () => T) => T} asCompany runs fn for the company a token names
 * @property {(req: IncomingMessage, res: ServerResponse, method: string, pathname: string, query: URLSearchParams, rawBody: Buffer) => Promise<void> | void} control
 */

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * @param {IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** @param {number} ms */
function delay(ms) {
	return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {any} body object → JSON, Buffer/string → as is, undefined → empty
 * @param {Record<string, string | number>} [headers]
 * @param {string} [contentType]
 */
function send(res, status, body, headers = {}, contentType) {
	/** @type {Buffer} */
	let buf;
	/** @type {Record<string, string | number>} */
	const h = { ...headers };
	if (body === undefined || body === null) {
		buf = Buffer.alloc(0);
	} else if (Buffer.isBuffer(body)) {
		buf = body;
		h['Content-Type'] = contentType ?? 'application/octet-stream';
	} else if (typeof body === 'string') {
		buf = Buffer.from(body, 'utf8');
		h['Content-Type'] = contentType ?? 'text/plain; charset=utf-8';
	} else {
		buf = Buffer.from(JSON.stringify(body), 'utf8');
		h['Content-Type'] = contentType ?? 'application/json; charset=utf-8';
	}
	h['Content-Length'] = buf.length;
	res.writeHead(status, h);
	res.end(buf);
}

/**
 * @param {string | undefined} header
 * @returns {LogEntry['authorization']}
 */
function authKind(header) {
	if (!header) return null;
	if (/^Bearer\s/i.test(header)) return 'bearer';
	if (/^Basic\s/i.test(header)) return 'basic';
	return 'other';
}

/**
 * Parsed JSON of a write for the log (raw text if it is not JSON).
 * @param {string} method
 * @param {Buffer} rawBody
 */
function logBodyOf(method, rawBody) {
	if (method === 'GET' || rawBody.length === 0) return undefined;
	const text = rawBody.toString('utf8');
	try {
		return JSON.parse(text);
	} catch {
		return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
	}
}

/**
 * @param {ServerDeps} sim
 */
function createRequestListener(sim) {
	/**
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 */
	return (req, res) => {
		handle(sim, req, res).catch((err) => {
			if (!res.headersSent)
				send(
					res,
					500,
					errorBody(
						5000,
						`Simulator internal error: ${err instanceof Error ? err.stack : String(err)}`,
					),
				);
			else res.destroy();
		});
	};
}

/**
 * @param {ServerDeps} sim
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 */
async function handle(sim, req, res) {
	const rawUrl = req.url ?? '/';
	const q = rawUrl.indexOf('?');
	const pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
	const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
	const method = (req.method ?? 'GET').toUpperCase();

	if (pathname === '/__sim' || pathname.startsWith('/__sim/')) {
		const rawBody = await readBody(req);
		await sim.control(req, res, method, pathname, query, rawBody);
		return;
	}

	const isV2 = /^\/v2(\/|$)/i.test(pathname);
	const endpoint = isV2
		? endpointOf(pathname)
		: pathname.startsWith('/storage/')
			? 'storage'
			: pathname.replace(/^\//, '');
	/** @type {Omit<LogEntry, 'seq'>} */
	const entry = {
		t: sim.clock.now().toISOString(),
		method,
		path: pathname,
		query: Object.fromEntries(query),
		status: 0,
		endpoint,
		route: isV2 ? routeOf(method, pathname) : endpoint,
		authorization: authKind(req.headers.authorization),
	};
	const rawBody = await readBody(req);

	// The request target as sent on the wire (percent-encoded) is what the real front end limits.
	if (rawUrl.length > sim.config.maxUrlLength) {
		send(res, 414, undefined);
		sim.recorder.record({ ...entry, status: 414 });
		return;
	}

	if (pathname.startsWith('/connect/')) {
		await delay(sim.config.latencyMs);
		return handleConnect(sim, req, res, method, pathname, query, rawBody, entry);
	}
	if (pathname.startsWith('/storage/temp/fileanonymous/')) {
		const id = pathname.slice('/storage/temp/fileanonymous/'.length).toLowerCase();
		const owner = sim.getCompanies().find((company) => company.files.has(id));
		const file = owner?.files.get(id);
		const inv =
			owner && file && file.expiresAt > sim.clock.nowMs()
				? owner.customerinvoices.get(file.invoiceId)
				: undefined;
		if (method !== 'GET' || !inv) {
			send(res, 404, 'The specified blob does not exist.');
			sim.recorder.record({ ...entry, status: 404 });
			return;
		}
		send(res, 200, invoicePdf(/** @type {any} */ (owner), inv), {}, 'application/pdf');
		sim.recorder.record({ ...entry, status: 200 });
		return;
	}
	if (isV2) return handleV2(sim, req, res, method, pathname, query, rawBody, entry);

	send(res, 404, 'Not found');
	sim.recorder.record({ ...entry, status: 404 });
}

/**
 * @param {ServerDeps} sim
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} method
 * @param {string} pathname
 * @param {URLSearchParams} query
 * @param {Buffer} rawBody
 * @param {Omit<LogEntry, 'seq'>} entry
 */
function handleConnect(sim, req, res, method, pathname, query, rawBody, entry) {
	const expected = pathname === '/connect/authorize' ? 'GET' : 'POST';
	const known = ['/connect/authorize', '/connect/token', '/connect/revocation'].includes(pathname);
	if (!known) {
		send(res, 404, 'Not found');
		sim.recorder.record({ ...entry, status: 404 });
		return;
	}
	if (method !== expected) {
		send(res, 405, undefined, { Allow: expected });
		sim.recorder.record({ ...entry, status: 405 });
		return;
	}
	const request = {
		authorization: req.headers.authorization,
		contentType: req.headers['content-type'],
		rawBody,
	};
	const result =
		pathname === '/connect/authorize'
			? sim.oauth.authorize(query)
			: pathname === '/connect/token'
				? sim.oauth.token(request)
				: sim.oauth.revocation(request);
	send(res, result.status, result.body, result.headers);
	sim.recorder.record(
		{ ...entry, status: result.status, ...(result.logBody ? { body: result.logBody } : {}) },
		{ grantType: result.grantType },
	);
}

/**
 * /v2 pipeline: latency → bearer auth → rate limit → faults → test hook → handler.
 * @param {ServerDeps} sim
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} method
 * @param {string} pathname
 * @param {URLSearchParams} query
 * @param {Buffer} rawBody
 * @param {Omit<LogEntry, 'seq'>} entry
 */
async function handleV2(sim, req, res, method, pathname, query, rawBody, entry) {
	const body = logBodyOf(method, rawBody);
	if (body !== undefined) entry.body = body;
	await delay(sim.config.latencyMs);

	const auth = sim.oauth.authenticate(req.headers.authorization);
	if (!auth.ok) {
		send(
			res,
			401,
			{ Message: 'Authorization has been denied for this request.' },
			{ 'WWW-Authenticate': 'Bearer error="invalid_token"' },
		);
		sim.recorder.record({ ...entry, status: 401 });
		return;
	}
	entry.clientId = auth.clientId;

	const slot = sim.limiter.take(`${auth.clientId} ${entry.endpoint}`);
	if (!slot.ok) {
		const n = slot.retryAfterSeconds;
		const payload = {
			ErrorCode: CODES.TooManyRequests,
			DeveloperErrorMessage: `API calls quota exceeded! maximum admitted ${slot.limit} per Minute. Try again in ${n} seconds.`,
			ErrorId: errorBody(0, '').ErrorId,
		};
		send(res, 429, payload, slot.sendRetryAfter ? { 'Retry-After': String(n) } : {});
		sim.recorder.record({ ...entry, status: 429, retryAfterSeconds: n });
		return;
	}

	const fault = sim.faults.pick(method, pathname);
	if (fault === '503') {
		send(
			res,
			503,
			'<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>',
			{},
			'text/html; charset=utf-8',
		);
		sim.recorder.record({ ...entry, status: 503, fault });
		return;
	}
	if (fault === '500-5001') {
		send(
			res,
			500,
			errorBody(
				CODES.CantReachSystemDependency,
				"Can't reach system dependency. Please try again later.",
			),
		);
		sim.recorder.record({ ...entry, status: 500, fault });
		return;
	}
	if (fault === 'connection-refused-like') {
		req.socket.destroy();
		sim.recorder.record({ ...entry, status: 0, fault });
		return;
	}

	if (fault === 'late-commit') {
		// A gateway gave up; the write is still applied later, stamped with its arrival time.
		const at = sim.clock.now();
		send(
			res,
			504,
			'<html><head><title>504 Gateway Time-out</title></head><body><h1>Gateway Time-out</h1></body></html>',
			{},
			'text/html; charset=utf-8',
		);
		sim.recorder.record({ ...entry, status: 504, fault });
		setTimeout(() => {
			sim.asCompany(auth.companyId, () =>
				sim.core.dispatch({
					method,
					pathname,
					query,
					contentType: req.headers['content-type'],
					rawBody,
					scopes: auth.scopes,
					at,
				}),
			);
		}, sim.faults.lastDelayMs);
		return;
	}

	if (sim.hooks.beforeHandle)
		await sim.hooks.beforeHandle({ method, path: pathname, query: Object.fromEntries(query) });

	const result = sim.asCompany(auth.companyId, () =>
		sim.core.dispatch({
			method,
			pathname,
			query,
			contentType: req.headers['content-type'],
			rawBody,
			scopes: auth.scopes,
		}),
	);
	if (fault === 'lost-response') {
		// The change is applied; the client never hears about it.
		req.socket.destroy();
		sim.recorder.record({ ...entry, status: 0, fault, appliedStatus: result.status });
		return;
	}
	send(res, result.status, result.body, result.headers ?? {}, result.contentType);
	sim.recorder.record({ ...entry, status: result.status });
}

module.exports = { createRequestListener, readBody, send };

// @ts-check
'use strict';

const { resolve } = require('./router');
const { ApiError, CODES, errorBody, fieldError } = require('./errors');

/** @typedef {import('./state').State} State */
/** @typedef {import('./clock').SimClock} SimClock */
/** @typedef {import('./handlers/common').HandlerResult} HandlerResult */
/** @typedef {import('./rules').ApiRules} ApiRules */

/**
 * @typedef {object} V2Request
 * @property {string} method
 * @property {string} pathname starts with /v2
 * @property {URLSearchParams} query
 * @property {string | undefined} contentType
 * @property {Buffer} rawBody
 * @property {string[] | null} scopes granted scopes; null = trusted in-process call (no scope check)
 * @property {Date} [at] when the request arrived, for a write applied later (late-commit)
 */

/**
 * @typedef {object} V2Response
 * @property {number} status
 * @property {any} body JSON value, Buffer (binary) or undefined (empty)
 * @property {string} [contentType]
 * @property {Record<string, string>} [headers]
 */

/**
 * Path segments after /v2, URL-decoded.
 * @param {string} pathname
 */
function segmentsOf(pathname) {
	return pathname
		.replace(/^\/v2\/?/i, '')
		.split('/')
		.filter((s, i, all) => s !== '' || i < all.length - 1)
		.map((s) => {
			try {
				return decodeURIComponent(s);
			} catch {
				return s;
			}
		});
}

/**
 * Rate-limit/statistics endpoint: the first path segment after /v2, lower-cased.
 * @param {string} pathname
 */
function endpointOf(pathname) {
	return (segmentsOf(pathname)[0] ?? '').toLowerCase();
}

/**
 * Route template for logs, e.g. 'customers/{customerId}', or the raw path when unknown.
 * @param {string} method
 * @param {string} pathname
 */
function routeOf(method, pathname) {
	const r = resolve(method, segmentsOf(pathname));
	if (r.kind === 'found') return r.route.template;
	if (r.kind === 'method-not-allowed') return r.template;
	return segmentsOf(pathname).join('/');
}

/**
 * @param {ApiError} e
 * @returns {V2Response}
 */
function fromError(e) {
	return { status: e.status, body: e.toBody(), headers: e.headers };
}

/**
 * The clock as it read at `ms`, for a write applied later than it arrived.
 * @param {SimClock} clock
 * @param {number} ms
 * @returns {SimClock}
 */
function stampedAt(clock, ms) {
	return { ...clock, now: () => new Date(ms), nowMs: () => ms };
}

/**
 * The /v2 request core shared by HTTP and sim.api(): routing, scopes, media type, JSON parsing, handler.
 * @param {{ getState: () => State, clock: SimClock, getBaseUrl: () => string, getRules: () => ApiRules }} deps
 */
function createCore(deps) {
	/**
	 * @param {V2Request} req
	 * @returns {V2Response}
	 */
	function dispatch(req) {
		const method = req.method.toUpperCase();
		const r = resolve(method, segmentsOf(req.pathname));
		if (r.kind === 'not-found') {
			return {
				status: 404,
				body: errorBody(
					CODES.ResourceNotFound,
					`No HTTP resource was found that matches the request URI '${req.pathname}'.`,
				),
			};
		}
		if (r.kind === 'method-not-allowed') {
			return {
				status: 405,
				body: errorBody(0, `The requested resource does not support http method '${method}'.`),
				headers: { Allow: r.allow.join(', ') },
			};
		}
		const { route, params } = r;
		if (req.scopes !== null) {
			const granted = req.scopes;
			if (!granted.includes('ea:api') || !route.scopes.some((s) => granted.includes(s))) {
				return {
					status: 403,
					body: errorBody(
						CODES.NoAccessToScopes,
						`No access to scopes. ${method} /v2/${route.template} requires ea:api and one of: ${route.scopes.join(', ')}. Granted: ${granted.join(' ') || '(none)'}.`,
					),
				};
			}
		}
		/** @type {any} */
		let body;
		if (method === 'POST' || method === 'PUT') {
			const hasBody = req.rawBody.length > 0;
			const ct = (req.contentType ?? '').split(';')[0].trim().toLowerCase();
			const isJson = ct === 'application/json' || ct === 'text/json' || ct.endsWith('+json');
			if (hasBody && !isJson) {
				return {
					status: 415,
					body: errorBody(
						0,
						`Unsupported media type '${ct || '(none)'}'. Send the body as application/json.`,
					),
				};
			}
			if (hasBody) {
				try {
					body = JSON.parse(req.rawBody.toString('utf8'));
				} catch (e) {
					const msg = `The request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
					return fromError(
						new ApiError(400, CODES.ValidationError, msg, [fieldError('$', msg, 'InvalidJson')]),
					);
				}
			}
		}
		try {
			const result = route.handler({
				method,
				params,
				query: req.query,
				body,
				state: deps.getState(),
				// A late commit is stamped with the time its request arrived.
				clock: req.at ? stampedAt(deps.clock, req.at.getTime()) : deps.clock,
				baseUrl: deps.getBaseUrl(),
				rules: deps.getRules(),
				collection: route.pattern[0],
			});
			return {
				status: result.status,
				body: result.body,
				contentType: result.contentType,
				headers: result.headers,
			};
		} catch (e) {
			if (e instanceof ApiError) return fromError(e);
			const msg = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
			return { status: 500, body: errorBody(5000, `Simulator internal error: ${msg}`) };
		}
	}

	return { dispatch };
}

module.exports = { createCore, endpointOf, routeOf, segmentsOf };

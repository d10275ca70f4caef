// @ts-check
'use strict';

const { applyListQuery, checkQueryOptions } = require('../odata');
const { ApiError, CODES, badRequest, fieldProblem, notFound } = require('../errors');
const { GUID_RE, parseIsoDate } = require('../validate');
const { isoDate } = require('../clock');

/** @typedef {Record<string, any>} Json */
/** @typedef {import('../state').State} State */
/** @typedef {import('../clock').SimClock} SimClock */

/**
 * @typedef {object} Ctx
 * @property {string} method
 * @property {Record<string, string>} params path parameters
 * @property {URLSearchParams} query
 * @property {any} body parsed JSON body (undefined when the request had none)
 * @property {State} state
 * @property {SimClock} clock
 * @property {string} baseUrl e.g. http://127.0.0.1:1234
 * @property {import('../rules').ApiRules} rules
 * @property {string} collection first path segment of the route, e.g. 'customerinvoices'
 */

/**
 * @typedef {object} HandlerResult
 * @property {number} status
 * @property {any} [body] JSON-serializable value, or a Buffer for binary content
 * @property {string} [contentType]
 * @property {Record<string, string>} [headers]
 */

/** @typedef {(ctx: Ctx) => HandlerResult} Handler */

/**
 * @param {any} body
 * @param {number} [status]
 * @returns {HandlerResult}
 */
function ok(body, status = 200) {
	return { status, body };
}

/**
 * @param {Ctx} ctx
 * @param {string} schemaName
 * @param {Json[]} rows rendered API objects
 * @returns {HandlerResult}
 */
function list(ctx, schemaName, rows) {
	const { maxFilterNodes, refuseFilterOn, refuseOrderByOn, refuseSelect } = ctx.rules;
	return ok(
		applyListQuery(rows, schemaName, ctx.query, ctx.clock.now(), {
			collection: ctx.collection,
			maxFilterNodes,
			refuseFilterOn,
			refuseOrderByOn,
			refuseSelect,
		}),
	);
}

/**
 * Non-list endpoints reject `$` options (a misplaced $filter would otherwise be silently ignored).
 * @param {Ctx} ctx
 */
function noListOptions(ctx) {
	checkQueryOptions(ctx.query, false);
}

/**
 * @template T
 * @param {Map<string, T>} map
 * @param {string} id
 * @param {string} what
 * @returns {T}
 */
function getOr404(map, id, what) {
	const v = GUID_RE.test(id) ? map.get(id.toLowerCase()) : undefined;
	if (!v) throw notFound(what, id);
	return v;
}

/**
 * The target of a write (PUT, DELETE, POST .../convert): an unknown id is a 400 with ErrorCode 3000, not a 404.
 * @template T
 * @param {Map<string, T>} map
 * @param {string} id
 * @param {string} what
 * @returns {T}
 */
function getForWrite(map, id, what) {
	const v = GUID_RE.test(id) ? map.get(id.toLowerCase()) : undefined;
	if (!v) throw new ApiError(400, CODES.ResourceNotFound, `${what} with id '${id}' was not found.`);
	return v;
}

/** @param {Ctx} ctx */
function requireBody(ctx) {
	if (ctx.body === undefined) throw badRequest('A non-empty request body is required.');
	return ctx.body;
}

/** @param {Ctx} ctx */
function nowIso(ctx) {
	return ctx.clock.now().toISOString();
}

/** @param {Ctx | SimClock} c */
function today(c) {
	const clock = 'clock' in c ? c.clock : c;
	return isoDate(clock.now());
}

/**
 * Business dates are stored and returned as local midnight date-times (the date part as the client wrote it).
 * @param {string | null | undefined} s
 * @returns {string | null}
 */
function businessDate(s) {
	if (s === null || s === undefined) return null;
	const p = parseIsoDate(s);
	return p ? `${p.date}T00:00:00` : null;
}

/**
 * YYYY-MM-DD of a stored business date.
 * @param {string} s
 */
function dateOnly(s) {
	return s.slice(0, 10);
}

/**
 * @param {string} date YYYY-MM-DD
 * @param {number} days
 */
function addDays(date, days) {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return isoDate(d);
}

/**
 * Reads an optional boolean query parameter (ASP.NET binds names case-insensitively).
 * @param {URLSearchParams} query
 * @param {string} name
 * @param {boolean} dflt
 */
function boolParam(query, name, dflt) {
	const raw = param(query, name);
	if (raw === null) return dflt;
	const v = raw.toLowerCase();
	if (v === 'true') return true;
	if (v === 'false') return false;
	throw fieldProblem(
		name,
		`The value '${raw}' is not valid for ${name}; use true or false.`,
		'InvalidType',
	);
}

/**
 * Case-insensitive lookup of a plain (non-$) query parameter.
 * @param {URLSearchParams} query
 * @param {string} name
 * @returns {string | null}
 */
function param(query, name) {
	for (const [k, v] of query) if (k.toLowerCase() === name.toLowerCase()) return v;
	return null;
}

module.exports = {
	ApiError,
	addDays,
	boolParam,
	businessDate,
	dateOnly,
	getForWrite,
	getOr404,
	list,
	noListOptions,
	nowIso,
	ok,
	param,
	requireBody,
	today,
};

// @ts-check
'use strict';

/**
 * @typedef {object} LogEntry
 * @property {number} seq
 * @property {string} t ISO time on the simulator clock
 * @property {string} method
 * @property {string} path URL path without the query
 * @property {Record<string, string>} query decoded query parameters
 * @property {number} status HTTP status; 0 when the connection was dropped by a fault
 * @property {string} endpoint first path segment after /v2 (e.g. 'customers'), or 'connect/token', 'storage', ...
 * @property {string} route route template, e.g. 'customers/{customerId}'
 * @property {any} [body] parsed JSON for writes; redacted form fields for /connect
 * @property {'bearer'|'basic'|'other'|null} authorization kind of Authorization header (never the value)
 * @property {string} [clientId] client of the bearer token
 * @property {string} [fault] fault applied to this request
 * @property {number} [appliedStatus] for lost-response: the status the handler produced before the socket was dropped
 * @property {string} [createdId] for a write that created a record (also one whose answer was lost, or
 *   that a late commit applied afterwards): the new record's Id, so tests can tell who made what
 * @property {number} [retryAfterSeconds] on 429
 */

/**
 * @typedef {object} Stats
 * @property {number} total
 * @property {Record<string, number>} byEndpoint e.g. { 'GET customers': 3, 'POST customerinvoicedrafts': 1 }
 * @property {Record<string, number>} byRoute e.g. { 'GET customers/{customerId}': 2 }
 * @property {Record<string, number>} byStatus e.g. { '200': 5, '429': 1 }
 * @property {number} rateLimited
 * @property {Record<string, number>} faults by kind
 * @property {number} tokenRequests
 * @property {{ authorization_code: number, refresh_token: number }} tokenGrants successful grants by type
 */

/** @returns {Stats} */
function emptyStats() {
	return {
		total: 0,
		byEndpoint: {},
		byRoute: {},
		byStatus: {},
		rateLimited: 0,
		faults: {},
		tokenRequests: 0,
		tokenGrants: { authorization_code: 0, refresh_token: 0 },
	};
}

/**
 * @param {Record<string, number>} m
 * @param {string} k
 */
function inc(m, k) {
	m[k] = (m[k] ?? 0) + 1;
}

/**
 * Request log (bounded) and counters.
 * @param {{ limit: number }} opts
 */
function createRecorder(opts) {
	/** @type {LogEntry[]} */
	const log = [];
	let stats = emptyStats();
	let seq = 0;
	return {
		log,
		/**
		 * @param {Omit<LogEntry, 'seq'>} e
		 * @param {{ grantType?: string }} [extra]
		 */
		record(e, extra = {}) {
			const entry = { seq: ++seq, ...e };
			log.push(entry);
			if (log.length > opts.limit) log.splice(0, log.length - opts.limit);
			stats.total++;
			inc(stats.byEndpoint, `${e.method} ${e.endpoint}`);
			inc(stats.byRoute, `${e.method} ${e.route}`);
			inc(stats.byStatus, String(e.status));
			if (e.status === 429) stats.rateLimited++;
			if (e.fault) inc(stats.faults, e.fault);
			if (e.endpoint === 'connect/token') stats.tokenRequests++;
			if (extra.grantType === 'authorization_code' || extra.grantType === 'refresh_token')
				stats.tokenGrants[extra.grantType]++;
			return entry;
		},
		/** @returns {Stats} */
		stats() {
			return JSON.parse(JSON.stringify(stats));
		},
		resetStats() {
			stats = emptyStats();
		},
		clearLog() {
			log.length = 0;
		},
	};
}

module.exports = { createRecorder };

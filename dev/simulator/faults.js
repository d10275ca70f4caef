// @ts-check
'use strict';

/**
 * @typedef {'503'|'500-5001'|'lost-response'|'connection-refused-like'|'late-commit'} FaultKind
 * - 503: not applied, text/html "Service Unavailable"
 * - 500-5001: not applied, Visma error 5001 "Can't reach system dependency"
 * - lost-response: applied, then the socket is destroyed without a response (writes only)
 * - connection-refused-like: the socket is destroyed before the request is applied
 * - late-commit (writes only): a gateway answers 504 at once, and the write is applied `delayMs`
 *   later (default 1000), stamped with the time the request arrived: stamped first, visible late
 */

/**
 * @typedef {object} FaultConfig
 * @property {number} rate probability per /v2 request, 0..1
 * @property {FaultKind[]} [kinds] default ['503', '500-5001', 'lost-response']
 * @property {number} [seed] PRNG seed, default 1
 */

/**
 * @typedef {object} FaultRule
 * @property {string} [method] e.g. 'POST'; any method when omitted
 * @property {string} path prefix of the request path, e.g. '/v2/customers'
 * @property {FaultKind} kind
 * @property {number} [times] how many matching requests to hit, default 1
 * @property {number} [delayMs] late-commit only: when the write is applied, default 1000
 */

const KINDS = new Set([
	'503',
	'500-5001',
	'lost-response',
	'connection-refused-like',
	'late-commit',
]);
/** Kinds that only make sense for writes (they apply the request). */
const WRITE_ONLY = new Set(['lost-response', 'late-commit']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * Deterministic PRNG (mulberry32).
 * @param {number} seed
 */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** @param {string} kind */
function checkKind(kind) {
	if (!KINDS.has(kind))
		throw new TypeError(`Unknown fault kind '${kind}'. Use one of: ${[...KINDS].join(', ')}`);
}

function createFaults() {
	/** @type {FaultConfig | null} */
	let cfg = null;
	let rand = mulberry32(1);
	/** @type {Array<Required<FaultRule>>} */
	let rules = [];
	/** delayMs of the rule picked last (late-commit). */
	let lastDelayMs = 1000;

	return {
		/** @param {FaultConfig | null | undefined} c */
		configure(c) {
			if (c) {
				if (typeof c.rate !== 'number' || c.rate < 0 || c.rate > 1)
					throw new TypeError('faults.rate must be a number in 0..1');
				(c.kinds ?? []).forEach(checkKind);
			}
			cfg = c
				? {
						rate: c.rate,
						kinds: c.kinds ?? ['503', '500-5001', 'lost-response'],
						seed: c.seed ?? 1,
					}
				: null;
			rand = mulberry32(cfg?.seed ?? 1);
		},
		get config() {
			return cfg;
		},
		/** @param {FaultRule} rule */
		inject(rule) {
			checkKind(rule.kind);
			if (typeof rule.path !== 'string' || !rule.path.startsWith('/'))
				throw new TypeError('injectFault: path must be a path prefix such as /v2/customers');
			rules.push({
				method: (rule.method ?? '').toUpperCase(),
				path: rule.path,
				kind: rule.kind,
				times: rule.times ?? 1,
				delayMs: rule.delayMs ?? 1000,
			});
		},
		/**
		 * Decides the fault for one /v2 request: injected rules first, then the random rate.
		 * @param {string} method
		 * @param {string} pathname
		 * @returns {FaultKind | null}
		 */
		pick(method, pathname) {
			const m = method.toUpperCase();
			const rule = rules.find(
				(r) =>
					(!r.method || r.method === m) &&
					pathname.toLowerCase().startsWith(r.path.toLowerCase()) &&
					(!WRITE_ONLY.has(r.kind) || WRITE_METHODS.has(m)),
			);
			if (rule) {
				lastDelayMs = rule.delayMs;
				rule.times--;
				if (rule.times <= 0) rules = rules.filter((r) => r !== rule);
				return rule.kind;
			}
			if (!cfg || cfg.rate <= 0) return null;
			const roll = rand();
			const which = rand();
			if (roll >= cfg.rate) return null;
			lastDelayMs = 1000;
			const eligible = /** @type {FaultKind[]} */ (cfg.kinds ?? []).filter(
				(k) => !WRITE_ONLY.has(k) || WRITE_METHODS.has(m),
			);
			if (eligible.length === 0) return null;
			return eligible[Math.floor(which * eligible.length)];
		},
		/** When the last picked late-commit is applied, in ms after the request. */
		get lastDelayMs() {
			return lastDelayMs;
		},
		reset() {
			rules = [];
			rand = mulberry32(cfg?.seed ?? 1);
		},
	};
}

module.exports = { createFaults, mulberry32 };

// @ts-check
'use strict';

/** @typedef {import('./clock').SimClock} SimClock */

/**
 * @typedef {object} RateLimitConfig
 * @property {number} perMinute accepted requests allowed in any window
 * @property {number} [windowMs] sliding window length, default 60000
 * @property {boolean} [sendRetryAfter] also send a Retry-After header (Visma does not document one)
 */

/**
 * Sliding-window log per key (client + endpoint). Rejected requests are not recorded.
 * @param {SimClock} clock
 */
function createRateLimiter(clock) {
	/** @type {Required<RateLimitConfig> | null} */
	let cfg = null;
	/** @type {Map<string, number[]>} */
	const windows = new Map();

	return {
		/** @param {RateLimitConfig | null | undefined} c */
		configure(c) {
			if (c && (!Number.isInteger(c.perMinute) || c.perMinute < 1))
				throw new TypeError('rateLimit.perMinute must be a positive integer');
			cfg = c
				? {
						perMinute: c.perMinute,
						windowMs: c.windowMs ?? 60000,
						sendRetryAfter: Boolean(c.sendRetryAfter),
					}
				: null;
			windows.clear();
		},
		get config() {
			return cfg;
		},
		/**
		 * Records the request if there is room; otherwise says how long until a slot frees.
		 * @param {string} key
		 * @returns {{ ok: true } | { ok: false, retryAfterSeconds: number, limit: number, sendRetryAfter: boolean }}
		 */
		take(key) {
			if (!cfg) return { ok: true };
			const now = clock.nowMs();
			const log = windows.get(key) ?? [];
			while (log.length && log[0] <= now - cfg.windowMs) log.shift();
			if (log.length >= cfg.perMinute) {
				const retryAfterSeconds = Math.max(1, Math.ceil((log[0] + cfg.windowMs - now) / 1000));
				windows.set(key, log);
				return {
					ok: false,
					retryAfterSeconds,
					limit: cfg.perMinute,
					sendRetryAfter: cfg.sendRetryAfter,
				};
			}
			log.push(now);
			windows.set(key, log);
			return { ok: true };
		},
		reset() {
			windows.clear();
		},
	};
}

module.exports = { createRateLimiter };

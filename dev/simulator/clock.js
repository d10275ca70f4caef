// @ts-check
'use strict';

/**
 * @typedef {object} SimClock
 * @property {() => Date} now current simulated time
 * @property {() => number} nowMs current simulated time in epoch milliseconds
 * @property {(ms: number) => void} advance move the clock forward (or back with a negative value)
 * @property {(date: Date | string | number) => void} set jump to a point in time; time keeps flowing from there
 */

/**
 * A clock that runs in real time plus an adjustable offset, so token expiry, rate-limit windows and
 * "today" can be moved by tests without freezing time.
 * @returns {SimClock}
 */
function createClock() {
	let offset = 0;
	const nowMs = () => Date.now() + offset;
	return {
		nowMs,
		now: () => new Date(nowMs()),
		advance(ms) {
			if (typeof ms !== 'number' || !Number.isFinite(ms))
				throw new TypeError('clock.advance(ms) needs a number');
			offset += ms;
		},
		set(date) {
			const t = new Date(date).getTime();
			if (Number.isNaN(t)) throw new TypeError(`clock.set: invalid date ${String(date)}`);
			offset = t - Date.now();
		},
	};
}

/**
 * The calendar date (UTC) of a clock reading, as YYYY-MM-DD.
 * @param {Date} d
 */
function isoDate(d) {
	return d.toISOString().slice(0, 10);
}

module.exports = { createClock, isoDate };

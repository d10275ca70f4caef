// @ts-check
'use strict';

/**
 * Exact decimal arithmetic for amounts. JSON numbers are turned into scaled BigInts from their
 * shortest decimal representation, so 1.005 stays 1.005 and rounding is exact half-away-from-zero.
 */

/**
 * Digits after the decimal point in the shortest representation of a number.
 * @param {number} n
 */
function countDecimals(n) {
	if (!Number.isFinite(n)) return 0;
	const s = Math.abs(n).toString();
	const e = s.indexOf('e');
	if (e >= 0) {
		const mantissa = s.slice(0, e);
		const exp = Number(s.slice(e + 1));
		const dot = mantissa.indexOf('.');
		const frac = dot >= 0 ? mantissa.length - dot - 1 : 0;
		return Math.max(0, frac - exp);
	}
	const dot = s.indexOf('.');
	return dot >= 0 ? s.length - dot - 1 : 0;
}

/**
 * n * 10^scale as a BigInt, rounded half away from zero if n has more decimals than scale.
 * @param {number} n
 * @param {number} scale
 * @returns {bigint}
 */
function toScaled(n, scale) {
	const neg = n < 0;
	if (Math.abs(n) >= 1e21) return BigInt(Math.round(n)) * 10n ** BigInt(scale);
	const dec = countDecimals(n);
	// Build the exact decimal digits of |n| as an integer with `dec` decimals.
	const fixed = Math.abs(n).toFixed(Math.min(dec, 100));
	const [intPart, fracPart = ''] = fixed.split('.');
	let v = BigInt(intPart + fracPart);
	if (dec <= scale) v *= 10n ** BigInt(scale - dec);
	else v = divRound(v, 10n ** BigInt(dec - scale));
	return neg ? -v : v;
}

/**
 * Integer division rounding half away from zero.
 * @param {bigint} a
 * @param {bigint} b positive
 */
function divRound(a, b) {
	const neg = a < 0n;
	const abs = neg ? -a : a;
	const q = (abs + b / 2n) / b;
	return neg ? -q : q;
}

/**
 * @param {bigint} v
 * @param {number} scale
 */
function fromScaled(v, scale) {
	return Number(v) / 10 ** scale;
}

/**
 * Round half away from zero (Visma's rounding for sales documents).
 * @param {number} n
 * @param {number} [decimals]
 */
function round(n, decimals = 2) {
	return fromScaled(toScaled(n, decimals), decimals);
}

/**
 * Row amount = round(Quantity * UnitPrice * (1 - DiscountPercentage), 2), computed exactly.
 * @param {number} quantity up to 2 decimals
 * @param {number} unitPrice up to 4 decimals
 * @param {number} discount fraction, up to 4 decimals
 */
function rowAmount(quantity, unitPrice, discount) {
	const q = toScaled(quantity, 2);
	const p = toScaled(unitPrice, 4);
	const d = 10000n - toScaled(discount, 4);
	return fromScaled(divRound(q * p * d, 10n ** 8n), 2);
}

/**
 * round(amount * rate, 2) with amount in 2 decimals and rate as a fraction (0.25).
 * @param {number} amount
 * @param {number} rate
 */
function percentOf(amount, rate) {
	return fromScaled(divRound(toScaled(amount, 2) * toScaled(rate, 6), 10n ** 6n), 2);
}

/**
 * Sum amounts exactly at 2 decimals.
 * @param {number[]} values
 */
function sum(values) {
	let s = 0n;
	for (const v of values) s += toScaled(v, 2);
	return fromScaled(s, 2);
}

module.exports = { countDecimals, divRound, percentOf, round, rowAmount, sum, toScaled };

// @ts-check
'use strict';

/**
 * Swedish identity numbers as the simulator checks them on ROT/RUT and green-technology
 * drafts: personal identity numbers (personnummer) and coordination numbers (day + 60), 10 or
 * 12 digits with or without '-'/'+', a real date of birth and a valid Luhn check digit; and
 * organisation numbers (NNNNNN-NNNN, third digit at least 2, Luhn). Visma documents error 4029
 * SsnNumberIsInvalid but not its rules; these are Skatteverket's.
 */

/** @param {string} digits */
function luhn(digits) {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
		if (d > 9) d -= 9;
		sum += d;
	}
	return sum % 10 === 0;
}

/**
 * @param {number} y
 * @param {number} m
 * @param {number} d
 */
function realDate(y, m, d) {
	return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The date of birth (YYYY-MM-DD) of a valid personal identity or coordination number, or null.
 * @param {unknown} value
 * @param {string} today YYYY-MM-DD, which dates a 10-digit number
 * @returns {string | null}
 */
function birthDateOf(value, today) {
	if (typeof value !== 'string') return null;
	const text = value.replace(/\s/g, '');
	const long = /^(\d{4})(\d{2})(\d{2})[-+]?(\d{4})$/.exec(text);
	const short = long ? null : /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(text);
	if (!long && !short) return null;
	const m = /** @type {RegExpExecArray} */ (long ?? short);
	const month = Number(m[2]);
	const dayField = Number(m[3]);
	const day = dayField > 60 ? dayField - 60 : dayField;
	let year;
	if (long) year = Number(m[1]);
	else {
		const [ty, tm, td] = today.split('-').map(Number);
		year = ty - ((((ty - Number(m[1])) % 100) + 100) % 100);
		if (year * 10000 + month * 100 + day > ty * 10000 + tm * 100 + td) year -= 100;
		if (m[4] === '+') year -= 100;
	}
	if (!realDate(year, month, day)) return null;
	const birth = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
	if (birth > today) return null;
	const ten = `${String(year % 100).padStart(2, '0')}${m[2]}${m[3]}${long ? m[4] : m[5]}`;
	return luhn(ten) ? birth : null;
}

/**
 * Whether a housing association's organisation number is valid.
 * @param {unknown} value
 */
function isOrganisationNumber(value) {
	if (typeof value !== 'string') return false;
	const m = /^(\d{6})-?(\d{4})$/.exec(value.trim());
	if (!m) return false;
	const digits = m[1] + m[2];
	return Number(digits[2]) >= 2 && luhn(digits);
}

/**
 * Age in whole years on a date.
 * @param {string} birth YYYY-MM-DD
 * @param {string} on YYYY-MM-DD
 */
function ageOn(birth, on) {
	const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
	return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

module.exports = { ageOn, birthDateOf, isOrganisationNumber, luhn };

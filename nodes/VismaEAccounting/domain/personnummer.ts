/**
 * Swedish identity numbers, as ROT/RUT and green-technology invoices carry them: personal
 * identity numbers (personnummer), coordination numbers (samordningsnummer: the day plus 60)
 * and organisation numbers (for a housing association). Pure: the date they are read on comes in.
 */

export interface PersonNumber {
	/** YYYYMMDD-NNNN: the unambiguous 12-digit form, as sent to Visma. */
	normalized: string;
	/** YYYY-MM-DD (for a coordination number, the real day of birth). */
	birthDate: string;
	kind: 'personnummer' | 'samordningsnummer';
}

/** Luhn over the digits: every other digit doubled from the first, the sum a multiple of 10. */
export function luhnValid(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
		if (d > 9) d -= 9;
		sum += d;
	}
	return sum % 10 === 0;
}

const TWELVE = /^(\d{4})(\d{2})(\d{2})[-+]?(\d{4})$/;
const TEN = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function realDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A personal identity or coordination number in any of its usual forms (10 or 12 digits, with
 * or without `-` or `+`), or why it is not one. `asOf` (YYYY-MM-DD, the invoice date or today)
 * decides the century of a 10-digit number: `+` marks someone 100 or older.
 */
export function parsePersonNumber(value: string, asOf: string): PersonNumber | { problem: string } {
	const text = value.replace(/\s/g, '');
	let year: number;
	let month: number;
	let dayField: number;
	let serial: string;
	const long = TWELVE.exec(text);
	const short = long ? null : TEN.exec(text);
	if (long) {
		year = Number(long[1]);
		month = Number(long[2]);
		dayField = Number(long[3]);
		serial = long[4];
	} else if (short) {
		month = Number(short[2]);
		dayField = Number(short[3]);
		serial = short[5];
		const yy = Number(short[1]);
		const [asOfYear, asOfMonth, asOfDay] = asOf.split('-').map(Number);
		const asOfKey = asOfYear * 10000 + asOfMonth * 100 + asOfDay;
		const day = dayField > 60 ? dayField - 60 : dayField;
		// The latest year ending in yy whose birthday is not after `asOf`.
		year = asOfYear - ((((asOfYear - yy) % 100) + 100) % 100);
		if (year * 10000 + month * 100 + day > asOfKey) year -= 100;
		if (short[4] === '+') year -= 100;
	} else {
		return { problem: 'must have 10 or 12 digits, e.g. 19800101-1234 or 800101-1234' };
	}
	const coordination = dayField > 60;
	const day = coordination ? dayField - 60 : dayField;
	if (!realDate(year, month, day)) {
		return {
			problem: `has no valid date of birth (${pad(year, 4)}-${pad(month)}-${pad(dayField)})`,
		};
	}
	const birthDate = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
	if (birthDate > asOf) return { problem: `has a date of birth in the future (${birthDate})` };
	if (year < Number(asOf.slice(0, 4)) - 130) {
		return { problem: `has an implausible year of birth (${year})` };
	}
	const ten = `${pad(year % 100)}${pad(month)}${pad(dayField)}${serial}`;
	if (!luhnValid(ten)) return { problem: 'has a wrong check digit (its last digit)' };
	return {
		normalized: `${pad(year, 4)}${pad(month)}${pad(dayField)}-${serial}`,
		birthDate,
		kind: coordination ? 'samordningsnummer' : 'personnummer',
	};
}

const ORGANISATION = /^(?:16)?(\d{6})-?(\d{4})$/;

/**
 * A Swedish organisation number (a housing association's), NNNNNN-NNNN, or why it is not one:
 * 10 digits (an optional `16` prefix is dropped), the third at least 2, a valid check digit.
 */
export function parseOrganisationNumber(
	value: string,
): { normalized: string } | { problem: string } {
	const match = ORGANISATION.exec(value.replace(/\s/g, ''));
	if (!match) return { problem: 'must have 10 digits, e.g. 769612-3456' };
	const digits = match[1] + match[2];
	if (Number(digits[2]) < 2) {
		return { problem: 'is not an organisation number (its third digit must be 2 or more)' };
	}
	if (!luhnValid(digits)) return { problem: 'has a wrong check digit (its last digit)' };
	return { normalized: `${match[1]}-${match[2]}` };
}

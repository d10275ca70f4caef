import { describe, expect, it } from '@jest/globals';

import {
	luhnValid,
	parseOrganisationNumber,
	parsePersonNumber,
} from '../../nodes/VismaEAccounting/domain/personnummer';

const ON = '2026-11-30';

describe('personal identity numbers (personnummer, samordningsnummer)', () => {
	/** [as written, the date it is read on, the 12-digit form, the date of birth, the kind]. */
	const VALID: Array<[string, string, string, string, string]> = [
		['19800101-0019', ON, '19800101-0019', '1980-01-01', 'personnummer'],
		['198001010019', ON, '19800101-0019', '1980-01-01', 'personnummer'],
		['800101-0019', ON, '19800101-0019', '1980-01-01', 'personnummer'],
		['8001010019', ON, '19800101-0019', '1980-01-01', 'personnummer'],
		[' 800101 - 0019 ', ON, '19800101-0019', '1980-01-01', 'personnummer'],
		['19121212-1212', ON, '19121212-1212', '1912-12-12', 'personnummer'],
		// "+" marks someone who is 100 or older: 1912, not 2012.
		['121212+1212', ON, '19121212-1212', '1912-12-12', 'personnummer'],
		// Without "+", a 10-digit number is under 100: 2012.
		['121212-1212', ON, '20121212-1212', '2012-12-12', 'personnummer'],
		// A birthday later this year than the date it is read on belongs to the previous century.
		['261201-0005', ON, '19261201-0005', '1926-12-01', 'personnummer'],
		['261130-0001', ON, '20261130-0001', '2026-11-30', 'personnummer'],
		// Leap day, in a leap year.
		['20000229-0005', ON, '20000229-0005', '2000-02-29', 'personnummer'],
		// Samordningsnummer: the day plus 60.
		['800161-0016', ON, '19800161-0016', '1980-01-01', 'samordningsnummer'],
		['19800161-0016', ON, '19800161-0016', '1980-01-01', 'samordningsnummer'],
		['19820202+0007', ON, '19820202-0007', '1982-02-02', 'personnummer'],
	];

	it.each(VALID)('%s (on %s) is %s', (written, on, normalized, birthDate, kind) => {
		expect(parsePersonNumber(written, on)).toEqual({ normalized, birthDate, kind });
	});

	/** [as written, what is wrong]. */
	const INVALID: Array<[string, RegExp]> = [
		['19800101-0018', /wrong check digit/],
		['800101-0010', /wrong check digit/],
		['19820202-0002', /wrong check digit/],
		['19801301-0019', /no valid date of birth \(1980-13-01\)/],
		['19800230-0000', /no valid date of birth \(1980-02-30\)/],
		['19010229-0000', /no valid date of birth/],
		['800192-0000', /no valid date of birth/],
		['20301231-0000', /date of birth in the future \(2030-12-31\)/],
		['18001231-0000', /implausible year of birth \(1800\)/],
		['80010-0019', /must have 10 or 12 digits/],
		['1980010100190', /must have 10 or 12 digits/],
		['19800101_0019', /must have 10 or 12 digits/],
		['ÅÅMMDD-NNNN', /must have 10 or 12 digits/],
		['', /must have 10 or 12 digits/],
	];

	it.each(INVALID)('%s is refused: %s', (written, problem) => {
		const parsed = parsePersonNumber(written, ON);
		expect('problem' in parsed && parsed.problem).toMatch(problem);
	});

	it('the check digit is Luhn over the 10-digit form', () => {
		expect(luhnValid('8001010019')).toBe(true);
		expect(luhnValid('8001010018')).toBe(false);
		expect(luhnValid('1212121212')).toBe(true);
	});
});

describe('organisation numbers (a housing association)', () => {
	it.each([
		['769612-3459', '769612-3459'],
		['7696123459', '769612-3459'],
		['16769612-3459', '769612-3459'],
		['556677-8899', '556677-8899'],
	])('%s is %s', (written, normalized) => {
		expect(parseOrganisationNumber(written)).toEqual({ normalized });
	});

	it.each([
		['769612-3458', /wrong check digit/],
		// A personal identity number is not an organisation number.
		['800101-0019', /third digit must be 2 or more/],
		['76961-23459', /must have 10 digits/],
	])('%s is refused: %s', (written, problem) => {
		const parsed = parseOrganisationNumber(written);
		expect('problem' in parsed && parsed.problem).toMatch(problem);
	});
});

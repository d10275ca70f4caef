import { describe, expect, it } from '@jest/globals';

import {
	chooseDefaultCoding,
	chooseDefaultUnit,
} from '../../nodes/VismaEAccounting/domain/article';

const unit = (
	Id: string,
	Name: string,
	Code: string | null,
	Abbreviation: string,
	AbbreviationEnglish: string | null = null,
) => ({
	Id,
	Name,
	Code,
	Abbreviation,
	AbbreviationEnglish,
});
const coding = (
	Id: string,
	Name: string,
	Type: string | null,
	VatRatePercent: number | null,
	IsActive = true,
) => ({
	Id,
	Name,
	Type,
	VatRatePercent,
	IsActive,
});

describe('the unit of a new default article left empty', () => {
	it('is the pieces unit, whatever the company calls it', () => {
		const hour = unit('h', 'Timme', 'HUR', 'tim', 'h');
		const cases: Array<[string, ReturnType<typeof unit>]> = [
			['Swedish', unit('se', 'Styck', 'PCS', 'st', 'pcs')],
			['Swedish without a code', unit('se2', 'Styck', null, 'st.')],
			['Norwegian', unit('no', 'Stykk', null, 'stk')],
			['Dutch', unit('nl', 'Stuks', null, 'st')],
			['English', unit('en', 'Pieces', null, 'pcs')],
			['by name only', unit('name', 'Styck', 'X1', 'x')],
			['UN/ECE code', unit('unece', 'Enhet', 'H87', 'e')],
		];
		for (const [what, pieces] of cases) {
			expect({ what, chosen: chooseDefaultUnit([hour, pieces]) }).toEqual({
				what,
				chosen: { record: pieces, rule: 'piecesUnit' },
			});
		}
	});

	it('falls back to the first unit when none is pieces, and to nothing when there are no units', () => {
		const hour = unit('h', 'Timme', 'HUR', 'tim', 'h');
		const kilo = unit('kg', 'Kilogram', 'KGM', 'kg', 'kg');
		expect(chooseDefaultUnit([hour, kilo])).toEqual({ record: hour, rule: 'firstUnit' });
		expect(chooseDefaultUnit([])).toBeUndefined();
	});

	it('does not take a unit whose words merely contain "st"', () => {
		const hour = unit('h', 'Timme', 'HUR', 'tim', 'h');
		const stere = unit('s', 'Stere', 'STR', 'ster');
		expect(chooseDefaultUnit([hour, stere])).toEqual({ record: hour, rule: 'firstUnit' });
	});
});

describe('the account coding of a new default article left empty', () => {
	// As Visma's Swedish companies list them (and the simulator seeds them): rates as fractions.
	const swedish = [
		coding('old', 'Tjänster 25 % (gammal)', 'Service', 0.25, false),
		coding('t25', 'Tjänster 25 %', 'Service', 0.25),
		coding('free', 'Momsfri försäljning', 'Service', 0),
		coding('v12', 'Varor 12 %', 'Goods', 0.12),
		coding('v25', 'Varor 25 %', 'Goods', 0.25),
		coding('v6', 'Varor 6 %', 'Goods', 0.06),
	];

	it('is the goods coding at the standard rate, the highest rate among the active codings', () => {
		expect(chooseDefaultCoding(swedish)).toEqual({
			record: swedish[4],
			rule: 'goodsAtStandardRate',
		});
		// Rates given in percent, a Norwegian company (25 %) and a Dutch one (21 %).
		const norwegian = [
			coding('t', 'Tjenester 25 %', 'Service', 25),
			coding('v15', 'Varer 15 %', 'Goods', 15),
			coding('v25', 'Varer 25 %', 'goods', 25),
		];
		expect(chooseDefaultCoding(norwegian)).toEqual({
			record: norwegian[2],
			rule: 'goodsAtStandardRate',
		});
		const dutch = [coding('l', 'Omzet laag', 'Goods', 9), coding('h', 'Omzet hoog', 'Goods', 21)];
		expect(chooseDefaultCoding(dutch)).toEqual({ record: dutch[1], rule: 'goodsAtStandardRate' });
		const localisedType = [
			coding('t', 'Tjänster 25 %', 'Service', 0.25),
			coding('v', 'Varor 25 %', 'Varor', 0.25),
		];
		expect(chooseDefaultCoding(localisedType)).toEqual({
			record: localisedType[1],
			rule: 'goodsAtStandardRate',
		});
	});

	it('ignores inactive codings, also when deciding the standard rate', () => {
		const list = [
			coding('v30', 'Varor 30 % (gammal)', 'Goods', 0.3, false),
			coding('t25', 'Tjänster 25 %', 'Service', 0.25),
			coding('v25', 'Varor 25 %', 'Goods', 0.25),
		];
		expect(chooseDefaultCoding(list)).toEqual({ record: list[2], rule: 'goodsAtStandardRate' });
	});

	it('falls back to the first active coding when no goods coding has the standard rate', () => {
		const servicesOnly = [
			coding('old', 'Gammal', 'Goods', 0.25, false),
			coding('t25', 'Tjänster 25 %', 'Service', 0.25),
			coding('v12', 'Varor 12 %', 'Goods', 0.12),
		];
		expect(chooseDefaultCoding(servicesOnly)).toEqual({
			record: servicesOnly[1],
			rule: 'firstActiveCoding',
		});
		const noTypes = [coding('a', 'Försäljning', null, 0.25), coding('b', 'Annan', null, 0.12)];
		expect(chooseDefaultCoding(noTypes)).toEqual({ record: noTypes[0], rule: 'firstActiveCoding' });
		// A company with only VAT-free sales: its standard rate is 0, and its goods coding is at it.
		const vatFree = [
			coding('f', 'Momsfri', 'Service', 0),
			coding('g', 'Varor momsfria', 'Goods', 0),
		];
		expect(chooseDefaultCoding(vatFree)).toEqual({
			record: vatFree[1],
			rule: 'goodsAtStandardRate',
		});
	});

	it('is nothing when every coding is inactive', () => {
		expect(chooseDefaultCoding([coding('old', 'Gammal', 'Goods', 0.25, false)])).toBeUndefined();
		expect(chooseDefaultCoding([])).toBeUndefined();
	});
});

import { describe, expect, it } from '@jest/globals';

import {
	roundHalfAwayFromZero,
	unitPriceDecimals,
} from '../../nodes/VismaEAccounting/domain/money';

describe('money rounding', () => {
	it('rounds half away from zero, without binary noise', () => {
		expect(roundHalfAwayFromZero(100.45, 1)).toBe(100.5);
		expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
		expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
		expect(roundHalfAwayFromZero(-2.675, 2)).toBe(-2.68);
		expect(roundHalfAwayFromZero(-0.004, 2)).toBe(0);
		expect(roundHalfAwayFromZero(12.34565, 4)).toBe(12.3457);
	});

	it('allows 4 unit-price decimals only for a foreign-currency customer', () => {
		expect(unitPriceDecimals('EUR', 'SEK')).toBe(4);
		expect(unitPriceDecimals('SEK', 'SEK')).toBe(2);
		expect(unitPriceDecimals(null, 'SEK')).toBe(2);
	});
});

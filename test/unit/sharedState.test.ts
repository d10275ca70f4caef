import { afterEach, describe, expect, it } from '@jest/globals';

import { gateFor, resetPacing } from '../../nodes/VismaEAccounting/transport/pacing';
import { noteToken, throughWarmup } from '../../nodes/VismaEAccounting/transport/warmup';
import { batchCap, batchRefused } from '../../nodes/VismaEAccounting/transport/batchLimits';
import { keepsOption, refuseOption } from '../../nodes/VismaEAccounting/transport/queryOptions';
import {
	companyClaim,
	companyOf,
	companyOfSettings,
	connectionScope,
	resetCompanies,
} from '../../nodes/VismaEAccounting/transport/identity';
import {
	IdleMap,
	sharedStateSizes,
	useSharedStateClock,
} from '../../nodes/VismaEAccounting/transport/idleMap';

const HOUR = 3_600_000;
const jwt = (claims: object) =>
	`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

let clock = 1_000_000;
afterEach(() => {
	useSharedStateClock();
	resetPacing();
	resetCompanies();
});

describe('per-credential state forgets the idle', () => {
	it('2,000 credentials x 5 endpoints: rate gates, warm-up, learned limits and refused options come back to 0 after an idle hour', async () => {
		clock = 1_000_000;
		useSharedStateClock(() => clock);
		const endpoints = [
			'customers',
			'articles',
			'customerinvoicedrafts',
			'customerinvoices',
			'units',
		];
		for (let c = 0; c < 2000; c++) {
			const credential = `credential-${c}`;
			noteToken(credential, `token-${c}`, 3600);
			await throughWarmup(credential, async () => 'ok');
			for (const endpoint of endpoints) {
				await gateFor(`${credential}|${endpoint}`).acquire();
				if (c % 4 === 0) batchRefused(`${credential}|${endpoint}`, 30);
				if (c % 4 === 1) refuseOption(`${credential}|${endpoint}`, 'select');
			}
		}
		expect(sharedStateSizes()).toMatchObject({
			rateGates: 5000, // capped: the least recently used 5,000 of 10,000
			warmup: 2000,
			batchLimits: 500,
			refusedQueryOptions: 2500,
		});

		// Used 59 minutes ago: still there.
		clock += 59 * 60_000;
		expect(sharedStateSizes().warmup).toBe(2000);
		expect(keepsOption('credential-1997|units', 'select')).toBe(false);

		clock += 2 * 60_000;
		expect(sharedStateSizes()).toMatchObject({
			rateGates: 0,
			warmup: 0,
			batchLimits: 0,
			refusedQueryOptions: 1, // the one just asked about is fresh again
			companyByToken: 0,
		});
		clock += HOUR;
		expect(Object.values(sharedStateSizes()).every((n) => n === 0)).toBe(true);
		// Forgotten means learned again from scratch, never a wrong answer.
		expect(batchCap('credential-0|units', clock)).toBeUndefined();
		expect(keepsOption('credential-1|units', 'select')).toBe(true);
	});

	it('an IdleMap keeps at most its cap, dropping the least recently used first', () => {
		clock = 0;
		useSharedStateClock(() => clock);
		const map = new IdleMap<string, number>('test-cap', { idleMs: 1000, maxEntries: 3 });
		for (const [i, key] of ['a', 'b', 'c'].entries()) {
			clock = i;
			map.set(key, i);
		}
		clock = 10;
		expect(map.get('a')).toBe(0); // a is now the most recently used
		map.set('d', 3);
		expect(map.get('b')).toBeUndefined();
		expect(map.size).toBe(3);
		clock = 1005;
		expect(map.size).toBe(2); // c (used at 2) has been idle for 1003 ms
		clock = 2000;
		expect(map.size).toBe(0);
	});
});

describe('which company a connection reaches', () => {
	it("reads Visma's customer_id claim from a JWT access token", () => {
		const id = '8A3F2C10-5B7D-4E6F-9A1B-2C3D4E5F6A7B';
		expect(companyClaim(jwt({ customer_id: id, exp: 1 }))).toBe(id.toLowerCase());
		expect(companyClaim(jwt({ exp: 1 }))).toBeUndefined();
		expect(companyClaim('opaque-token')).toBeUndefined();
		expect(companyClaim(undefined)).toBeUndefined();
	});

	it('without the claim, the company settings say which company: once per token, shared by parallel callers', async () => {
		let reads = 0;
		const read = async () => {
			reads++;
			return { CompanyIdentifier: 'ABC-1', Name: 'Norrsken Bygg AB' };
		};
		const [a, b] = await Promise.all([companyOf('opaque-1', read), companyOf('opaque-1', read)]);
		expect([a, b]).toEqual(['abc-1', 'abc-1']);
		await companyOf('opaque-1', read);
		expect(reads).toBe(1);
		await companyOf('opaque-2', read);
		expect(reads).toBe(2);
		// A failed read is not remembered.
		await expect(
			companyOf('opaque-3', async () => await Promise.reject(new Error('503'))),
		).rejects.toThrow('503');
		expect(await companyOf('opaque-3', read)).toBe('abc-1');
		// A claim needs no read at all.
		expect(await companyOf(jwt({ customer_id: 'C-2' }), read)).toBe('c-2');
		expect(reads).toBe(3);
	});

	it('settings without CompanyIdentifier fall back to the organisation number', () => {
		expect(
			companyOfSettings({
				CompanyIdentifier: null,
				CorporateIdentityNumber: '556677-8899',
				CountryCode: 'SE',
			}),
		).toBe('SE:556677-8899');
		expect(companyOfSettings({})).toBe('unknown');
	});

	it('the connection key differs per company and holds neither the URL nor the credential ID', () => {
		const a = connectionScope('https://api.example.com', 'cred-1', 'company-a');
		const b = connectionScope('https://api.example.com', 'cred-1', 'company-b');
		expect(a).not.toBe(b);
		expect(a).toMatch(/^[0-9a-f]{32}$/);
		expect(connectionScope('https://api.example.com', 'cred-2', 'company-a')).not.toBe(a);
	});
});

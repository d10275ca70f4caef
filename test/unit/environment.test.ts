import { describe, expect, it } from '@jest/globals';

import {
	apiBaseUrl,
	HTTPS,
	LOOPBACK_HTTP,
	withoutUserInfo,
} from '../../nodes/VismaEAccounting/domain/environment';

describe('API base URL of a credential', () => {
	it('uses the Visma host for production and sandbox', () => {
		expect(apiBaseUrl({ environment: 'production' })).toEqual({
			url: 'https://eaccountingapi.vismaonline.com',
		});
		expect(apiBaseUrl({ environment: 'sandbox', apiUrl: 'http://evil.example' })).toEqual({
			url: 'https://eaccountingapi.vismaonline.com',
		});
	});

	it('accepts https anywhere and plain http only on loopback', () => {
		expect(apiBaseUrl({ environment: 'custom', apiUrl: 'https://proxy.example.com/' })).toEqual({
			url: 'https://proxy.example.com',
		});
		expect(apiBaseUrl({ environment: 'custom', apiUrl: 'http://127.0.0.1:4010' })).toEqual({
			url: 'http://127.0.0.1:4010',
		});
		expect(apiBaseUrl({ environment: 'custom', apiUrl: 'http://localhost:4010' })).toEqual({
			url: 'http://localhost:4010',
		});
		expect(
			apiBaseUrl({ environment: 'custom', apiUrl: 'http://proxy.example.com' }),
		).toHaveProperty('refused');
		expect(
			apiBaseUrl({ environment: 'custom', apiUrl: 'http://localhost.example.com' }),
		).toHaveProperty('refused');
		expect(apiBaseUrl({ environment: 'custom', apiUrl: '' })).toHaveProperty('refused');
	});

	it('refuses a user name or password in the URL, says why, and never repeats it', () => {
		for (const apiUrl of [
			'https://alice:s3cret@proxy.example.com',
			'https://alice@proxy.example.com/',
			'https://alice:p@ss@proxy.example.com/base',
			'http://alice:s3cret@localhost:4010',
			'https://proxy.example.com\\@evil.example.com',
		]) {
			const result = apiBaseUrl({ environment: 'custom', apiUrl });
			expect(result).toHaveProperty('refused');
			const refused = (result as { refused: string }).refused;
			expect(refused).not.toMatch(/s3cret|p@ss|alice/);
		}
		const why = apiBaseUrl({ environment: 'custom', apiUrl: 'https://u:s3cret@proxy.example.com' });
		expect(why).toEqual({
			refused: expect.stringMatching(
				/"https:\/\/proxy\.example\.com" contains a user name or password .*error messages, logs and stored workflow data/,
			),
		});
		// The patterns the credential's expressions share refuse it too, so a token is never sent there.
		for (const url of ['https://u:p@proxy.example.com', 'http://u:p@127.0.0.1:4010'])
			expect(HTTPS.test(url) || LOOPBACK_HTTP.test(url)).toBe(false);
		// An @ after the host is part of the path, not user info.
		expect(apiBaseUrl({ environment: 'custom', apiUrl: 'https://proxy.example.com/a@b' })).toEqual({
			url: 'https://proxy.example.com/a@b',
		});
		expect(withoutUserInfo('https://user:p@ss@host.example/x')).toBe('https://host.example/x');
	});
});

import { describe, expect, it } from '@jest/globals';

import { apiBaseUrl } from '../../nodes/VismaEAccounting/domain/environment';

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
});

import { describe, expect, it } from '@jest/globals';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiBaseUrl } from '../../nodes/VismaEAccounting/domain/environment';
import { nextCursor } from '../../nodes/VismaEAccounting/domain/pollScan';
import { clampDelay, VismaClient } from '../../nodes/VismaEAccounting/transport';
import { jwtExpiry } from '../../nodes/VismaEAccounting/transport/warmup';
import { vismaNode } from './node';

/** A context whose every HTTP call fails with `error`, counting the calls. */
function failingContext(error: unknown, credentialId: string | null = 'cred-1') {
	const calls = { n: 0 };
	const node = vismaNode(credentialId ?? undefined);
	const ctx = {
		getNode: () => node,
		getCredentials: async () => ({ environment: 'custom', apiUrl: 'http://127.0.0.1:9' }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				calls.n++;
				throw error;
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls };
}

const axiosError = (status: number, data: unknown) =>
	Object.assign(new Error(`Request failed with status code ${status}`), {
		isAxiosError: true,
		response: { status, data, headers: {} },
	});

describe('failures that must not be retried', () => {
	it('a 401 on a write: reconnect, and nothing was written', async () => {
		const { ctx, calls } = failingContext(axiosError(401, { error: 'invalid_token' }));
		const client = await VismaClient.create(ctx);
		const error = await client
			.request({
				method: 'POST',
				path: '/customerinvoicedrafts',
				body: {},
				action: 'draft invoice',
				verify: async () => undefined,
			})
			.then(
				() => undefined,
				(e: unknown) => e as NodeOperationError,
			);
		expect(error?.message).toBe('Visma eAccounting did not accept the credential: reconnect it');
		expect(error?.description).toContain('Nothing was written by this draft invoice');
		expect(error?.description).not.toContain('may have been created');
		expect(calls.n).toBe(1);
	});

	it('a cancelled execution stops at once', async () => {
		const { ctx, calls } = failingContext(
			Object.assign(new Error('canceled'), { code: 'ERR_CANCELED' }),
		);
		const client = await VismaClient.create(ctx);
		const error = await client.request({ method: 'GET', path: '/customers' }).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error?.message).toBe('The execution was cancelled');
		expect(calls.n).toBe(1);
	});

	it('a credential without an ID is refused instead of sharing state under a default name', async () => {
		const { ctx } = failingContext(new Error('never called'), null);
		const error = await VismaClient.create(ctx).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe('The Visma eAccounting credential has no ID');
	});
});

describe('small guards', () => {
	it('every timer stays below 2^31 ms, where setTimeout would fire at once', () => {
		expect(clampDelay(86_400_000 * 30)).toBe(2 ** 31 - 1);
		expect(clampDelay(-5)).toBe(0);
		expect(clampDelay(1500.2)).toBe(1501);
	});

	it("the trigger cursor stays within a minute of Visma's clock", () => {
		const server = Date.parse('2026-11-30T12:00:00Z');
		const future = Date.parse('2026-12-01T12:00:00Z');
		expect(
			nextCursor(server - 60_000, { serverTime: server, maxSeen: future, requests: 1, records: 1 }),
		).toBe(server + 60_000);
		expect(
			nextCursor(server - 60_000, {
				serverTime: server,
				maxSeen: server + 5000,
				requests: 1,
				records: 1,
			}),
		).toBe(server + 5000);
	});

	it("a JWT access token's own expiry is read, so a token half used before a restart is judged right", () => {
		const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
		const exp = Math.floor(Date.parse('2026-11-30T12:30:00Z') / 1000);
		expect(jwtExpiry(`${part({ alg: 'RS256' })}.${part({ exp, scope: ['ea:api'] })}.sig`)).toBe(
			exp * 1000,
		);
		expect(jwtExpiry('opaque-token')).toBeUndefined();
		expect(jwtExpiry('a.b.c')).toBeUndefined();
	});

	it('a refused URL is shown without its user and password', () => {
		const resolved = apiBaseUrl({
			environment: 'custom',
			apiUrl: 'http://admin:s3cret@proxy.example.com',
		});
		expect(resolved).toEqual({
			refused: expect.stringContaining(
				'The credential\'s API URL "http://proxy.example.com" contains a user name or password',
			),
		});
		expect(JSON.stringify(resolved)).not.toMatch(/admin|s3cret/);
	});
});

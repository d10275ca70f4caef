import { describe, expect, it } from '@jest/globals';

import { basicAuth, form, http, type Sim } from './helpers';
import { useSimulator } from '../support/simulator';

const REDIRECT = 'https://n8n.example.com/rest/oauth2-credential/callback';
const SCOPE = 'ea:api offline_access ea:sales';

describe('simulator identity server (OAuth2)', () => {
	let sim: Sim;
	const auth = basicAuth('sim-client', 'sim-secret');

	useSimulator({ seed: 'empty' }, (started) => (sim = started));

	async function authorize(params: Record<string, string>) {
		const query = new URLSearchParams({
			client_id: 'sim-client',
			redirect_uri: REDIRECT,
			scope: SCOPE,
			response_type: 'code',
			state: 'xyz',
			...params,
		});
		return fetch(`${sim.url}/connect/authorize?${query.toString()}`, { redirect: 'manual' });
	}

	async function getCode(): Promise<string> {
		const res = await authorize({
			prompt: 'select_account',
			acr_values: 'service:44643EB1-3F76-4C1C-A672-402AE8085934',
		});
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location') ?? '');
		return location.searchParams.get('code') ?? '';
	}

	async function token(
		fields: Record<string, string>,
		headers: Record<string, string> = { Authorization: auth },
	) {
		const res = await fetch(`${sim.url}/connect/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
			body: form(fields),
		});
		return { status: res.status, body: await res.json() };
	}

	it('redirects back with code and state and logs prompt/acr_values', async () => {
		const res = await authorize({
			prompt: 'select_account',
			acr_values: 'service:44643EB1-3F76-4C1C-A672-402AE8085934',
		});
		expect(res.status).toBe(302);
		const location = new URL(res.headers.get('location') ?? '');
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
		expect(location.searchParams.get('state')).toBe('xyz');
		expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
		const entry = sim.log.find((e) => e.path === '/connect/authorize');
		expect(entry?.query).toMatchObject({
			prompt: 'select_account',
			acr_values: 'service:44643EB1-3F76-4C1C-A672-402AE8085934',
			scope: SCOPE,
		});
	});

	it('rejects unknown clients, non-code response types and a scope without ea:api', async () => {
		expect((await authorize({ client_id: 'someone-else' })).status).toBe(400);
		const wrongType = new URL(
			(await authorize({ response_type: 'token' })).headers.get('location') ?? '',
		);
		expect(wrongType.searchParams.get('error')).toBe('unsupported_response_type');
		const noApi = new URL(
			(await authorize({ scope: 'offline_access ea:sales' })).headers.get('location') ?? '',
		);
		expect(noApi.searchParams.get('error')).toBe('invalid_scope');
		expect(noApi.searchParams.get('code')).toBeNull();
	});

	it('exchanges a code once, only with Basic client auth and a form body', async () => {
		const code = await getCode();
		const json = await fetch(`${sim.url}/connect/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: auth },
			body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
		});
		expect(json.status).toBe(400);
		expect(await json.json()).toMatchObject({ error: 'invalid_request' });

		const inBody = await token(
			{
				grant_type: 'authorization_code',
				code,
				redirect_uri: REDIRECT,
				client_id: 'sim-client',
				client_secret: 'sim-secret',
			},
			{},
		);
		expect(inBody.status).toBe(401);
		expect(inBody.body.error).toBe('invalid_client');
		const wrongSecret = await token(
			{ grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
			{ Authorization: basicAuth('sim-client', 'nope') },
		);
		expect(wrongSecret.status).toBe(401);

		const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE });
		expect(typeof ok.body.access_token).toBe('string');
		expect(typeof ok.body.refresh_token).toBe('string');

		const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
		expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

		const res = await http(sim, ok.body.access_token)('GET', '/v2/companysettings');
		expect(res.status).toBe(200);
		expect(sim.stats().tokenGrants.authorization_code).toBe(1);
	});

	it('requires the same redirect_uri and expires codes after 5 minutes', async () => {
		const code = await getCode();
		expect(
			await token({
				grant_type: 'authorization_code',
				code,
				redirect_uri: 'https://evil.example.com/cb',
			}),
		).toMatchObject({
			status: 400,
			body: { error: 'invalid_grant' },
		});
		const late = await getCode();
		sim.clock.advance(5 * 60 * 1000 + 1);
		expect(
			await token({ grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT }),
		).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
	});

	it('rotates refresh tokens: the old one gives invalid_grant, scopes are kept', async () => {
		const first = sim.issueTokens({ scopes: ['ea:api', 'offline_access', 'ea:sales_readonly'] });
		const refreshed = await token({
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token ?? '',
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
		expect(refreshed.body.scope).toBe('ea:api offline_access ea:sales_readonly');

		const reuse = await token({
			grant_type: 'refresh_token',
			refresh_token: first.refresh_token ?? '',
		});
		expect(reuse).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

		const api = http(sim, refreshed.body.access_token);
		expect((await api('GET', '/v2/customers')).status).toBe(200);
		// read-only scope: writes are refused with 4006
		const write = await api('POST', '/v2/customers', { Name: 'X' });
		expect(write.status).toBe(403);
		expect(write.body.ErrorCode).toBe(4006);
		expect(sim.stats().tokenGrants.refresh_token).toBe(1);
	});

	it('expires access tokens on the simulator clock and with expireAccessTokens()', async () => {
		const pair = sim.issueTokens();
		const api = http(sim, pair.access_token);
		expect((await api('GET', '/v2/units')).status).toBe(200);
		sim.clock.advance(3600 * 1000 + 1);
		const expired = await api('GET', '/v2/units');
		expect(expired.status).toBe(401);
		expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
		expect(expired.body).toEqual({ Message: 'Authorization has been denied for this request.' });

		const fresh = await token({
			grant_type: 'refresh_token',
			refresh_token: pair.refresh_token ?? '',
		});
		expect((await http(sim, fresh.body.access_token)('GET', '/v2/units')).status).toBe(200);
		sim.expireAccessTokens();
		expect((await http(sim, fresh.body.access_token)('GET', '/v2/units')).status).toBe(401);
		expect((await http(sim)('GET', '/v2/units')).status).toBe(401);
	});

	it('revokes refresh tokens and never logs secrets', async () => {
		const pair = sim.issueTokens();
		const res = await fetch(`${sim.url}/connect/revocation`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: auth },
			body: form({ token: pair.refresh_token ?? '', token_type_hint: 'refresh_token' }),
		});
		expect(res.status).toBe(200);
		expect(
			await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token ?? '' }),
		).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
		await http(sim, pair.access_token)('GET', '/v2/units');
		const logged = JSON.stringify(sim.log);
		expect(logged).not.toContain(pair.refresh_token);
		expect(logged).not.toContain(pair.access_token);
		expect(logged).not.toContain('sim-secret');
		expect(sim.log.map((e) => e.authorization)).toEqual(['basic', 'basic', 'bearer']);
	});
});

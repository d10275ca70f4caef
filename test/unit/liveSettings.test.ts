import { describe, expect, it } from '@jest/globals';

import { SKIP_LINE, liveSettings, tokenHash } from '../../dev/live/config';

/** `npm run test:live` decides from the environment and the live file whether to run. */
const noFile = { readLiveFile: () => undefined };
const file = (data: Record<string, unknown>) => ({ readLiveFile: () => data });
const client = { VISMA_CLIENT_ID: 'client-1', VISMA_CLIENT_SECRET: 'secret-1' };

describe('test:live settings', () => {
	it('skips with one line and exit code 0 without credentials, also in CI', () => {
		for (const env of [{}, { CI: 'true' }, { VISMA_CLIENT_ID: ' ', VISMA_REFRESH_TOKEN: '' }]) {
			const decision = liveSettings(env, noFile);
			expect(decision).toEqual({ run: false, line: SKIP_LINE, exitCode: 0 });
		}
		expect(SKIP_LINE).not.toContain('\n');
		expect(SKIP_LINE).toMatch(
			/^test:live skipped: set VISMA_CLIENT_ID, VISMA_CLIENT_SECRET and VISMA_REFRESH_TOKEN/,
		);
	});

	it('names what is missing when only part is set, and still exits 0', () => {
		const decision = liveSettings({ VISMA_CLIENT_ID: 'client-1', CI: 'true' }, noFile);
		expect(decision.run).toBe(false);
		expect(decision).toMatchObject({ exitCode: 0 });
		expect(!decision.run && decision.line).toMatch(
			/^test:live skipped: missing VISMA_CLIENT_SECRET and a refresh token/,
		);
	});

	it('runs against Visma with a refresh token from the environment or from the live file', () => {
		const fromEnv = liveSettings({ ...client, VISMA_REFRESH_TOKEN: 'rt-env' }, noFile);
		expect(fromEnv).toMatchObject({
			run: true,
			settings: {
				refreshToken: 'rt-env',
				refreshTokenSource: 'env',
				identityUrl: 'https://identity.vismaonline.com',
				apiUrl: 'https://eaccountingapi.vismaonline.com',
				customHosts: false,
			},
		});
		const fromFile = liveSettings(client, file({ refreshToken: 'rt-file', clientId: 'client-1' }));
		expect(fromFile).toMatchObject({
			run: true,
			settings: { refreshToken: 'rt-file', refreshTokenSource: 'file' },
		});
	});

	it('uses the successor from the file when the token in the environment was already rotated', () => {
		const decision = liveSettings(
			{ ...client, VISMA_REFRESH_TOKEN: 'rt-old' },
			file({ refreshToken: 'rt-new', replaced: [tokenHash('rt-old')] }),
		);
		expect(decision).toMatchObject({
			run: true,
			settings: { refreshToken: 'rt-new', refreshTokenSource: 'file' },
		});
		expect(decision.run && decision.settings.notes[0]).toMatch(/already used and rotated/);
	});

	it('takes API and identity overrides (the simulator) and refuses plain http elsewhere', () => {
		const sim = liveSettings(
			{
				...client,
				VISMA_REFRESH_TOKEN: 'rt',
				VISMA_API_URL: 'http://127.0.0.1:5680/v2/',
				VISMA_IDENTITY_URL: 'http://localhost:5680/connect/token',
			},
			noFile,
		);
		expect(sim).toMatchObject({
			run: true,
			settings: {
				apiUrl: 'http://127.0.0.1:5680',
				identityUrl: 'http://localhost:5680',
				customHosts: true,
			},
		});
		const refused = liveSettings(
			{ ...client, VISMA_REFRESH_TOKEN: 'rt', VISMA_API_URL: 'http://example.com' },
			noFile,
		);
		expect(refused).toMatchObject({ run: false, exitCode: 2 });
	});

	it('refuses a token from the file that belongs to another client or identity server', () => {
		expect(liveSettings(client, file({ refreshToken: 'rt', clientId: 'other' }))).toMatchObject({
			run: false,
			exitCode: 2,
		});
		expect(
			liveSettings(client, file({ refreshToken: 'rt', identityUrl: 'http://127.0.0.1:1' })),
		).toMatchObject({ run: false, exitCode: 2 });
	});

	it('reports an unreadable live file only when credentials are set', () => {
		const broken = {
			readLiveFile: () => {
				throw new Error('Unexpected token');
			},
		};
		expect(liveSettings({}, broken)).toEqual({ run: false, line: SKIP_LINE, exitCode: 0 });
		expect(liveSettings(client, broken)).toMatchObject({ run: false, exitCode: 2 });
	});
});

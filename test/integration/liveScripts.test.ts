import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { DEFAULT_REDIRECT_URI } from '../../dev/live/connect';
import {
	findingsIn,
	freePort,
	readJsonFile,
	runConnect,
	runTestLive,
	tempDir,
} from '../../dev/live/drive';
import type { Sim } from '../support/simulator';
import { startTestSimulator, whileConfigured } from '../support/simulator';

/*
 * `npm run live:connect` and `npm run test:live`, each run as its own process the way npm runs
 * it, against the simulator's identity server and API. The browser is played by fetch.
 */

describe('live:connect and test:live against the simulator', () => {
	let sim: Sim;
	let tmp: { dir: string; remove: () => void };
	let listening: string;
	let base: Record<string, string>;
	const liveFile = () => `${tmp.dir}/visma-sandbox.json`;

	beforeAll(async () => {
		tmp = tempDir();
		listening = `http://localhost:${await freePort()}/callback`;
		sim = await startTestSimulator();
		base = {
			VISMA_CLIENT_ID: 'sim-client',
			VISMA_CLIENT_SECRET: 'sim-secret',
			VISMA_API_URL: sim.url,
			VISMA_IDENTITY_URL: sim.url,
			VISMA_LIVE_FILE: liveFile(),
			VISMA_LIVE_FINDINGS_DIR: `${tmp.dir}/findings`,
		};
		// Like Visma: only the redirect URIs registered on the client are accepted.
		sim.configure({
			redirectUris: [DEFAULT_REDIRECT_URI, listening, `http://localhost:${sim.port}/callback`],
		});
	});
	afterAll(async () => {
		await sim?.close();
		tmp?.remove();
	});

	it('pasting: with the default https redirect URI, the pasted address gives a refresh token', async () => {
		const run = await runConnect(base, { mode: 'paste' });
		expect(run.stdout).toContain(`redirect URI ${DEFAULT_REDIRECT_URI}`);
		expect(run.stdout).toMatch(/not listening for the browser: the redirect URI is https/);
		expect(run.redirectedTo?.startsWith(`${DEFAULT_REDIRECT_URI}?code=`)).toBe(true);
		// The line with a forged state was refused, the real one taken.
		expect(run.stderr).toMatch(/state in that address does not match this login.*paste again/);
		expect(run.code).toBe(0);
		expect(readJsonFile(liveFile())).toMatchObject({
			refreshToken: expect.any(String),
			clientId: 'sim-client',
		});
		expect(run.stdout).toMatch(/connected to company "Norrsken Bygg & Service AB"/);
	});

	it('listening: with a local http redirect URI, the browser brings the code; a forged callback is refused', async () => {
		const before = readJsonFile(liveFile())?.refreshToken;
		const run = await runConnect({ ...base, VISMA_REDIRECT_URI: listening }, { mode: 'listen' });
		expect(run.stdout).toContain(`waiting for the browser on ${listening}`);
		expect(run.forgedStatus).toBe(400);
		expect(run.page).toMatch(/Connected/);
		expect(run.code).toBe(0);
		expect(readJsonFile(liveFile()).refreshToken).not.toBe(before);
	});

	it('a local redirect URI whose port is taken: it says so and takes the pasted address', async () => {
		const taken = `http://localhost:${sim.port}/callback`;
		const run = await runConnect(base, { mode: 'paste', args: ['--redirect-uri', taken] });
		expect(run.stdout).toMatch(
			/not listening for the browser: cannot listen on .*the port is in use/,
		);
		expect(run.code).toBe(0);
	});

	it('test:live passes its round trip with the token live:connect saved', async () => {
		const run = await runTestLive(base);
		expect(run.stdout).toMatch(/round trip PASSED/);
		expect(run.status).toBe(0);
		const [report] = findingsIn(`${tmp.dir}/findings`);
		const byName = (name: string) => report.findings.find((f: { name: string }) => f.name === name);
		expect(byName('filter.referenceFields')).toMatchObject({
			verdict: 'OK',
			details: { works: expect.arrayContaining(['ContractNumber']), refused: [] },
		});
	});

	it('where Visma refuses ContractNumber in $filter, the round trip uses the first reference field that works, and the findings say which', async () => {
		const findings = `${tmp.dir}/findings-refused`;
		const run = await whileConfigured(
			sim,
			{ refuseFilterOn: ['ContractNumber'] },
			async () => await runTestLive({ ...base, VISMA_LIVE_FINDINGS_DIR: findings }),
		);
		expect(run.stdout).toMatch(/round trip PASSED/);
		expect(run.status).toBe(0);
		const [report] = findingsIn(findings);
		const byName = (name: string) => report.findings.find((f: { name: string }) => f.name === name);
		expect(byName('filter.drafts.ContractNumber').verdict).toBe('DIFFERS');
		expect(byName('filter.referenceFields')).toMatchObject({
			verdict: 'DIFFERS',
			result: expect.stringMatching(
				/^usable: YourReference, OurReference, BuyersOrderReference, SubscriptionNumber; refused: ContractNumber; the round trip uses YourReference$/,
			),
		});
		expect(byName('roundTrip.storedDraft').result).toMatch(/YourReference N8NLIVE-RT-/);
		expect(byName('roundTrip.reExport').verdict).toBe('OK');
	});

	it('a redirect URI the client does not have is refused by the identity server, and nothing is saved', async () => {
		const before = readJsonFile(liveFile()).refreshToken;
		const run = await runConnect(
			{ ...base, VISMA_CONNECT_TIMEOUT: '2' },
			{ mode: 'paste', args: ['--redirect-uri=https://localhost:5001/signin-oidc'] },
		);
		expect(run.redirectedTo).toBeUndefined();
		expect(run.code).not.toBe(0);
		expect(readJsonFile(liveFile()).refreshToken).toBe(before);
	});
});

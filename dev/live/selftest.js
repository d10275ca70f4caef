#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node dev/live/selftest.js — checks `npm run live:connect` and `npm run test:live`
 * against the local simulator (no Visma account needed):
 *
 * 1. test:live without credentials prints one line and exits 0 (also with CI=true);
 * 2. live:connect against the simulator's /connect/authorize (which approves at once; the
 *    browser is played by fetch, see drive.js) writes a refresh token both ways: with the
 *    default https redirect URI by the pasted address, with a local http one by listening;
 * 3. test:live with that token passes its round trip, prints the table, writes the findings;
 * 4. a second test:live with the rotated token from the file passes too (the file kept up);
 * 5. with access tokens living 1 second, refreshes happen mid-run (probes and node) and the
 *    stored token still works afterwards.
 *
 * Temporary files go to a temporary directory, which is removed at the end.
 */

const fs = require('fs');
const path = require('path');

const { startSimulator } = require('../simulator');
const { DEFAULT_REDIRECT_URI } = require('./connect');
const { freePort, readJsonFile, runConnect, runTestLive, tempDir } = require('./drive');

let failures = 0;
/** @param {boolean} ok @param {string} what */
function check(ok, what) {
	process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
	if (!ok) failures++;
}

/**
 * test:live, printing its output under `label`.
 * @param {Record<string, string | undefined>} env
 * @param {string} [label]
 */
async function testLive(env, label) {
	const run = await runTestLive(env);
	if (label)
		process.stdout.write(
			`--- ${label}: exit ${run.status}\n${run.stdout}${run.status ? run.stderr : ''}`,
		);
	return run;
}

async function main() {
	const tmp = tempDir();
	const findingsDir = path.join(tmp.dir, 'findings');
	const port = await freePort();
	const listening = `http://localhost:${port}/callback`;
	const sim = await startSimulator({
		seed: 'default',
		redirectUris: [DEFAULT_REDIRECT_URI, listening],
	});
	try {
		const none = await testLive({});
		check(
			none.status === 0 &&
				none.stdout.trim().split('\n').length === 1 &&
				/^test:live skipped: /.test(none.stdout),
			`no credentials: one line, exit 0 -> ${none.stdout.trim()}`,
		);
		const ci = await testLive({ CI: 'true' });
		check(
			ci.status === 0 &&
				ci.stdout.trim().split('\n').length === 1 &&
				/^test:live skipped: /.test(ci.stdout),
			`CI=true, no credentials: one line, exit 0`,
		);

		const liveFile = path.join(tmp.dir, 'visma-sandbox.json');
		const base = {
			VISMA_CLIENT_ID: 'sim-client',
			VISMA_CLIENT_SECRET: 'sim-secret',
			VISMA_API_URL: sim.url,
			VISMA_IDENTITY_URL: sim.url,
			VISMA_LIVE_FILE: liveFile,
			VISMA_LIVE_FINDINGS_DIR: findingsDir,
		};
		const pasted = await runConnect(base, { mode: 'paste' });
		process.stdout.write(
			`--- live:connect (default redirect URI, pasted): exit ${pasted.code}\n${pasted.stdout}`,
		);
		check(
			pasted.code === 0 &&
				/not listening for the browser: the redirect URI is https/.test(pasted.stdout) &&
				/does not match this login.*; paste again/.test(pasted.stderr) &&
				typeof readJsonFile(liveFile)?.refreshToken === 'string',
			`live:connect with ${DEFAULT_REDIRECT_URI}: the pasted address gave a refresh token (a forged one was refused)`,
		);
		const heard = await runConnect({ ...base, VISMA_REDIRECT_URI: listening }, { mode: 'listen' });
		process.stdout.write(
			`--- live:connect (${listening}, listening): exit ${heard.code}\n${heard.stdout}`,
		);
		check(
			heard.code === 0 && heard.forgedStatus === 400 && /Connected/.test(heard.page ?? ''),
			`live:connect listening on ${listening}: a forged callback got 400, the real one a refresh token`,
		);
		const stored = readJsonFile(liveFile) ?? {};
		const first = await testLive(base, 'test:live against the simulator');
		check(
			first.status === 0 &&
				/round trip PASSED/.test(first.stdout) &&
				/\| VERDICT/.test(first.stdout),
			'test:live: round trip passed, table printed',
		);
		const files = fs.existsSync(findingsDir) ? fs.readdirSync(findingsDir) : [];
		const report = files.length
			? JSON.parse(fs.readFileSync(path.join(findingsDir, files[0]), 'utf8'))
			: {};
		check(
			files.length === 1 &&
				report.roundTrip === 'passed' &&
				Array.isArray(report.findings) &&
				report.findings.length > 30,
			`findings JSON written (${files[0]})`,
		);
		const after = JSON.parse(fs.readFileSync(liveFile, 'utf8'));
		check(after.refreshToken !== stored.refreshToken, 'the rotated refresh token was written back');

		const second = await testLive(base);
		check(
			second.status === 0 && /round trip PASSED/.test(second.stdout),
			'a second run with the token from the file passes',
		);

		sim.configure({ accessTokenTtlSeconds: 1, latencyMs: 40 });
		const { refresh_token } = sim.issueTokens();
		const shortLived = {
			...base,
			VISMA_LIVE_FILE: path.join(tmp.dir, 'short.json'),
			VISMA_REFRESH_TOKEN: refresh_token,
		};
		const third = await testLive(shortLived);
		const refreshes = Number((/(\d+) token refresh/.exec(third.stdout) ?? [])[1]);
		check(
			third.status === 0 && refreshes > 1,
			`1-second access tokens: passes with ${refreshes} refreshes mid-run`,
		);
		sim.configure({ accessTokenTtlSeconds: 3600, latencyMs: 0 });
		const fourth = await testLive(shortLived);
		check(
			fourth.status === 0 && /already used and rotated/.test(fourth.stdout),
			'the stale VISMA_REFRESH_TOKEN is recognised and its successor from the file used',
		);

		const leftovers = sim
			.list('customers')
			.filter((c) => String(c.CustomerNumber).startsWith('N8NLIVE'));
		const drafts = sim
			.list('customerinvoicedrafts')
			.filter((d) => /N8NLIVE|n8n live/i.test(JSON.stringify(d)));
		check(
			leftovers.length === 0 && drafts.length === 0,
			`nothing left behind but the two reusable articles (${leftovers.length} customers, ${drafts.length} drafts)`,
		);
	} finally {
		await sim.close();
		tmp.remove();
	}
	process.stdout.write(
		failures ? `selftest: ${failures} check(s) FAILED\n` : 'selftest: all checks passed\n',
	);
	process.exitCode = failures ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});

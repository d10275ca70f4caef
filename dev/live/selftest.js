#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node dev/live/selftest.js — checks `npm run live:connect` and `npm run test:live`
 * against the local simulator (no Visma account needed):
 *
 * 1. test:live without credentials prints one line and exits 0 (also with CI=true);
 * 2. live:connect against the simulator's /connect/authorize (which approves at once; the
 *    browser is played by fetch following the redirect) writes a refresh token;
 * 3. test:live with that token passes its round trip, prints the table, writes the findings;
 * 4. a second test:live with the rotated token from the file passes too (the file kept up);
 * 5. with access tokens living 1 second, refreshes happen mid-run (probes and node) and the
 *    stored token still works afterwards.
 *
 * Temporary files go to a temporary directory, which is removed at the end.
 */

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const { REPO_ROOT } = require('./config');
const { startSimulator } = require('../simulator');

const node = process.execPath;
const script = (/** @type {string} */ name) => path.join(__dirname, name);

/** @param {Record<string, string | undefined>} extra */
function cleanEnv(extra) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('VISMA_') && k !== 'CI' && v !== undefined) env[k] = v;
	for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
	return env;
}

let failures = 0;
/** @param {boolean} ok @param {string} what */
function check(ok, what) {
	process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
	if (!ok) failures++;
}

/**
 * Runs test:live as npm would (asynchronously: the simulator lives in this process).
 * @param {Record<string, string | undefined>} env
 * @param {string} [label] print its output under this label
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string }>}
 */
async function testLive(env, label) {
	const child = spawn(node, [script('test-live.js')], {
		cwd: REPO_ROOT,
		env: cleanEnv(env),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const status = /** @type {number | null} */ (
		await new Promise((resolve) => child.on('close', resolve))
	);
	if (label) process.stdout.write(`--- ${label}: exit ${status}\n${stdout}${status ? stderr : ''}`);
	return { status, stdout, stderr };
}

/**
 * Runs live:connect and plays the browser.
 * @param {Record<string, string>} env
 * @returns {Promise<{ code: number | null, stdout: string, page: string }>}
 */
async function connect(env) {
	const child = spawn(node, [script('connect.js')], {
		cwd: REPO_ROOT,
		env: cleanEnv(env),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => (stdout += d));
	child.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise((resolve) => child.on('exit', resolve));
	const deadline = Date.now() + 20_000;
	while (!/^https?:\/\/\S+authorize\S*$/m.test(stdout) && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 50));
	const url = (/^(https?:\/\/\S+authorize\S*)$/m.exec(stdout) ?? [])[1];
	let page = '';
	if (url) {
		const wrongState = await fetch(url.replace(/state=[^&]+/, 'state=forged')).then(
			(r) => r.status,
		);
		check(
			wrongState === 400,
			`live:connect refuses a callback with a forged state (${wrongState})`,
		);
		const response = await fetch(url, { redirect: 'follow' });
		page = await response.text();
	} else {
		child.kill('SIGTERM');
	}
	const code = /** @type {number | null} */ (await exited);
	return { code, stdout: stdout + stderr, page };
}

/** @returns {Promise<number>} a port that was free a moment ago */
async function freePort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

async function main() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'visma-live-selftest-'));
	const findingsDir = path.join(tmp, 'findings');
	const port = await freePort();
	const sim = await startSimulator({
		seed: 'default',
		redirectUris: [`http://localhost:${port}/callback`],
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

		const liveFile = path.join(tmp, 'visma-sandbox.json');
		const base = {
			VISMA_CLIENT_ID: 'sim-client',
			VISMA_CLIENT_SECRET: 'sim-secret',
			VISMA_API_URL: sim.url,
			VISMA_IDENTITY_URL: sim.url,
			VISMA_LIVE_FILE: liveFile,
			VISMA_LIVE_FINDINGS_DIR: findingsDir,
		};
		const connected = await connect({ ...base, VISMA_CONNECT_PORT: String(port) });
		process.stdout.write(`--- live:connect: exit ${connected.code}\n${connected.stdout}`);
		const stored = fs.existsSync(liveFile) ? JSON.parse(fs.readFileSync(liveFile, 'utf8')) : {};
		check(
			connected.code === 0 &&
				typeof stored.refreshToken === 'string' &&
				/Connected/.test(connected.page),
			'live:connect wrote a refresh token to the live file',
		);

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
			VISMA_LIVE_FILE: path.join(tmp, 'short.json'),
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
		fs.rmSync(tmp, { recursive: true, force: true });
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

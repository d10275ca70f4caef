// @ts-check
'use strict';

/**
 * Runs the live scripts as npm does (one child process each) and plays the user: selftest.js
 * and the jest tests (test/integration/liveScripts.test.ts) use it against the simulator.
 */

const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const { REPO_ROOT } = require('./config');

const script = (/** @type {string} */ name) => path.join(__dirname, name);

/**
 * The environment of this process without any VISMA_* or CI setting, plus `extra`.
 * @param {Record<string, string | undefined>} extra
 */
function cleanEnv(extra) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('VISMA_') && k !== 'CI' && v !== undefined) env[k] = v;
	for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
	return env;
}

/**
 * @param {string} name script in dev/live
 * @param {Record<string, string | undefined>} env
 * @param {string[]} [args]
 */
function start(name, env, args = []) {
	const child = spawn(process.execPath, [script(name), ...args], {
		cwd: REPO_ROOT,
		env: cleanEnv(env),
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const io = { stdout: '', stderr: '' };
	child.stdout.on('data', (d) => (io.stdout += d));
	child.stderr.on('data', (d) => (io.stderr += d));
	const exited = /** @type {Promise<number | null>} */ (
		new Promise((resolve) => child.on('close', resolve))
	);
	return { child, io, exited };
}

/**
 * `npm run test:live` (asynchronously: a simulator may live in this process).
 * @param {Record<string, string | undefined>} env
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string }>}
 */
async function runTestLive(env) {
	const run = start('test-live.js', env);
	run.child.stdin.end();
	const status = await run.exited;
	return { status, ...run.io };
}

/**
 * `npm run live:connect`, with the browser played by fetch: it opens the authorize URL the
 * script prints and gets Visma's redirect. Then, `listen`: the browser follows it to the
 * script's own server (after a forged callback, which must be refused); `paste`: the user
 * pastes the address into the script (after a line with a forged state, which must be refused).
 * @param {Record<string, string | undefined>} env
 * @param {{ mode: 'listen' | 'paste', args?: string[] }} o
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, redirectedTo?: string, page?: string, forgedStatus?: number }>}
 */
async function runConnect(env, o) {
	const run = start('connect.js', env, o.args);
	const deadline = Date.now() + 20_000;
	const authorize = () =>
		(/^(https?:\/\/\S+\/connect\/authorize\?\S*)$/m.exec(run.io.stdout) ?? [])[1];
	const ready = () =>
		o.mode === 'paste'
			? /paste it here:$/m.test(run.io.stdout)
			: /paste the address/.test(run.io.stdout);
	while (!(authorize() && ready()) && Date.now() < deadline && run.child.exitCode === null)
		await new Promise((r) => setTimeout(r, 25));
	const url = authorize();
	/** @type {{ redirectedTo?: string, page?: string, forgedStatus?: number }} */
	const seen = {};
	if (url) {
		const answer = await fetch(url, { redirect: 'manual' });
		seen.redirectedTo = answer.headers.get('location') ?? undefined;
	}
	const to = seen.redirectedTo;
	if (to && o.mode === 'listen') {
		seen.forgedStatus = (await fetch(to.replace(/state=[^&]+/, 'state=forged'))).status;
		seen.page = await (await fetch(to)).text();
	} else if (to) {
		run.child.stdin.write(`${to.replace(/state=[^&]+/, 'state=forged')}\n`);
		run.child.stdin.write(`${to}\n`);
	}
	run.child.stdin.end();
	if (!to) run.child.kill('SIGTERM');
	const code = await run.exited;
	return { code, ...run.io, ...seen };
}

/** @returns {Promise<number>} a port that was free a moment ago */
async function freePort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

/** A temporary folder and its removal. */
function tempDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visma-live-'));
	return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A JSON file's content, or undefined when it does not exist.
 * @param {string} file
 */
function readJsonFile(file) {
	return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

/**
 * The findings files a test:live run wrote into `dir`, parsed.
 * @param {string} dir
 * @returns {any[]}
 */
function findingsIn(dir) {
	return fs.existsSync(dir)
		? fs
				.readdirSync(dir)
				.filter((f) => f.startsWith('findings-'))
				.map((f) => readJsonFile(path.join(dir, f)))
		: [];
}

module.exports = {
	cleanEnv,
	findingsIn,
	freePort,
	readJsonFile,
	runConnect,
	runTestLive,
	tempDir,
};

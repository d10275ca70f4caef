// @ts-check
'use strict';

/**
 * Starting and stopping n8n processes (main, worker) of the pinned runtime. Output always goes
 * to a log file, never to a pipe (a pipe whose reader exits can leave n8n spinning at 100 % CPU).
 * Talking to a running n8n (owner login, public API) is in n8nClient.js.
 */

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { n8nEnv } = require('./runtime');

/** @typedef {import('./runtime').Runtime} Runtime */

const OWNER = Object.freeze({
	email: 'demo@example.com',
	password: 'Visma-Demo-2026!',
	firstName: 'Demo',
	lastName: 'Owner',
});

/** Every process started here, so an unexpected exit of the parent still stops them. */
/** @type {Set<N8nProcess>} */
const running = new Set();
let exitHookInstalled = false;
function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const p of running) p.killNow();
	});
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
/** A timer that does not keep the process alive (for timeouts raced against other promises). */
const idleSleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms).unref());

class N8nProcess {
	/**
	 * @param {{ name: string, child: import('child_process').ChildProcess, logFile: string, url?: string, port?: number, env: NodeJS.ProcessEnv }} o
	 */
	constructor(o) {
		this.name = o.name;
		this.child = o.child;
		this.pid = /** @type {number} */ (o.child.pid);
		this.logFile = o.logFile;
		this.url = o.url ?? '';
		this.port = o.port ?? 0;
		this.env = o.env;
		/** @type {number | null} */
		this.exitCode = null;
		this.exited = false;
		/** @type {Promise<void>} */
		this.exitPromise = new Promise((resolve) => {
			o.child.once('exit', (code, signal) => {
				this.exited = true;
				this.exitCode = code ?? (signal ? 128 : 0);
				running.delete(this);
				resolve();
			});
		});
	}

	/** The log so far. */
	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** Last lines of the log, for error messages. */
	tail(lines = 40) {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	/**
	 * Waits until the log matches `pattern`.
	 * @param {RegExp} pattern
	 * @param {number} timeoutMs
	 * @param {number} [fromOffset] only look at log text after this many characters
	 */
	async waitForLog(pattern, timeoutMs, fromOffset = 0) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			if (pattern.test(this.log().slice(fromOffset))) return;
			if (this.exited)
				throw new Error(
					`${this.name} exited (code ${this.exitCode}) before logging ${pattern}:\n${this.tail()}`,
				);
			if (Date.now() > until)
				throw new Error(
					`${this.name} did not log ${pattern} within ${timeoutMs / 1000} s:\n${this.tail()}`,
				);
			await sleep(200);
		}
	}

	/** SIGKILL to the whole process group (n8n + its task runner), synchronously. */
	killNow() {
		try {
			process.kill(-this.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}

	/**
	 * SIGTERM to the process group, then SIGKILL after `graceMs`.
	 * @param {number} [graceMs]
	 */
	async stop(graceMs = 15000) {
		if (this.exited) return;
		try {
			process.kill(-this.pid, 'SIGTERM');
		} catch {
			/* already gone */
		}
		const timedOut = await Promise.race([
			this.exitPromise.then(() => false),
			idleSleep(graceMs).then(() => true),
		]);
		if (timedOut) this.killNow();
		await this.exitPromise;
		// The task runner is in the same group; make sure nothing of the group is left.
		await sleep(100);
		try {
			process.kill(-this.pid, 'SIGKILL');
		} catch {
			/* group empty */
		}
	}
}

/**
 * Starts `n8n start` (main) or `n8n worker` and waits until it is ready.
 * Main is ready when it logs "Editor is now accessible via:", which comes after the active
 * workflows' webhooks are registered (the readiness endpoint answers earlier).
 * @param {{
 *   rt: Runtime,
 *   userFolder: string,
 *   role?: 'main' | 'worker',
 *   name?: string,
 *   port?: number,
 *   brokerPort: number,
 *   env?: NodeJS.ProcessEnv,
 *   logFile: string,
 *   owner?: { email: string, passwordHash: string, firstName: string, lastName: string },
 *   readyTimeoutMs?: number,
 *   workerConcurrency?: number,
 * }} o
 * @returns {Promise<N8nProcess>}
 */
async function startN8n(o) {
	installExitHook();
	const role = o.role ?? 'main';
	/** @type {NodeJS.ProcessEnv} */
	const extra = { N8N_RUNNERS_BROKER_PORT: String(o.brokerPort), ...(o.env ?? {}) };
	let url = '';
	if (role === 'main') {
		if (!o.port) throw new Error('startN8n: a main process needs a port');
		url = `http://127.0.0.1:${o.port}`;
		extra.N8N_PORT = String(o.port);
		extra.N8N_HOST = '127.0.0.1';
		extra.N8N_EDITOR_BASE_URL = `${url}/`;
		extra.WEBHOOK_URL = `${url}/`;
		if (o.owner) {
			extra.N8N_INSTANCE_OWNER_MANAGED_BY_ENV = 'true';
			extra.N8N_INSTANCE_OWNER_EMAIL = o.owner.email;
			extra.N8N_INSTANCE_OWNER_PASSWORD_HASH = o.owner.passwordHash;
			extra.N8N_INSTANCE_OWNER_FIRST_NAME = o.owner.firstName;
			extra.N8N_INSTANCE_OWNER_LAST_NAME = o.owner.lastName;
		}
	}
	const env = n8nEnv(o.rt, o.userFolder, extra);
	fs.mkdirSync(path.dirname(o.logFile), { recursive: true });
	const fd = fs.openSync(o.logFile, 'a');
	const args =
		role === 'main' ? ['start'] : ['worker', `--concurrency=${o.workerConcurrency ?? 10}`];
	// detached: n8n leads its own process group, so stop() reaches its task runner too.
	const child = spawn(o.rt.node, [o.rt.n8n, ...args], {
		env,
		detached: true,
		stdio: ['ignore', fd, fd],
	});
	fs.closeSync(fd);
	const proc = new N8nProcess({
		name: o.name ?? `n8n ${role}`,
		child,
		logFile: o.logFile,
		url,
		port: o.port,
		env,
	});
	running.add(proc);
	try {
		await proc.waitForLog(
			role === 'main' ? /Editor is now accessible via:/ : /n8n worker is now ready/,
			o.readyTimeoutMs ?? 120000,
		);
	} catch (e) {
		await proc.stop(3000);
		throw e;
	}
	return proc;
}

module.exports = { OWNER, N8nProcess, startN8n };

// @ts-check
'use strict';

/**
 * Starting and stopping n8n processes (main, worker) of the pinned runtime, plus the owner
 * login and public-API key they need. Output always goes to a log file, never to a pipe
 * (a pipe whose reader exits can leave n8n spinning at 100 % CPU).
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
			if (this.exited) throw new Error(`${this.name} exited (code ${this.exitCode}) before logging ${pattern}:\n${this.tail()}`);
			if (Date.now() > until) throw new Error(`${this.name} did not log ${pattern} within ${timeoutMs / 1000} s:\n${this.tail()}`);
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
		const timedOut = await Promise.race([this.exitPromise.then(() => false), idleSleep(graceMs).then(() => true)]);
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
	const args = role === 'main' ? ['start'] : ['worker', `--concurrency=${o.workerConcurrency ?? 10}`];
	// detached: n8n leads its own process group, so stop() reaches its task runner too.
	const child = spawn(o.rt.node, [o.rt.n8n, ...args], { env, detached: true, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	const proc = new N8nProcess({ name: o.name ?? `n8n ${role}`, child, logFile: o.logFile, url, port: o.port, env });
	running.add(proc);
	try {
		await proc.waitForLog(role === 'main' ? /Editor is now accessible via:/ : /n8n worker is now ready/, o.readyTimeoutMs ?? 120000);
	} catch (e) {
		await proc.stop(3000);
		throw e;
	}
	return proc;
}

/**
 * Makes sure the instance has its owner account. n8n 2.x creates it at start from
 * N8N_INSTANCE_OWNER_* (set by startN8n); n8n 1.x has no such variables and shows the setup
 * screen instead (`userManagement.showSetupOnFirstLoad`), so the owner is set up the way that
 * screen does it: POST /rest/owner/setup.
 * @param {string} url
 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 */
async function ensureOwner(url, owner) {
	const settingsRes = await fetch(`${url}/rest/settings`);
	if (!settingsRes.ok) throw new Error(`n8n settings failed: ${settingsRes.status} ${await settingsRes.text()}`);
	const settings = (await settingsRes.json()).data ?? {};
	if (!settings.userManagement?.showSetupOnFirstLoad) return;
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: owner.email, firstName: owner.firstName, lastName: owner.lastName, password: owner.password }),
	});
	if (!res.ok) throw new Error(`n8n owner setup failed: ${res.status} ${await res.text()}`);
}

/**
 * Logs in as the owner (setting it up first where n8n needs that) and creates a public-API key
 * with every scope.
 * @param {string} url
 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner
 * @returns {Promise<{ apiKey: string, cookie: string }>}
 */
async function ownerApiKey(url, owner) {
	await ensureOwner(url, owner);
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!login.ok) throw new Error(`n8n login failed: ${login.status} ${await login.text()}`);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const scopesRes = await fetch(`${url}/rest/api-keys/scopes`, { headers: { cookie } });
	if (!scopesRes.ok) throw new Error(`n8n api-key scopes failed: ${scopesRes.status} ${await scopesRes.text()}`);
	const scopes = (await scopesRes.json()).data;
	const res = await fetch(`${url}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ label: `e2e-${Date.now()}`, scopes, expiresAt: null }),
	});
	if (!res.ok) throw new Error(`n8n api-key creation failed: ${res.status} ${await res.text()}`);
	return { apiKey: (await res.json()).data.rawApiKey, cookie };
}

/**
 * Minimal client for n8n's public API (X-N8N-API-KEY).
 */
class PublicApi {
	/**
	 * @param {string} url n8n base URL
	 * @param {string} apiKey
	 */
	constructor(url, apiKey) {
		this.url = url;
		this.apiKey = apiKey;
	}

	/**
	 * @param {string} method
	 * @param {string} p path below /api/v1
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async call(method, p, body) {
		const res = await fetch(`${this.url}/api/v1${p}`, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`n8n API ${method} ${p}: ${res.status} ${text}`);
		return text ? JSON.parse(text) : null;
	}

	/** @param {string} id */
	activate(id) {
		return this.call('POST', `/workflows/${encodeURIComponent(id)}/activate`);
	}

	/** @param {string} id */
	deactivate(id) {
		return this.call('POST', `/workflows/${encodeURIComponent(id)}/deactivate`);
	}

	/**
	 * Executions, newest first, following the cursor up to `max`.
	 * @param {{ workflowId?: string, status?: string, includeData?: boolean, max?: number }} [q]
	 * @returns {Promise<any[]>}
	 */
	async executions(q = {}) {
		const out = [];
		let cursor = '';
		const max = q.max ?? 250;
		while (out.length < max) {
			const qs = new URLSearchParams({ limit: String(Math.min(250, max - out.length)) });
			if (q.workflowId) qs.set('workflowId', q.workflowId);
			if (q.status) qs.set('status', q.status);
			if (q.includeData) qs.set('includeData', 'true');
			if (cursor) qs.set('cursor', cursor);
			const page = await this.call('GET', `/executions?${qs}`);
			out.push(...page.data);
			if (!page.nextCursor || page.data.length === 0) break;
			cursor = page.nextCursor;
		}
		return out;
	}

	/** @param {string} id */
	execution(id) {
		return this.call('GET', `/executions/${encodeURIComponent(id)}?includeData=true`);
	}
}

module.exports = { OWNER, N8nProcess, startN8n, ensureOwner, ownerApiKey, PublicApi, sleep };

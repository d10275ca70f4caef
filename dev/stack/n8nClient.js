// @ts-check
'use strict';

/**
 * Talking to n8n. N8nCli runs n8n's CLI on a user folder (imports, `n8n execute`) and reads a
 * stored credential straight from its database; N8nClient talks HTTP to a running main process
 * (owner set-up and login, public-API key, activation, webhooks, forms, executions).
 * The processes themselves are started in n8n.js and processes.js.
 */

const fs = require('fs');
const path = require('path');
const { setTimeout: sleep } = require('timers/promises');
const { run, n8nEnv, n8nCli, freePort, ENCRYPTION_KEY } = require('./runtime');

/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {import('./examples').Workflow} Workflow */
/** @typedef {{ email: string, password: string, firstName: string, lastName: string }} Owner */
/** @typedef {{ name: string, content: string, type?: string }} FileContent */
/** @typedef {string | number | { file: string } | FileContent} FormValue */

/** An execution in one of these states will not change any more. */
const FINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];
const isFinished = (/** @type {any} */ e) => e.finished || FINAL_STATUSES.includes(e.status);

/**
 * Makes sure the instance has its owner account. n8n 2.x creates it at start from
 * N8N_INSTANCE_OWNER_* (set by startN8n); n8n 1.x has no such variables and shows the setup
 * screen instead (`userManagement.showSetupOnFirstLoad`), so the owner is set up the way that
 * screen does it: POST /rest/owner/setup.
 * @param {string} url
 * @param {Owner} owner
 */
async function ensureOwner(url, owner) {
	const settingsRes = await fetch(`${url}/rest/settings`);
	if (!settingsRes.ok) {
		throw new Error(`n8n settings failed: ${settingsRes.status} ${await settingsRes.text()}`);
	}
	const settings = (await settingsRes.json()).data ?? {};
	if (!settings.userManagement?.showSetupOnFirstLoad) return;
	const { email, firstName, lastName, password } = owner;
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, firstName, lastName, password }),
	});
	if (!res.ok) throw new Error(`n8n owner setup failed: ${res.status} ${await res.text()}`);
}

/**
 * Logs in as the owner (setting it up first where n8n needs that) and creates a public-API key
 * with every scope.
 * @param {string} url
 * @param {Owner} owner
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
	if (!scopesRes.ok) {
		throw new Error(`n8n api-key scopes failed: ${scopesRes.status} ${await scopesRes.text()}`);
	}
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
		/** @type {Record<string, string>} */
		const headers = { 'X-N8N-API-KEY': this.apiKey };
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url}/api/v1${p}`, {
			method,
			headers,
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

/**
 * The run data in the output of `n8n execute --rawOutput`. --rawOutput only drops the success
 * banner: n8n 2.x still logs start-up lines first, and a failed run prints the data after an
 * error banner and more error text after it. The data is JSON.stringify(run, null, 2), so it is
 * the lines from a line `{` to the next line `}` (deeper lines are indented).
 * @param {string} output
 * @returns {any} null when there is none
 */
function parseRunData(output) {
	const lines = output.split('\n');
	for (let start = lines.indexOf('{'); start >= 0; start = lines.indexOf('{', start + 1)) {
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			/* a log line that is just "{": try the next one */
		}
	}
	return null;
}

/**
 * read-credential.js's arguments for the database an n8n environment uses.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} userFolder
 */
function databaseArgs(env, userFolder) {
	if (env.DB_TYPE !== 'postgresdb') {
		return ['--sqlite', env.DB_SQLITE_DATABASE ?? path.join(userFolder, '.n8n', 'database.sqlite')];
	}
	const { DB_POSTGRESDB_HOST: host, DB_POSTGRESDB_PORT: port } = env;
	return ['--pg', `${host}:${port}/${env.DB_POSTGRESDB_DATABASE}/${env.DB_POSTGRESDB_USER}`];
}

/**
 * n8n's CLI on one user folder, with the environment the server gets too (database, file
 * access), so it works on the same data before and while the server runs.
 */
class N8nCli {
	/**
	 * @param {Runtime} rt
	 * @param {string} userFolder
	 * @param {NodeJS.ProcessEnv} env
	 * @param {string} workDir import files and `n8n execute` logs go here
	 */
	constructor(rt, userFolder, env, workDir) {
		this.rt = rt;
		this.userFolder = userFolder;
		this.env = env;
		this.workDir = workDir;
		this.importDir = path.join(workDir, 'import');
	}

	/**
	 * Runs one CLI command to completion.
	 * @param {string[]} args
	 * @param {NodeJS.ProcessEnv} [extra]
	 */
	async run(args, extra = {}) {
		// Every n8n process starts a task broker; a running server may hold the default port.
		const broker = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const env = n8nEnv(this.rt, this.userFolder, { ...this.env, ...broker, ...extra });
		return await n8nCli(this.rt, env, args);
	}

	/** @param {object[]} credentials */
	async importCredentials(credentials) {
		const file = path.join(this.importDir, 'credentials.json');
		fs.mkdirSync(this.importDir, { recursive: true });
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.run(['import:credentials', `--input=${file}`]);
	}

	/**
	 * Imports the workflows inactive; they are activated through the public API once the
	 * server runs.
	 * @param {Workflow[]} workflows
	 */
	async importWorkflows(workflows) {
		const dir = path.join(this.importDir, 'workflows');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		if (!workflows.length) return;
		for (const wf of workflows) {
			const file = path.join(dir, `${wf.id}.json`);
			fs.writeFileSync(file, JSON.stringify({ ...wf, active: false }, null, 2));
		}
		await this.run(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/**
	 * Runs a workflow once with `n8n execute` (its Manual Trigger) in a separate CLI process,
	 * next to the running server, and returns the execution as n8n printed it.
	 * @param {string} workflowId
	 * @returns {Promise<{ code: number, execution: any, output: string }>}
	 */
	async execute(workflowId) {
		let code = 0;
		let output = '';
		try {
			// `n8n execute` has no queue mode (it would fall back to regular with a warning).
			const args = ['execute', `--id=${workflowId}`, '--rawOutput'];
			output = (await this.run(args, { EXECUTIONS_MODE: 'regular' })).out;
		} catch (e) {
			code = /** @type {any} */ (e).code ?? 1;
			output = /** @type {any} */ (e).out ?? String(e);
		}
		fs.writeFileSync(path.join(this.workDir, `execute-${workflowId}.log`), output);
		return { code, execution: parseRunData(output), output };
	}

	/**
	 * A credential as n8n stored it, decrypted, read from the database this CLI uses (faster
	 * than `n8n export:credentials --decrypted`, and fine while the server runs).
	 * @param {string} id
	 * @returns {Promise<any>}
	 */
	async readCredential(id) {
		const script = path.join(__dirname, 'read-credential.js');
		const db = databaseArgs(this.env, this.userFolder);
		const args = [script, '--runtime', this.rt.dir, '--id', id, '--key', ENCRYPTION_KEY, ...db];
		const { out } = await run(this.rt.node, args);
		return JSON.parse(out);
	}
}

/**
 * A running n8n main process seen from outside: the public API, webhooks and forms.
 */
class N8nClient {
	/**
	 * Sets the owner up where needed, logs in and creates a public-API key.
	 * @param {string} url
	 * @param {Owner} owner
	 */
	static async connect(url, owner) {
		const { apiKey } = await ownerApiKey(url, owner);
		return new N8nClient(url, new PublicApi(url, apiKey));
	}

	/**
	 * @param {string} url
	 * @param {PublicApi} api
	 */
	constructor(url, api) {
		this.url = url;
		this.api = api;
	}

	/** @param {string[]} workflowIds */
	async activate(workflowIds) {
		for (const id of workflowIds) await this.api.activate(id);
	}

	/**
	 * POSTs JSON to a production webhook.
	 * @param {string} webhookPath e.g. visma/approval
	 * @param {unknown} body
	 * @returns {Promise<{ status: number, body: any, text: string }>}
	 */
	async webhook(webhookPath, body) {
		const res = await fetch(`${this.url}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await res.text();
		let parsed = null;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, body: parsed, text };
	}

	/**
	 * Submits an n8n form the way the browser does: multipart/form-data POST of field-0, field-1, ...
	 * A file field takes `{ file: path }` or `{ name, content, type }`.
	 * @param {Workflow} wf
	 * @param {string} nodeName the Form Trigger
	 * @param {Record<string, FormValue>} values by field label
	 */
	async submitForm(wf, nodeName, values) {
		const node = wf.nodes.find((n) => n.name === nodeName);
		if (!node) throw new Error(`no node ${nodeName}`);
		/** @type {any[]} */
		const fields = node.parameters.formFields.values;
		const keyOf = (/** @type {any} */ f) => f.fieldName || f.fieldLabel;
		for (const key of Object.keys(values)) {
			if (!fields.some((f) => keyOf(f) === key)) {
				throw new Error(`form ${nodeName} has no field ${key}`);
			}
		}
		const form = new FormData();
		fields.forEach((f, i) => {
			const v = values[keyOf(f)];
			if (v === undefined) return;
			if (typeof v === 'object') {
				const name = 'file' in v ? path.basename(v.file) : v.name;
				const content = 'file' in v ? fs.readFileSync(v.file) : Buffer.from(v.content, 'utf8');
				const type = ('type' in v && v.type) || 'text/csv';
				form.append(`field-${i}`, new Blob([content], { type }), name);
			} else form.append(`field-${i}`, String(v));
		});
		const formPath = node.parameters.path || node.parameters.options?.path || node.webhookId;
		const res = await fetch(`${this.url}/form/${formPath}`, { method: 'POST', body: form });
		return { status: res.status, text: await res.text() };
	}

	/**
	 * Waits until `count` executions of a workflow have finished (any status).
	 * @param {string} workflowId
	 * @param {number} count
	 * @param {number} [timeoutMs]
	 */
	async waitForExecutions(workflowId, count, timeoutMs = 120000) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.api.executions({ workflowId, max: Math.max(count, 250) });
			const done = list.filter(isFinished).length;
			if (done >= count) return list;
			if (Date.now() > until) {
				throw new Error(
					`only ${done}/${count} executions of ${workflowId} finished after ${timeoutMs / 1000} s`,
				);
			}
			await sleep(250);
		}
	}

	/**
	 * Id of the newest execution of a workflow ('0' when there is none).
	 * @param {string} workflowId
	 */
	async lastExecutionId(workflowId) {
		const [latest] = await this.api.executions({ workflowId, max: 1 });
		return latest ? String(latest.id) : '0';
	}

	/**
	 * The first finished execution of a workflow newer than `afterId`, with its data. A
	 * "Respond to Webhook" node answers before the execution is saved, so wait for it.
	 * @param {string} workflowId
	 * @param {string} afterId
	 * @param {number} [timeoutMs]
	 * @returns {Promise<any>}
	 */
	async nextExecution(workflowId, afterId, timeoutMs = 60000) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.api.executions({ workflowId, max: 20 });
			const next = list
				.filter((e) => Number(e.id) > Number(afterId) && isFinished(e))
				.sort((a, b) => Number(a.id) - Number(b.id))[0];
			if (next) return await this.api.execution(String(next.id));
			if (Date.now() > until) {
				throw new Error(
					`no finished execution of ${workflowId} after #${afterId} within ${timeoutMs / 1000} s`,
				);
			}
			await sleep(200);
		}
	}
}

module.exports = { ensureOwner, ownerApiKey, PublicApi, parseRunData, N8nCli, N8nClient };

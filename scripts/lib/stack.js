// @ts-check
'use strict';

/**
 * A complete local setup: the Visma simulator, an n8n user folder with this package installed
 * like a community package, the credential and workflows imported with n8n's CLI, one n8n main
 * process (plus, in queue mode, Redis, PostgreSQL and worker processes), an owner account and a
 * public-API key, and the workflows activated. Used by the e2e suite and `npm run demo`.
 */

const fs = require('fs');
const path = require('path');
const { run, n8nCli, n8nEnv, freshUserFolder, installPackage, freePort, bcryptHash, ENCRYPTION_KEY } = require('./runtime');
const { OWNER, startN8n, ownerApiKey, PublicApi, sleep } = require('./n8n');
const { startRedis, startPostgres } = require('./services');
const { EXAMPLE_CREDENTIAL, isActivatable } = require('./examples');

/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {import('./examples').Workflow} Workflow */
/** @typedef {import('./n8n').N8nProcess} N8nProcess */
/** @typedef {Awaited<ReturnType<typeof import('../../test/simulator').startSimulator>>} Simulator */

/**
 * @typedef {object} StackOptions
 * @property {Runtime} rt
 * @property {string} tarball the packed package (npm pack)
 * @property {string} workDir logs, user folders, import files
 * @property {Simulator} sim a running simulator
 * @property {Workflow[]} workflows imported with `n8n import:workflow`
 * @property {string[]} [activate] workflow ids to activate (default: every imported workflow with a trigger)
 * @property {number} [port] n8n port (default: a free one)
 * @property {{ workers: number, concurrency?: number } | null} [queue] queue mode with Redis and workers
 * @property {'sqlite' | 'postgres'} [db] default sqlite; queue mode should use postgres
 * @property {'expired' | 'valid'} [accessToken] the imported access token: expired (default) or valid
 * @property {string} [filesDir] the one folder n8n may read and write files in (default <workDir>/files)
 * @property {Record<string, string>} [env] extra environment for every n8n process
 * @property {(msg: string) => void} [log]
 */

/**
 * @param {StackOptions} o
 */
async function startStack(o) {
	const log = o.log ?? (() => {});
	const t0 = Date.now();
	const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	fs.mkdirSync(o.workDir, { recursive: true });
	/** @type {Array<() => Promise<void>>} */
	const cleanups = [];
	const stopAll = async () => {
		for (const c of cleanups.splice(0).reverse()) {
			try {
				await c();
			} catch {
				/* keep stopping the rest */
			}
		}
	};

	try {
		/** @type {Record<string, string>} */
		const dbEnv = {};
		/** @type {{ redis?: import('./services').Service, postgres?: Awaited<ReturnType<typeof startPostgres>> }} */
		const services = {};
		const serviceDir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'visma-e2e-svc-'));
		cleanups.push(async () => fs.rmSync(serviceDir, { recursive: true, force: true }));
		if (o.db === 'postgres') {
			log('[stack] starting PostgreSQL');
			services.postgres = await startPostgres(path.join(serviceDir, 'postgres'));
			const pg = services.postgres;
			cleanups.push(() => pg.stop());
			Object.assign(dbEnv, {
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: pg.host,
				DB_POSTGRESDB_PORT: String(pg.port),
				DB_POSTGRESDB_DATABASE: pg.database,
				DB_POSTGRESDB_USER: pg.user,
				DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
			});
			log(`[stack] PostgreSQL on 127.0.0.1:${pg.port} (${since()})`);
		}
		if (o.queue) {
			log('[stack] starting Redis');
			services.redis = await startRedis(path.join(serviceDir, 'redis'));
			const redis = services.redis;
			cleanups.push(() => redis.stop());
			Object.assign(dbEnv, {
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			});
			log(`[stack] Redis on 127.0.0.1:${redis.port} (${since()})`);
		}
		const mainFolder = path.join(o.workDir, 'n8n-main');
		if (o.db !== 'postgres' && o.queue) dbEnv.DB_SQLITE_DATABASE = path.join(mainFolder, '.n8n', 'database.sqlite');

		log('[stack] preparing the n8n user folder and installing the package');
		await freshUserFolder(o.rt, mainFolder, { log });
		await installPackage(mainFolder, o.tarball);

		// The credential: Custom environment pointing at the simulator, tokens from the simulator.
		const pair = o.sim.issueTokens();
		if ((o.accessToken ?? 'expired') === 'expired') o.sim.expireAccessTokens();
		const credential = {
			id: EXAMPLE_CREDENTIAL.id,
			name: EXAMPLE_CREDENTIAL.name,
			type: 'vismaEAccountingOAuth2Api',
			data: {
				environment: 'custom',
				identityUrl: o.sim.url,
				apiUrl: o.sim.url,
				clientId: 'sim-client',
				clientSecret: 'sim-secret',
				oauthTokenData: { access_token: pair.access_token, refresh_token: pair.refresh_token, token_type: 'Bearer', expires_in: 3600 },
			},
		};
		const importDir = path.join(o.workDir, 'import');
		fs.rmSync(importDir, { recursive: true, force: true });
		fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
		fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify([credential], null, 2));
		for (const wf of o.workflows) fs.writeFileSync(path.join(importDir, 'workflows', `${wf.id}.json`), JSON.stringify({ ...wf, active: false }, null, 2));

		const filesDir = o.filesDir ?? path.join(o.workDir, 'files');
		fs.mkdirSync(filesDir, { recursive: true });
		const baseEnv = { N8N_RESTRICT_FILE_ACCESS_TO: filesDir, ...(o.env ?? {}), ...dbEnv };
		const cliEnv = n8nEnv(o.rt, mainFolder, { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		log('[stack] importing the credential (n8n import:credentials)');
		await n8nCli(o.rt, cliEnv, ['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`]);
		log(`[stack] importing ${o.workflows.length} workflow(s) (n8n import:workflow) (${since()})`);
		if (o.workflows.length) await n8nCli(o.rt, cliEnv, ['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]);

		const port = o.port ?? (await freePort());
		const owner = { ...OWNER, passwordHash: bcryptHash(o.rt, OWNER.password) };
		log(`[stack] starting n8n${o.queue ? ' main (queue mode)' : ''} on http://127.0.0.1:${port} (${since()})`);
		const main = await startN8n({
			rt: o.rt,
			userFolder: mainFolder,
			role: 'main',
			name: 'n8n main',
			port,
			brokerPort: await freePort(),
			env: baseEnv,
			logFile: path.join(o.workDir, 'n8n-main.log'),
			owner,
		});
		cleanups.push(() => main.stop());
		log(`[stack] n8n main is ready (${since()})`);

		/** @type {N8nProcess[]} */
		const workers = [];
		if (o.queue) {
			const starts = [];
			for (let w = 1; w <= o.queue.workers; w++) {
				const folder = path.join(o.workDir, `n8n-worker-${w}`);
				await freshUserFolder(o.rt, folder, { log });
				await installPackage(folder, o.tarball);
				const brokerPort = await freePort();
				const healthPort = await freePort();
				starts.push(
					startN8n({
						rt: o.rt,
						userFolder: folder,
						role: 'worker',
						name: `n8n worker ${w}`,
						brokerPort,
						env: { ...baseEnv, QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
						logFile: path.join(o.workDir, `n8n-worker-${w}.log`),
						workerConcurrency: o.queue.concurrency ?? 10,
					}).then((p) => {
						workers.push(p);
						cleanups.push(() => p.stop());
						return p;
					}),
				);
			}
			log(`[stack] starting ${o.queue.workers} worker(s)`);
			await Promise.all(starts);
			log(`[stack] workers are ready (${since()})`);
		}

		const { apiKey } = await ownerApiKey(main.url, OWNER);
		const api = new PublicApi(main.url, apiKey);
		const toActivate = o.activate ?? o.workflows.filter(isActivatable).map((wf) => wf.id);
		for (const id of toActivate) await api.activate(id);
		log(`[stack] ${toActivate.length} workflow(s) active (${since()})`);

		const stack = {
			url: main.url,
			main,
			workers,
			api,
			sim: o.sim,
			owner: OWNER,
			credential,
			services,
			workDir: o.workDir,
			/**
			 * POSTs JSON to a production webhook.
			 * @param {string} webhookPath e.g. visma/approval
			 * @param {unknown} body
			 * @returns {Promise<{ status: number, body: any, text: string }>}
			 */
			async webhook(webhookPath, body) {
				const res = await fetch(`${main.url}/webhook/${webhookPath}`, {
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
			},
			filesDir,
			/**
			 * Submits an n8n form the way the browser does: multipart/form-data POST of field-0, field-1, ...
			 * A file field takes `{ file: path }` or `{ name, content, type }`.
			 * @param {Workflow} wf
			 * @param {string} nodeName the Form Trigger
			 * @param {Record<string, string | number | { file: string } | { name: string, content: string, type?: string }>} values by field label
			 */
			async submitForm(wf, nodeName, values) {
				const node = wf.nodes.find((n) => n.name === nodeName);
				if (!node) throw new Error(`no node ${nodeName}`);
				const fields = node.parameters.formFields.values;
				const form = new FormData();
				fields.forEach((/** @type {any} */ f, /** @type {number} */ i) => {
					const key = f.fieldName || f.fieldLabel;
					const v = values[key];
					if (v === undefined) return;
					if (typeof v === 'object') {
						const name = 'file' in v ? path.basename(v.file) : v.name;
						const content = 'file' in v ? fs.readFileSync(v.file) : Buffer.from(v.content, 'utf8');
						form.append(`field-${i}`, new Blob([content], { type: ('type' in v && v.type) || 'text/csv' }), name);
					} else form.append(`field-${i}`, String(v));
				});
				for (const key of Object.keys(values)) {
					if (!fields.some((/** @type {any} */ f) => (f.fieldName || f.fieldLabel) === key)) throw new Error(`form ${nodeName} has no field ${key}`);
				}
				const formPath = node.parameters.path || node.parameters.options?.path || node.webhookId;
				const res = await fetch(`${main.url}/form/${formPath}`, { method: 'POST', body: form });
				return { status: res.status, text: await res.text() };
			},
			/**
			 * The stored (decrypted) credential, read from n8n's database.
			 * @returns {Promise<any>}
			 */
			async readCredential() {
				const dbArgs = services.postgres
					? ['--pg', `${services.postgres.host}:${services.postgres.port}/${services.postgres.database}/${services.postgres.user}`]
					: ['--sqlite', dbEnv.DB_SQLITE_DATABASE ?? path.join(mainFolder, '.n8n', 'database.sqlite')];
				const { out } = await run(o.rt.node, [path.join(__dirname, 'read-credential.js'), '--runtime', o.rt.dir, '--id', credential.id, '--key', ENCRYPTION_KEY, ...dbArgs]);
				return JSON.parse(out);
			},
			/**
			 * Waits until `count` executions of a workflow have finished (any status).
			 * @param {string} workflowId
			 * @param {number} count
			 * @param {number} [timeoutMs]
			 */
			async waitForExecutions(workflowId, count, timeoutMs = 120000) {
				const until = Date.now() + timeoutMs;
				for (;;) {
					const list = await api.executions({ workflowId, max: Math.max(count, 250) });
					const done = list.filter((e) => e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status));
					if (done.length >= count) return list;
					if (Date.now() > until) throw new Error(`only ${done.length}/${count} executions of ${workflowId} finished after ${timeoutMs / 1000} s`);
					await sleep(250);
				}
			},
			/**
			 * Id of the newest execution of a workflow ('0' when there is none).
			 * @param {string} workflowId
			 */
			async lastExecutionId(workflowId) {
				const [latest] = await api.executions({ workflowId, max: 1 });
				return latest ? String(latest.id) : '0';
			},
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
					const list = await api.executions({ workflowId, max: 20 });
					const next = list
						.filter((e) => Number(e.id) > Number(afterId) && (e.finished || ['success', 'error', 'crashed', 'canceled'].includes(e.status)))
						.sort((a, b) => Number(a.id) - Number(b.id))[0];
					if (next) return await api.execution(String(next.id));
					if (Date.now() > until) throw new Error(`no finished execution of ${workflowId} after #${afterId} within ${timeoutMs / 1000} s`);
					await sleep(200);
				}
			},
			/**
			 * Runs a workflow once with `n8n execute` (its Manual Trigger) in a separate CLI process,
			 * next to the running server, and returns the execution as n8n printed it.
			 * @param {string} workflowId
			 * @returns {Promise<{ code: number, execution: any, output: string }>}
			 */
			async executeCli(workflowId) {
				const env = n8nEnv(o.rt, mainFolder, { ...baseEnv, EXECUTIONS_MODE: 'regular', N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
				let code = 0;
				let output = '';
				try {
					output = (await n8nCli(o.rt, env, ['execute', `--id=${workflowId}`])).out;
				} catch (e) {
					code = /** @type {any} */ (e).code ?? 1;
					output = /** @type {any} */ (e).out ?? String(e);
				}
				const start = output.indexOf('\n{\n');
				let execution = null;
				if (start >= 0) {
					// The JSON is followed by more log text on errors: parse the first complete object.
					const text = output.slice(start + 1);
					let depth = 0;
					let inString = false;
					for (let i = 0; i < text.length; i++) {
						const ch = text[i];
						if (inString) {
							if (ch === '\\') i++;
							else if (ch === '"') inString = false;
						} else if (ch === '"') inString = true;
						else if (ch === '{') depth++;
						else if (ch === '}' && --depth === 0) {
							execution = JSON.parse(text.slice(0, i + 1));
							break;
						}
					}
				}
				fs.writeFileSync(path.join(o.workDir, `execute-${workflowId}.log`), output);
				return { code, execution, output };
			},
			stop: stopAll,
		};
		return stack;
	} catch (e) {
		await stopAll();
		throw e;
	}
}

module.exports = { startStack };

// @ts-check
'use strict';

/**
 * The processes of one local stack and their clean-up: throw-away PostgreSQL and Redis with the
 * n8n environment that points at them, n8n user folders with this package installed, the n8n
 * main process and, in queue mode, the workers. One n8n process is n8n.js's business, one
 * database server services.js's; talking to n8n is n8nClient.js's.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { freshUserFolder, installPackage, freePort, bcryptHash } = require('./runtime');
const { startN8n } = require('./n8n');
const { startRedis, startPostgres } = require('./services');

/** @typedef {import('./n8n').N8nProcess} N8nProcess */
/** @typedef {import('./n8nClient').Owner} Owner */
/** @typedef {Awaited<ReturnType<typeof startPostgres>>} Postgres */
/** @typedef {{ redis?: import('./services').Service, postgres?: Postgres }} StackServices */

/** Stop functions, run newest first; one that fails does not keep the others from running. */
class Cleanups {
	constructor() {
		/** @type {Array<() => Promise<void>>} */
		this.list = [];
	}

	/** @param {() => Promise<void>} stop */
	add(stop) {
		this.list.push(stop);
	}

	async runAll() {
		for (const stop of this.list.splice(0).reverse()) {
			try {
				await stop();
			} catch {
				/* keep stopping the rest */
			}
		}
	}
}

/**
 * What every step of a stack needs.
 * @typedef {object} StackContext
 * @property {import('./runtime').Runtime} rt
 * @property {string} tarball the packed package
 * @property {string} workDir logs and user folders
 * @property {Cleanups} cleanups
 * @property {(msg: string) => void} log
 * @property {() => string} since time since the stack started, for progress lines
 */

/**
 * Starts PostgreSQL (db 'postgres') and Redis (queue mode) as asked, and returns them with the
 * n8n environment that uses them.
 * @param {StackContext} ctx
 * @param {{ db?: 'sqlite' | 'postgres', queue: boolean, mainFolder: string }} o
 * @returns {Promise<{ services: StackServices, env: Record<string, string> }>}
 */
async function startServices(ctx, o) {
	/** @type {StackServices} */
	const services = {};
	/** @type {Record<string, string>} */
	const env = {};
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'visma-e2e-svc-'));
	ctx.cleanups.add(async () => fs.rmSync(dir, { recursive: true, force: true }));
	if (o.db === 'postgres') {
		ctx.log('[stack] starting PostgreSQL');
		const pg = await startPostgres(path.join(dir, 'postgres'));
		ctx.cleanups.add(() => pg.stop());
		services.postgres = pg;
		Object.assign(env, {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		});
		ctx.log(`[stack] PostgreSQL on 127.0.0.1:${pg.port} (${ctx.since()})`);
	}
	if (o.queue) {
		ctx.log('[stack] starting Redis');
		const redis = await startRedis(path.join(dir, 'redis'));
		ctx.cleanups.add(() => redis.stop());
		services.redis = redis;
		Object.assign(env, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		});
		ctx.log(`[stack] Redis on 127.0.0.1:${redis.port} (${ctx.since()})`);
	}
	// Workers have user folders of their own: on SQLite they must share main's database file.
	if (o.db !== 'postgres' && o.queue) {
		env.DB_SQLITE_DATABASE = path.join(o.mainFolder, '.n8n', 'database.sqlite');
	}
	return { services, env };
}

/**
 * A fresh n8n user folder (copied from the migrated one) with the package installed the way
 * n8n's community-package installer does it.
 * @param {StackContext} ctx
 * @param {string} folder
 */
async function prepareUserFolder(ctx, folder) {
	await freshUserFolder(ctx.rt, folder, { log: ctx.log });
	await installPackage(folder, ctx.tarball);
}

/**
 * Starts the n8n main process and waits until it serves. n8n 2.x creates `owner` at start;
 * 1.x leaves that to N8nClient.connect.
 * @param {StackContext} ctx
 * @param {{ folder: string, port: number, env: NodeJS.ProcessEnv, owner: Owner, queue: boolean }} o
 * @returns {Promise<N8nProcess>}
 */
async function startMain(ctx, o) {
	const what = o.queue ? 'n8n main (queue mode)' : 'n8n';
	ctx.log(`[stack] starting ${what} on http://127.0.0.1:${o.port} (${ctx.since()})`);
	const main = await startN8n({
		rt: ctx.rt,
		userFolder: o.folder,
		role: 'main',
		name: 'n8n main',
		port: o.port,
		brokerPort: await freePort(),
		env: o.env,
		logFile: path.join(ctx.workDir, 'n8n-main.log'),
		owner: { ...o.owner, passwordHash: bcryptHash(ctx.rt, o.owner.password) },
	});
	ctx.cleanups.add(() => main.stop());
	ctx.log(`[stack] n8n main is ready (${ctx.since()})`);
	return main;
}

/**
 * Starts queue-mode workers, each with its own user folder, and waits until all are ready.
 * @param {StackContext} ctx
 * @param {{ workers: number, concurrency?: number, env: NodeJS.ProcessEnv }} o
 * @returns {Promise<N8nProcess[]>}
 */
async function startWorkers(ctx, o) {
	/** @type {N8nProcess[]} */
	const workers = [];
	const starts = [];
	for (let w = 1; w <= o.workers; w++) {
		const folder = path.join(ctx.workDir, `n8n-worker-${w}`);
		await prepareUserFolder(ctx, folder);
		const brokerPort = await freePort();
		const healthPort = await freePort();
		const start = startN8n({
			rt: ctx.rt,
			userFolder: folder,
			role: 'worker',
			name: `n8n worker ${w}`,
			brokerPort,
			env: { ...o.env, QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
			logFile: path.join(ctx.workDir, `n8n-worker-${w}.log`),
			workerConcurrency: o.concurrency ?? 10,
		});
		starts.push(
			start.then((p) => {
				workers.push(p);
				ctx.cleanups.add(() => p.stop());
			}),
		);
	}
	ctx.log(`[stack] starting ${o.workers} worker(s)`);
	// Settle all before failing, so no worker comes up after the clean-ups have run.
	const failed = (await Promise.allSettled(starts)).find((r) => r.status === 'rejected');
	if (failed) throw failed.reason;
	ctx.log(`[stack] workers are ready (${ctx.since()})`);
	return workers;
}

module.exports = { Cleanups, startServices, prepareUserFolder, startMain, startWorkers };

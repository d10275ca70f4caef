// @ts-check
'use strict';

/**
 * Throw-away Redis and PostgreSQL servers for n8n's queue mode, from Debian's redis-server and
 * postgresql packages, in a temp folder on free loopback ports. PostgreSQL refuses to run as
 * root, so under root the cluster is created and run as the unprivileged user `nobody`.
 */

const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { freePort, run, which } = require('./runtime');

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const idleSleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms).unref());
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** @typedef {{ port: number, stop: () => Promise<void> }} Service */

/**
 * Missing system programs for queue mode, with the Debian package that provides them.
 * @returns {string[]}
 */
function missingQueueDeps() {
	const missing = [];
	if (!which('redis-server')) missing.push('redis-server (apt-get install -y redis-server)');
	if (!postgresBinDir())
		missing.push('PostgreSQL server binaries initdb/pg_ctl (apt-get install -y postgresql)');
	if (isRoot && !which('runuser'))
		missing.push('runuser (util-linux), to run PostgreSQL as an unprivileged user');
	return missing;
}

/** Folder with initdb/pg_ctl/postgres, or null. */
function postgresBinDir() {
	const candidates = [];
	const cfg = spawnSync('sh', ['-c', 'pg_config --bindir 2>/dev/null'], {
		encoding: 'utf8',
	}).stdout.trim();
	if (cfg) candidates.push(cfg);
	if (fs.existsSync('/usr/lib/postgresql')) {
		const versions = fs
			.readdirSync('/usr/lib/postgresql')
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
		for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
	}
	const initdb = which('initdb');
	if (initdb) candidates.push(path.dirname(fs.realpathSync(initdb)));
	return (
		candidates.find((d) =>
			['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(d, b))),
		) ?? null
	);
}

/**
 * Waits until a TCP port accepts connections.
 * @param {number} port
 * @param {number} timeoutMs
 * @param {() => string} [diag]
 */
async function waitForPort(port, timeoutMs, diag) {
	const net = require('net');
	const until = Date.now() + timeoutMs;
	for (;;) {
		const ok = await new Promise((resolve) => {
			const s = net.connect(port, '127.0.0.1');
			s.once('connect', () => {
				s.destroy();
				resolve(true);
			});
			s.once('error', () => resolve(false));
		});
		if (ok) return;
		if (Date.now() > until)
			throw new Error(
				`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s${diag ? `:\n${diag()}` : ''}`,
			);
		await sleep(100);
	}
}

/**
 * Starts redis-server on a free loopback port, without persistence.
 * @param {string} dir scratch folder (log file)
 * @returns {Promise<Service>}
 */
async function startRedis(dir) {
	const bin = which('redis-server');
	if (!bin) throw new Error('redis-server is missing: apt-get install -y redis-server');
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--protected-mode',
			'yes',
		],
		{
			stdio: ['ignore', fd, fd],
			detached: true,
		},
	);
	fs.closeSync(fd);
	let exited = false;
	const exit = new Promise((r) => child.once('exit', () => ((exited = true), r(undefined))));
	const killNow = () => {
		try {
			process.kill(/** @type {number} */ (child.pid), 'SIGKILL');
		} catch {
			/* gone */
		}
	};
	process.on('exit', killNow);
	await waitForPort(port, 15000, () => fs.readFileSync(logFile, 'utf8'));
	return {
		port,
		async stop() {
			if (!exited) child.kill('SIGTERM');
			await Promise.race([exit, idleSleep(5000)]);
			if (!exited) killNow();
			process.removeListener('exit', killNow);
		},
	};
}

/**
 * Creates a PostgreSQL cluster in `dir` (trust auth on loopback, superuser `postgres`) and
 * starts it on a free port. Under root, everything runs as `nobody`.
 * @param {string} dir
 * @param {{ database?: string }} [opts]
 * @returns {Promise<Service & { host: string, user: string, database: string, dataDir: string }>}
 */
async function startPostgres(dir, opts = {}) {
	const bin = postgresBinDir();
	if (!bin)
		throw new Error('PostgreSQL server binaries are missing: apt-get install -y postgresql');
	const database = opts.database ?? 'n8n';
	const runAs = isRoot ? 'nobody' : null;
	/** @param {string} cmd @param {string[]} args */
	const asUser = (cmd, args) =>
		runAs ? ['runuser', ['-u', runAs, '--', cmd, ...args]] : [cmd, args];
	fs.mkdirSync(dir, { recursive: true });
	const dataDir = path.join(dir, 'pgdata');
	const sockDir = path.join(dir, 'pgsock');
	fs.mkdirSync(sockDir, { recursive: true });
	if (runAs) {
		// nobody must reach the folders; mkdtemp makes them 0700.
		for (
			let d = dir;
			d !== path.dirname(d) && d !== '/tmp' && d.startsWith('/');
			d = path.dirname(d)
		) {
			const mode = fs.statSync(d).mode & 0o777;
			if ((mode & 0o005) !== 0o005) fs.chmodSync(d, mode | 0o005);
		}
		const { uid, gid } = userIds(runAs);
		fs.chownSync(dir, uid, gid);
		fs.chownSync(sockDir, uid, gid);
	}
	const port = await freePort();
	const [initCmd, initArgs] = asUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	await run(/** @type {string} */ (initCmd), /** @type {string[]} */ (initArgs), {
		cwd: dir,
		timeoutMs: 120000,
	});
	const logFile = path.join(dir, 'postgres.log');
	const pgOpts = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${sockDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	const [ctlCmd, ctlArgs] = asUser(path.join(bin, 'pg_ctl'), [
		'-D',
		dataDir,
		'-l',
		logFile,
		'-o',
		pgOpts,
		'-w',
		'-t',
		'60',
		'start',
	]);
	await run(/** @type {string} */ (ctlCmd), /** @type {string[]} */ (ctlArgs), {
		cwd: dir,
		timeoutMs: 90000,
	});
	const stop = async () => {
		const [c, a] = asUser(path.join(bin, 'pg_ctl'), [
			'-D',
			dataDir,
			'-m',
			'immediate',
			'-w',
			'-t',
			'30',
			'stop',
		]);
		try {
			await run(/** @type {string} */ (c), /** @type {string[]} */ (a), {
				cwd: dir,
				timeoutMs: 40000,
			});
		} catch {
			/* already stopped */
		}
	};
	const stopSync = () => {
		const [c, a] = asUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']);
		spawnSync(/** @type {string} */ (c), /** @type {string[]} */ (a), {
			cwd: dir,
			stdio: 'ignore',
		});
	};
	process.on('exit', stopSync);
	const createdb = path.join(bin, 'createdb');
	const [cdCmd, cdArgs] = fs.existsSync(createdb)
		? [createdb, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]]
		: [
				path.join(bin, 'psql'),
				[
					'-h',
					'127.0.0.1',
					'-p',
					String(port),
					'-U',
					'postgres',
					'-c',
					`create database ${database}`,
				],
			];
	await run(cdCmd, cdArgs, { cwd: dir, timeoutMs: 30000 });
	return {
		port,
		host: '127.0.0.1',
		user: 'postgres',
		database,
		dataDir,
		async stop() {
			await stop();
			process.removeListener('exit', stopSync);
		},
	};
}

/** @param {string} name */
function userIds(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`user ${name} does not exist`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

module.exports = {
	missingQueueDeps,
	postgresBinDir,
	startRedis,
	startPostgres,
	waitForPort,
	isRoot,
};

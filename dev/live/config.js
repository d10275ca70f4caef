// @ts-check
'use strict';

/**
 * Settings of `npm run test:live` and `npm run live:connect`: which Visma client, which refresh
 * token, which hosts. `liveSettings` is pure (environment and file reader passed in) so the
 * skip decision is unit-tested (test/unit/liveSettings.test.ts). The live file holds the
 * current refresh token; Visma rotates refresh tokens, so it is rewritten after every refresh.
 */

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_LIVE_FILE = path.join(REPO_ROOT, '.live', 'visma-sandbox.json');
/** Where findings-<timestamp>.json go: VISMA_LIVE_FINDINGS_DIR, default .live/ (git-ignored). */
const FINDINGS_DIR = path.join(REPO_ROOT, '.live');

/** Visma's sandbox uses the production hosts; the client id decides the environment. */
const VISMA_IDENTITY_URL = 'https://identity.vismaonline.com';
const VISMA_API_URL = 'https://eaccountingapi.vismaonline.com';
/** Only companies that have eAccounting in the company picker (see the credential). */
const ACR_VALUES = 'service:44643EB1-3F76-4C1C-A672-402AE8085934';
const BASE_SCOPES = ['ea:api', 'offline_access', 'ea:sales'];

const README_HINT = 'see README "Checking against a real Visma sandbox"';
const SKIP_LINE = `test:live skipped: set VISMA_CLIENT_ID, VISMA_CLIENT_SECRET and VISMA_REFRESH_TOKEN (or run npm run live:connect); ${README_HINT}`;

// Same rule as nodes/VismaEAccounting/domain/environment.ts: https, or plain http on loopback.
const LOOPBACK_HTTP = /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i;
const HTTPS = /^https:\/\/[^\s/@\\]+(\/|$)/i;

/**
 * @typedef {object} LiveFile
 * @property {string} [refreshToken]
 * @property {string} [clientId]
 * @property {string} [identityUrl]
 * @property {string} [apiUrl]
 * @property {string} [scope]
 * @property {string} [updatedUtc]
 * @property {string[]} [replaced] hashes of refresh tokens this one replaced (newest first)
 */

/**
 * @typedef {object} Settings
 * @property {string} clientId
 * @property {string} clientSecret
 * @property {string} refreshToken
 * @property {'env' | 'file'} refreshTokenSource
 * @property {string} liveFile
 * @property {string} identityUrl without /connect
 * @property {string} apiUrl without /v2
 * @property {boolean} customHosts true when VISMA_API_URL or VISMA_IDENTITY_URL is set
 * @property {boolean} ci
 * @property {string[]} notes things to tell the user before the run
 */

/**
 * @typedef {{ run: true, settings: Settings } | { run: false, line: string, exitCode: number }} Decision
 */

/**
 * A path as the user should see it: relative when it is below the working directory.
 * @param {string} file
 */
function displayPath(file) {
	const rel = path.relative(process.cwd(), file);
	return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** @param {string} token */
function tokenHash(token) {
	return crypto.createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/**
 * @param {string | undefined} raw
 * @param {string} fallback
 * @param {RegExp} suffix trailing path to drop (/v2, /connect/...)
 * @param {string} name
 * @returns {{ url: string } | { error: string }}
 */
function baseUrl(raw, fallback, suffix, name) {
	const url = (raw ?? '').trim()
		? String(raw).trim().replace(/\/+$/, '').replace(suffix, '').replace(/\/+$/, '')
		: fallback;
	if (!HTTPS.test(url) && !LOOPBACK_HTTP.test(url)) {
		return {
			error: `${name} "${url}" is not allowed: use https, or plain http only for localhost`,
		};
	}
	return { url };
}

/** @param {Record<string, string | undefined>} env */
const isSet = (env) => (/** @type {string} */ name) => Boolean((env[name] ?? '').trim());

/**
 * Hosts and client of the live run; shared by test:live and live:connect.
 * @param {Record<string, string | undefined>} env
 */
function hosts(env) {
	const identity = baseUrl(
		env.VISMA_IDENTITY_URL,
		VISMA_IDENTITY_URL,
		/\/connect(\/.*)?$/i,
		'VISMA_IDENTITY_URL',
	);
	const api = baseUrl(env.VISMA_API_URL, VISMA_API_URL, /\/v2$/i, 'VISMA_API_URL');
	const customHosts = isSet(env)('VISMA_API_URL') || isSet(env)('VISMA_IDENTITY_URL');
	return { identity, api, customHosts };
}

/** @param {Record<string, string | undefined>} env */
function liveFilePath(env) {
	return isSet(env)('VISMA_LIVE_FILE')
		? path.resolve(String(env.VISMA_LIVE_FILE).trim())
		: DEFAULT_LIVE_FILE;
}

/**
 * Decides whether test:live runs, and with what. Never throws.
 * @param {Record<string, string | undefined>} env
 * @param {{ readLiveFile: (file: string) => LiveFile | undefined }} io
 * @returns {Decision}
 */
function liveSettings(env, io) {
	const has = isSet(env);
	const liveFile = liveFilePath(env);
	const ci = /^(1|true|yes)$/i.test((env.CI ?? '').trim());
	const rel = displayPath(liveFile);

	/** @type {LiveFile | undefined} */
	let file;
	try {
		file = io.readLiveFile(liveFile);
	} catch (error) {
		// Without client credentials a broken file does not matter: nothing would run.
		if (!has('VISMA_CLIENT_ID') && !has('VISMA_REFRESH_TOKEN'))
			return { run: false, line: SKIP_LINE, exitCode: 0 };
		return {
			run: false,
			line: `test:live: cannot read ${rel}: ${error instanceof Error ? error.message : String(error)}`,
			exitCode: 2,
		};
	}
	const fileToken =
		typeof file?.refreshToken === 'string' && file.refreshToken ? file.refreshToken : undefined;

	const missing = [];
	if (!has('VISMA_CLIENT_ID')) missing.push('VISMA_CLIENT_ID');
	if (!has('VISMA_CLIENT_SECRET')) missing.push('VISMA_CLIENT_SECRET');
	if (!has('VISMA_REFRESH_TOKEN') && !fileToken)
		missing.push(
			`a refresh token (VISMA_REFRESH_TOKEN, or ${rel} written by npm run live:connect)`,
		);
	if (missing.length === 3) return { run: false, line: SKIP_LINE, exitCode: 0 };
	if (missing.length) {
		const list =
			missing.length === 1
				? missing[0]
				: `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
		return { run: false, line: `test:live skipped: missing ${list}; ${README_HINT}`, exitCode: 0 };
	}

	const { identity, api, customHosts } = hosts(env);
	if ('error' in identity) return { run: false, line: `test:live: ${identity.error}`, exitCode: 2 };
	if ('error' in api) return { run: false, line: `test:live: ${api.error}`, exitCode: 2 };

	const clientId = String(env.VISMA_CLIENT_ID).trim();
	const notes = [];
	/** @type {'env' | 'file'} */
	let source = 'file';
	let refreshToken = fileToken ?? '';
	if (has('VISMA_REFRESH_TOKEN')) {
		const envToken = String(env.VISMA_REFRESH_TOKEN).trim();
		if (
			fileToken &&
			envToken !== fileToken &&
			(file?.replaced ?? []).includes(tokenHash(envToken))
		) {
			// The token in the environment was rotated by an earlier run: it is dead, the file has its successor.
			notes.push(
				`VISMA_REFRESH_TOKEN was already used and rotated by an earlier run; using its successor from ${rel} (you can unset VISMA_REFRESH_TOKEN)`,
			);
		} else {
			source = 'env';
			refreshToken = envToken;
		}
	}
	if (source === 'file' && file) {
		if (file.clientId && file.clientId !== clientId) {
			return {
				run: false,
				line: `test:live: the refresh token in ${rel} belongs to client "${file.clientId}", not VISMA_CLIENT_ID "${clientId}"`,
				exitCode: 2,
			};
		}
		if (file.identityUrl && file.identityUrl !== identity.url) {
			return {
				run: false,
				line: `test:live: the refresh token in ${rel} was issued by ${file.identityUrl}, but this run uses ${identity.url} (set VISMA_IDENTITY_URL, or use another VISMA_LIVE_FILE)`,
				exitCode: 2,
			};
		}
	}
	return {
		run: true,
		settings: {
			clientId,
			clientSecret: String(env.VISMA_CLIENT_SECRET).trim(),
			refreshToken,
			refreshTokenSource: source,
			liveFile,
			identityUrl: identity.url,
			apiUrl: api.url,
			customHosts,
			ci,
			notes,
		},
	};
}

/**
 * @param {string} file
 * @returns {LiveFile | undefined}
 */
function readLiveFile(file) {
	let text;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
		throw error;
	}
	const data = JSON.parse(text);
	if (!data || typeof data !== 'object' || Array.isArray(data))
		throw new Error('not a JSON object');
	return data;
}

/**
 * Writes the file durably (temp file, fsync, rename), readable only by the owner.
 * @param {string} file
 * @param {LiveFile} data
 */
function writeLiveFile(file, data) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	const fd = fs.openSync(tmp, 'w', 0o600);
	try {
		fs.writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
	fs.renameSync(tmp, file);
}

/**
 * Stores a new refresh token, remembering which token it replaced.
 * @param {string} file
 * @param {{ refreshToken: string, replaces?: string, clientId: string, identityUrl: string, apiUrl: string, scope?: string }} next
 */
function saveRefreshToken(file, next) {
	let current;
	try {
		current = readLiveFile(file);
	} catch {
		current = undefined;
	}
	const replaced = [
		...(next.replaces && next.replaces !== next.refreshToken ? [tokenHash(next.replaces)] : []),
		...(current?.replaced ?? []),
	];
	writeLiveFile(file, {
		refreshToken: next.refreshToken,
		clientId: next.clientId,
		identityUrl: next.identityUrl,
		apiUrl: next.apiUrl,
		scope: next.scope ?? current?.scope,
		updatedUtc: new Date().toISOString(),
		replaced: [...new Set(replaced)].slice(0, 20),
	});
}

/**
 * Refuses to put a refresh token into a file git would commit.
 * @param {string} file
 * @returns {string | undefined} why not, or undefined when it is fine
 */
function unignoredInRepo(file) {
	const rel = path.relative(REPO_ROOT, file);
	if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
	const r = spawnSync('git', ['-C', REPO_ROOT, 'check-ignore', '-q', '--no-index', rel], {
		stdio: 'ignore',
	});
	if (r.status === 1)
		return `${rel} is inside the repository and not git-ignored; refusing to write a refresh token there (add it to .gitignore or use another VISMA_LIVE_FILE)`;
	return undefined;
}

module.exports = {
	ACR_VALUES,
	BASE_SCOPES,
	DEFAULT_LIVE_FILE,
	FINDINGS_DIR,
	REPO_ROOT,
	SKIP_LINE,
	displayPath,
	VISMA_API_URL,
	VISMA_IDENTITY_URL,
	hosts,
	liveFilePath,
	liveSettings,
	readLiveFile,
	saveRefreshToken,
	tokenHash,
	unignoredInRepo,
	writeLiveFile,
};

#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run live:connect [-- --redirect-uri <uri>] [-- --paste]
 *
 * Gets the first refresh token for `npm run test:live` with Visma's OAuth2 authorization-code
 * flow. Visma registers redirect URIs per client, through support, and the authorize step is
 * refused unless the redirect URI matches one exactly; sandbox clients often come with
 * https://localhost:44300/callback. So the redirect URI is the client's: VISMA_REDIRECT_URI or
 * --redirect-uri, default https://localhost:44300/callback.
 *
 * 1. It prints the authorize URL to open in a browser (log in, pick the sandbox company).
 * 2. Visma sends the browser to the redirect URI with a code. Two ways to get it here:
 *    - listening: when the redirect URI is plain http on this machine (localhost, 127.0.0.1,
 *      [::1]) and its port is free, a small server on it receives the code;
 *    - pasting: otherwise (https, a port in use, a browser on another machine), the browser
 *      shows an error page at the redirect URI; copy the address from its address bar and paste
 *      it here. While listening, pasting works too.
 * 3. It checks `state`, exchanges the code (HTTP Basic client authentication, the same
 *    redirect_uri) and writes the refresh token to the live file (VISMA_LIVE_FILE, default
 *    .live/visma-sandbox.json, git-ignored).
 *
 * Needs VISMA_CLIENT_ID and VISMA_CLIENT_SECRET. Optional: VISMA_REDIRECT_URI, VISMA_EXTRA_SCOPES
 * (space-separated), VISMA_PROMPT (e.g. login; Visma's sandbox refuses select_account),
 * VISMA_IDENTITY_URL, VISMA_API_URL, VISMA_CONNECT_TIMEOUT (seconds, default 600).
 */

const http = require('http');
const readline = require('readline');
const { randomBytes, timingSafeEqual } = require('crypto');

const {
	BASE_SCOPES,
	displayPath,
	hosts,
	liveFilePath,
	saveRefreshToken,
	unignoredInRepo,
} = require('./config');
const { authorizeUrl, tokenRequest } = require('./oauth');

/** What Visma support commonly registers for sandbox clients. */
const DEFAULT_REDIRECT_URI = 'https://localhost:44300/callback';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The redirect URI to use: --redirect-uri, else VISMA_REDIRECT_URI, else the default.
 * @param {Record<string, string | undefined>} env
 * @param {string[]} argv
 * @returns {{ uri: string } | { error: string }}
 */
function redirectUriOf(env, argv) {
	if ((env.VISMA_CONNECT_PORT ?? '').trim())
		return {
			error: `VISMA_CONNECT_PORT is no longer used: set the redirect URI registered on your Visma client instead, e.g. VISMA_REDIRECT_URI=http://localhost:${env.VISMA_CONNECT_PORT}/callback`,
		};
	const flag = argv.findIndex((a) => a === '--redirect-uri' || a.startsWith('--redirect-uri='));
	const raw =
		flag < 0
			? (env.VISMA_REDIRECT_URI ?? '').trim() || DEFAULT_REDIRECT_URI
			: argv[flag].includes('=')
				? argv[flag].slice(argv[flag].indexOf('=') + 1)
				: (argv[flag + 1] ?? '');
	let url;
	try {
		url = new URL(raw);
	} catch {
		return { error: `the redirect URI "${raw}" is not an absolute URL` };
	}
	if (!/^https?:$/.test(url.protocol) || url.hash || url.username || url.password)
		return {
			error: `the redirect URI "${raw}" must be an http(s) URL without user name, password or #fragment`,
		};
	return { uri: raw };
}

/**
 * Whether this script can receive the browser's redirect itself, or why not.
 * @param {string} redirectUri
 * @returns {{ host: string, port: number, path: string } | { reason: string }}
 */
function listenerFor(redirectUri) {
	const url = new URL(redirectUri);
	if (url.protocol === 'https:')
		return { reason: 'the redirect URI is https, and this script has no certificate for it' };
	if (!LOCAL_HOSTS.has(url.hostname))
		return { reason: `${url.hostname} is not this machine's loopback address` };
	const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
	return { host, port: Number(url.port || 80), path: url.pathname };
}

/**
 * The code from where Visma sent the browser: the whole address, or just its `?code=...&state=...`.
 * A callback whose state is not this run's is refused before anything in it is believed.
 * @param {string} pasted
 * @param {string} state the state this run sent
 * @returns {{ code: string } | { error: string, wrongState?: boolean }}
 */
function codeFromCallback(pasted, state) {
	const text = pasted.trim();
	if (!text) return { error: 'nothing was pasted' };
	let params;
	try {
		params = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
			? new URL(text).searchParams
			: new URLSearchParams(text.replace(/^[^?]*\?/, ''));
	} catch {
		return { error: 'that is not a URL' };
	}
	const got = Buffer.from(params.get('state') ?? '');
	const want = Buffer.from(state);
	if (got.length !== want.length || !timingSafeEqual(got, want))
		return {
			error:
				'the state in that address does not match this login; open the authorize URL printed by this run and paste where it sent you',
			wrongState: true,
		};
	const error = params.get('error');
	if (error) {
		const description = params.get('error_description');
		return { error: `Visma refused the login: ${error}${description ? `: ${description}` : ''}` };
	}
	const code = params.get('code');
	if (!code)
		return { error: 'that address carries no code; paste the one the browser was sent to' };
	return { code };
}

/**
 * @param {string} title
 * @param {string} text
 */
const page = (title, text) =>
	`<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/** @param {string} s */
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * @param {string} apiUrl
 * @param {string} accessToken
 * @returns {Promise<string>}
 */
async function companyName(apiUrl, accessToken) {
	try {
		const r = await fetch(`${apiUrl}/v2/companysettings`, {
			headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
			signal: AbortSignal.timeout(30_000),
		});
		const text = await r.text();
		const body = (() => {
			try {
				return JSON.parse(text);
			} catch {
				return undefined;
			}
		})();
		if (r.ok) return `connected to company "${body?.Name}" (${body?.CountryCode ?? '?'})`;
		const why = body?.DeveloperErrorMessage
			? `ErrorCode ${body.ErrorCode}: ${body.DeveloperErrorMessage}`
			: text.slice(0, 200);
		return `WARNING: GET /v2/companysettings answered ${r.status} ${why} (is the API integration activated in the company?)`;
	} catch (error) {
		return `WARNING: could not read the company settings: ${error instanceof Error ? error.message : String(error)}`;
	}
}

/**
 * Listens on the redirect URI's port for the browser; resolves with the callback's query, or
 * with why it cannot listen.
 * @param {{ host: string, port: number, path: string }} at
 * @param {string} state
 * @param {(pasted: string) => void} onCallback
 * @returns {Promise<{ close: () => Promise<void>, reply: (status: number, title: string, text: string) => void } | { reason: string }>}
 */
async function listen(at, state, onCallback) {
	/** @type {import('http').ServerResponse | undefined} */
	let pending;
	const server = http.createServer((req, res) => {
		const u = new URL(req.url ?? '/', `http://localhost:${at.port}`);
		const send = (
			/** @type {number} */ status,
			/** @type {string} */ title,
			/** @type {string} */ text,
		) => {
			res.writeHead(status, {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-store',
			});
			res.end(page(title, text));
		};
		if (req.method !== 'GET' || u.pathname !== at.path)
			return send(404, 'Not found', `This server only answers ${escapeHtml(at.path)}.`);
		const checked = codeFromCallback(u.search, state);
		if ('wrongState' in checked) {
			process.stderr.write('live:connect: a callback with a wrong or missing state was ignored\n');
			return send(400, 'Wrong state', escapeHtml(checked.error));
		}
		if (pending)
			return send(
				409,
				'Already received',
				'This run already received a code; you can close this tab.',
			);
		pending = res;
		onCallback(u.search);
	});
	const ok = await new Promise((resolve) => {
		server.once('error', (/** @type {NodeJS.ErrnoException} */ e) => resolve(e.code ?? e.message));
		server.listen(at.port, at.host, () => resolve(true));
	});
	if (ok !== true)
		return {
			reason: `cannot listen on ${at.host}:${at.port} (${String(ok)}${ok === 'EADDRINUSE' ? ': the port is in use' : ''})`,
		};
	return {
		reply(status, title, text) {
			if (!pending) return;
			pending.writeHead(status, {
				'Content-Type': 'text/html; charset=utf-8',
				'Cache-Control': 'no-store',
			});
			pending.end(page(title, text));
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				setTimeout(() => server.closeAllConnections?.(), 1000).unref();
			}),
	};
}

/**
 * The whole flow. Returns the exit code.
 * @param {{ env: Record<string, string | undefined>, argv: string[], out: (line: string) => void, err: (line: string) => void, lines: AsyncIterable<string> | null }} io
 * @returns {Promise<number>}
 */
async function connect({ env, argv, out, err, lines }) {
	const fail = (/** @type {string} */ message) => {
		err(`live:connect: ${message}`);
		return 1;
	};
	const clientId = (env.VISMA_CLIENT_ID ?? '').trim();
	const clientSecret = (env.VISMA_CLIENT_SECRET ?? '').trim();
	if (!clientId || !clientSecret)
		return fail(
			'set VISMA_CLIENT_ID and VISMA_CLIENT_SECRET (see README "Checking against a real Visma sandbox")',
		);
	const { identity, api } = hosts(env);
	if ('error' in identity) return fail(identity.error);
	if ('error' in api) return fail(api.error);
	const redirect = redirectUriOf(env, argv);
	if ('error' in redirect) return fail(redirect.error);
	const redirectUri = redirect.uri;
	const timeoutSeconds = Number(env.VISMA_CONNECT_TIMEOUT ?? 600);
	const liveFile = liveFilePath(env);
	const refused = unignoredInRepo(liveFile);
	if (refused) return fail(refused);

	const scopes = [
		...new Set([...BASE_SCOPES, ...(env.VISMA_EXTRA_SCOPES ?? '').split(/[\s,]+/).filter(Boolean)]),
	];
	const state = randomBytes(24).toString('base64url');
	const url = authorizeUrl({
		identityUrl: identity.url,
		clientId,
		redirectUri,
		scopes,
		state,
		prompt: (env.VISMA_PROMPT ?? '').trim() || undefined,
	});

	/** @type {(query: string) => void} */
	let received = () => {};
	const callback = new Promise((resolve) => (received = resolve));

	// Listen where we can; paste always works.
	const at = argv.includes('--paste') ? { reason: 'asked to (--paste)' } : listenerFor(redirectUri);
	const listener = 'reason' in at ? at : await listen(at, state, received);
	out(
		`live:connect: redirect URI ${redirectUri} (it must be registered on the Visma client exactly)`,
	);
	out('live:connect: open this URL in a browser, log in and pick the sandbox company:');
	out(url);
	if ('reason' in listener) {
		out(`live:connect: not listening for the browser: ${listener.reason}.`);
		out(
			`live:connect: after the login the browser goes to ${redirectUri}?code=... and may show an error page; that is expected.`,
		);
		out('live:connect: copy the whole address from its address bar and paste it here:');
	} else {
		out(
			`live:connect: waiting for the browser on ${redirectUri}; or, if the browser runs on another machine, paste the address it was sent to here:`,
		);
	}

	// Pasted lines: each is checked; a wrong one is explained and another one awaited. Without a
	// listener, the end of the input ends the wait.
	void (async () => {
		if (lines) {
			for await (const line of lines) {
				if (!line.trim()) continue;
				const checked = codeFromCallback(line, state);
				if ('error' in checked) err(`live:connect: ${checked.error}; paste again`);
				else return received(line.trim());
			}
		}
		if ('reason' in listener) received('');
	})();

	/** @type {ReturnType<typeof setTimeout> | undefined} */
	let timer;
	const timedOut = new Promise((resolve) => {
		timer = setTimeout(() => resolve(null), timeoutSeconds * 1000);
	});
	const query = /** @type {string | null} */ (await Promise.race([callback, timedOut]));
	clearTimeout(timer);
	const reply = (
		/** @type {number} */ status,
		/** @type {string} */ title,
		/** @type {string} */ text,
	) => 'reply' in listener && listener.reply(status, title, text);
	const finish = async (/** @type {number} */ code) => {
		if ('close' in listener) await listener.close();
		return code;
	};
	if (query === null)
		return await finish(fail(`no callback within ${timeoutSeconds} s; giving up`));
	if (!query) return await finish(fail('the input ended before an address was pasted'));

	const checked = codeFromCallback(query, state);
	if ('error' in checked) {
		reply(400, 'Not connected', escapeHtml(checked.error));
		return await finish(fail(checked.error));
	}
	try {
		const tokens = await tokenRequest(
			{ identityUrl: identity.url, clientId, clientSecret },
			{ grant_type: 'authorization_code', code: checked.code, redirect_uri: redirectUri },
		);
		if (!tokens.refresh_token) {
			reply(
				500,
				'No refresh token',
				'Visma returned no refresh token; is offline_access allowed for this client?',
			);
			return await finish(
				fail('the token answer had no refresh_token (offline_access not granted?)'),
			);
		}
		saveRefreshToken(liveFile, {
			refreshToken: tokens.refresh_token,
			clientId,
			identityUrl: identity.url,
			apiUrl: api.url,
			scope: tokens.scope ?? scopes.join(' '),
		});
		reply(
			200,
			'Connected',
			'The refresh token is saved. You can close this tab and run <code>npm run test:live</code>.',
		);
		out(
			`live:connect: refresh token saved to ${displayPath(liveFile)} (scope "${tokens.scope ?? scopes.join(' ')}")`,
		);
		// Which company the login picked (the access token only: no refresh, nothing rotates).
		out(
			`live:connect: ${await companyName(api.url, tokens.access_token)}; now run npm run test:live`,
		);
		return await finish(0);
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		reply(502, 'Code exchange failed', escapeHtml(message));
		return await finish(fail(message));
	}
}

async function main() {
	const rl = readline.createInterface({ input: process.stdin, terminal: false });
	const onSignal = () => process.exit(130);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const code = await connect({
		env: process.env,
		argv: process.argv.slice(2),
		out: (line) => process.stdout.write(`${line}\n`),
		err: (line) => process.stderr.write(`${line}\n`),
		lines: rl,
	});
	rl.close();
	process.stdin.destroy();
	process.exitCode = code;
}

if (require.main === module)
	main().catch((error) => {
		process.stderr.write(
			`live:connect: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exitCode = 1;
	});

module.exports = { DEFAULT_REDIRECT_URI, codeFromCallback, connect, listenerFor, redirectUriOf };

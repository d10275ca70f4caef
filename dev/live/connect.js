#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run live:connect — gets the first refresh token for `npm run test:live` with Visma's
 * OAuth2 authorization-code flow, on this machine:
 *
 * 1. starts an HTTP server on 127.0.0.1:<VISMA_CONNECT_PORT, default 8787>;
 * 2. prints the authorize URL (redirect URI http://localhost:<port>/callback, which must be
 *    registered on the Visma client) for you to open in a browser and log in;
 * 3. checks `state` on the callback, exchanges the code (HTTP Basic client authentication) and
 *    writes the refresh token to the live file (VISMA_LIVE_FILE, default .live/visma-sandbox.json).
 *
 * Needs VISMA_CLIENT_ID and VISMA_CLIENT_SECRET. Optional: VISMA_EXTRA_SCOPES (space-separated),
 * VISMA_PROMPT (e.g. login; Visma's sandbox refuses select_account), VISMA_IDENTITY_URL,
 * VISMA_API_URL, VISMA_CONNECT_TIMEOUT (seconds, default 600).
 */

const http = require('http');
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

/** @param {string} message */
function fail(message) {
	process.stderr.write(`live:connect: ${message}\n`);
	process.exit(1);
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

async function main() {
	const env = process.env;
	const clientId = (env.VISMA_CLIENT_ID ?? '').trim();
	const clientSecret = (env.VISMA_CLIENT_SECRET ?? '').trim();
	if (!clientId || !clientSecret)
		fail(
			'set VISMA_CLIENT_ID and VISMA_CLIENT_SECRET (see README "Checking against a real Visma sandbox")',
		);
	const { identity, api } = hosts(env);
	if ('error' in identity) return fail(identity.error);
	if ('error' in api) return fail(api.error);
	const port = Number(env.VISMA_CONNECT_PORT ?? 8787);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		return fail(`VISMA_CONNECT_PORT "${env.VISMA_CONNECT_PORT}" is not a port number`);
	const timeoutSeconds = Number(env.VISMA_CONNECT_TIMEOUT ?? 600);
	const liveFile = liveFilePath(env);
	const refused = unignoredInRepo(liveFile);
	if (refused) return fail(refused);

	const redirectUri = `http://localhost:${port}/callback`;
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
	const client = { identityUrl: identity.url, clientId, clientSecret };

	let done = false;
	/** @type {(code: number) => void} */
	let finish = () => {};
	const finished = new Promise((resolve) => {
		finish = resolve;
	});

	const server = http.createServer((req, res) => {
		const reply = (
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
		const u = new URL(req.url ?? '/', `http://localhost:${port}`);
		if (req.method !== 'GET' || u.pathname !== '/callback')
			return reply(404, 'Not found', 'This server only answers /callback.');
		if (done)
			return reply(
				409,
				'Already connected',
				'This run already received a code; you can close this tab.',
			);
		const got = Buffer.from(u.searchParams.get('state') ?? '');
		const want = Buffer.from(state);
		if (got.length !== want.length || !timingSafeEqual(got, want)) {
			process.stderr.write('live:connect: a callback with a wrong or missing state was ignored\n');
			return reply(
				400,
				'Wrong state',
				'The state parameter does not match this login. Use the URL printed by npm run live:connect.',
			);
		}
		done = true;
		const error = u.searchParams.get('error');
		if (error) {
			const description = u.searchParams.get('error_description') ?? '';
			reply(
				400,
				'Visma refused the login',
				escapeHtml(`${error}${description ? `: ${description}` : ''}`),
			);
			process.stderr.write(
				`live:connect: the identity server answered ${error}${description ? `: ${description}` : ''}\n`,
			);
			return finish(1);
		}
		const code = u.searchParams.get('code');
		if (!code) {
			reply(400, 'No code', 'The callback carried no authorization code.');
			process.stderr.write('live:connect: the callback carried no code\n');
			return finish(1);
		}
		tokenRequest(client, {
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
		}).then(
			(tokens) => {
				if (!tokens.refresh_token) {
					reply(
						500,
						'No refresh token',
						'Visma returned no refresh token; is offline_access allowed for this client?',
					);
					process.stderr.write(
						'live:connect: the token answer had no refresh_token (offline_access not granted?)\n',
					);
					return finish(1);
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
				process.stdout.write(
					`live:connect: refresh token saved to ${displayPath(liveFile)} (scope "${tokens.scope ?? scopes.join(' ')}")\n`,
				);
				// Which company the login picked (the access token only: no refresh, nothing rotates).
				return companyName(api.url, tokens.access_token).then((line) => {
					process.stdout.write(`live:connect: ${line}; now run npm run test:live\n`);
					finish(0);
				});
			},
			(e) => {
				reply(502, 'Code exchange failed', escapeHtml(e instanceof Error ? e.message : String(e)));
				process.stderr.write(`live:connect: ${e instanceof Error ? e.message : String(e)}\n`);
				finish(1);
			},
		);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(undefined));
	}).catch((e) =>
		fail(
			`cannot listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)} (set VISMA_CONNECT_PORT)`,
		),
	);

	process.stdout.write(
		[
			`live:connect: waiting on ${redirectUri} (this redirect URI must be registered on the Visma client)`,
			'live:connect: open this URL in a browser, log in and pick the sandbox company:',
			url,
			'',
		].join('\n'),
	);
	const timer = setTimeout(() => {
		process.stderr.write(`live:connect: no callback within ${timeoutSeconds} s; giving up\n`);
		finish(1);
	}, timeoutSeconds * 1000);
	const onSignal = () => finish(130);
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	const exitCode = /** @type {number} */ (await finished);
	clearTimeout(timer);
	const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
	setTimeout(() => server.closeAllConnections?.(), 1000).unref();
	await closed;
	process.exitCode = exitCode;
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));

// @ts-check
'use strict';

/**
 * Visma's identity server, as the live scripts use it: the authorize URL, the code exchange and
 * refreshes (HTTP Basic client authentication, form body), and a session that refreshes once at a
 * time and stores every rotated refresh token before it does anything else.
 */

const { ACR_VALUES, saveRefreshToken } = require('./config');

/**
 * @typedef {object} TokenResponse
 * @property {string} access_token
 * @property {string} [refresh_token]
 * @property {string} [token_type]
 * @property {number} [expires_in]
 * @property {string} [scope]
 */

class OAuthError extends Error {
	/**
	 * @param {string} message
	 * @param {number} status
	 * @param {unknown} body
	 */
	constructor(message, status, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

/**
 * @param {{ identityUrl: string, clientId: string, redirectUri: string, scopes: string[], state: string, prompt?: string }} o
 */
function authorizeUrl(o) {
	const url = new URL(`${o.identityUrl}/connect/authorize`);
	url.searchParams.set('client_id', o.clientId);
	url.searchParams.set('redirect_uri', o.redirectUri);
	url.searchParams.set('scope', o.scopes.join(' '));
	url.searchParams.set('state', o.state);
	url.searchParams.set('response_type', 'code');
	// Visma's sandbox refuses prompt=select_account, so it is only sent when asked for.
	if (o.prompt) url.searchParams.set('prompt', o.prompt);
	url.searchParams.set('acr_values', ACR_VALUES);
	return url.toString().replace(/\+/g, '%20');
}

/**
 * POST /connect/token with HTTP Basic client authentication, as Visma documents and n8n does.
 * @param {{ identityUrl: string, clientId: string, clientSecret: string }} client
 * @param {Record<string, string>} form
 * @returns {Promise<TokenResponse>}
 */
async function tokenRequest(client, form) {
	const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
	const tokenUrl = `${client.identityUrl}/connect/token`;
	const response = await fetch(tokenUrl, {
		method: 'POST',
		headers: {
			Authorization: `Basic ${basic}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: new URLSearchParams(form).toString(),
		signal: AbortSignal.timeout(60_000),
	}).catch((/** @type {any} */ error) => {
		const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? String(error);
		throw new OAuthError(`Cannot reach ${tokenUrl}: ${cause}`, 0, undefined);
	});
	const text = await response.text();
	let body;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = text.slice(0, 300);
	}
	if (!response.ok || !body || typeof body.access_token !== 'string') {
		const error =
			body && typeof body === 'object'
				? `${body.error ?? ''}${body.error_description ? `: ${body.error_description}` : ''}`
				: String(body ?? '');
		const advice =
			body?.error === 'invalid_grant' && form.grant_type === 'refresh_token'
				? ' The refresh token was already used, revoked or expired: run npm run live:connect again.'
				: '';
		throw new OAuthError(
			`The identity server refused the ${form.grant_type} request (HTTP ${response.status} ${error || 'no body'}).${advice}`,
			response.status,
			body,
		);
	}
	return body;
}

/**
 * Holds the tokens of one live run. A refresh rotates the refresh token; the new one is written
 * to the live file at once, because the old one no longer works.
 */
class Session {
	/**
	 * @param {import('./config').Settings} settings
	 */
	constructor(settings) {
		this.settings = settings;
		/** @type {{ access_token: string, refresh_token: string, token_type: string, expires_in?: number }} */
		this.tokens = { access_token: '', refresh_token: settings.refreshToken, token_type: 'Bearer' };
		/** @type {Array<{ by: string, rotated: boolean, refreshTokenReturned: boolean, expiresIn?: number, scope?: string, tokenType?: string }>} */
		this.refreshes = [];
		/** @type {Promise<void> | undefined} */
		this.inFlight = undefined;
	}

	/**
	 * Refreshes once, however many callers ask at the same time.
	 * @param {string} [by] who needed it (for the findings)
	 */
	async refresh(by = 'probes') {
		if (!this.inFlight) {
			this.inFlight = this.doRefresh(by).finally(() => {
				this.inFlight = undefined;
			});
		}
		await this.inFlight;
	}

	/** @param {string} by */
	async doRefresh(by) {
		const s = this.settings;
		const old = this.tokens.refresh_token;
		const body = await tokenRequest(s, { grant_type: 'refresh_token', refresh_token: old });
		const next =
			typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : old;
		if (next !== old || s.refreshTokenSource === 'env') {
			// Before anything else: the old token is dead now, only the file knows the new one.
			saveRefreshToken(s.liveFile, {
				refreshToken: next,
				replaces: old,
				clientId: s.clientId,
				identityUrl: s.identityUrl,
				apiUrl: s.apiUrl,
				scope: body.scope,
			});
		}
		this.refreshes.push({
			by,
			rotated: next !== old,
			refreshTokenReturned: typeof body.refresh_token === 'string' && body.refresh_token !== '',
			expiresIn: body.expires_in,
			scope: body.scope,
			tokenType: body.token_type,
		});
		this.tokens = {
			access_token: body.access_token,
			refresh_token: next,
			token_type: body.token_type ?? 'Bearer',
			expires_in: body.expires_in,
		};
	}
}

module.exports = { OAuthError, Session, authorizeUrl, tokenRequest };

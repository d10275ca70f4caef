// @ts-check
'use strict';

const { randomBytes } = require('crypto');

/** @typedef {import('./clock').SimClock} SimClock */

const KNOWN_SCOPES = new Set([
	'ea:api',
	'offline_access',
	'ea:sales',
	'ea:sales_readonly',
	'ea:accounting',
	'ea:accounting_readonly',
	'ea:purchase',
	'ea:purchase_readonly',
	'vls:api',
]);
const DEFAULT_SCOPES = ['ea:api', 'offline_access', 'ea:sales'];
const CODE_TTL_MS = 5 * 60 * 1000;

/**
 * @typedef {object} TokenPair
 * @property {string} access_token
 * @property {string | undefined} refresh_token only when offline_access was granted
 * @property {'Bearer'} token_type
 * @property {number} expires_in seconds
 * @property {string} scope space-separated granted scopes
 */

/**
 * @typedef {object} OAuthResult
 * @property {number} status
 * @property {any} [body]
 * @property {Record<string, string>} [headers]
 * @property {string} [grantType] set on a successful token grant
 * @property {Record<string, string>} [logBody] form fields safe to log (secrets redacted)
 */

/**
 * @typedef {{ ok: true, clientId: string, scopes: string[], companyId: string } | { ok: false, reason: string }} AuthResult
 */

const token = () => randomBytes(32).toString('base64url');

/** @param {unknown} value */
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * @param {string} s
 */
function formDecode(s) {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		return s;
	}
}

/**
 * Identity server: authorization-code flow with Basic client auth, rotating refresh tokens and
 * access tokens whose expiry follows the simulator clock. Access tokens are JWT-shaped like
 * Visma's (`customer_id` names the company chosen at login; the signature is not a real one),
 * or opaque strings when `getTokenFormat()` says so. A login picks `getCompanyId()`; a refresh
 * keeps the company of the login.
 * @param {{ clock: SimClock, clientId: string, clientSecret: string, getRedirectUris: () => string[] | null, getTtlSeconds: () => number, getCompanyId: () => string, getTokenFormat: () => 'jwt' | 'opaque', getIssuer: () => string }} opts
 */
function createOAuth(opts) {
	/** @type {Map<string, { clientId: string, redirectUri: string, scopes: string[], expiresAt: number, companyId: string }>} */
	const codes = new Map();
	/** @type {Map<string, { clientId: string, scopes: string[], expiresAt: number, companyId: string }>} */
	const accessTokens = new Map();
	/** @type {Map<string, { clientId: string, scopes: string[], companyId: string }>} */
	const refreshTokens = new Map();

	/**
	 * An access token: a JWT with Visma's claims (DOC-AUTH's sample), or an opaque string.
	 * @param {string} clientId
	 * @param {string[]} scopes
	 * @param {string} companyId
	 * @param {number} expiresAt epoch ms on the simulator clock
	 */
	function accessToken(clientId, scopes, companyId, expiresAt) {
		if (opts.getTokenFormat() === 'opaque') return token();
		const issuer = opts.getIssuer();
		const now = Math.floor(opts.clock.nowMs() / 1000);
		const claims = {
			iss: issuer,
			aud: `${issuer}/resources`,
			client_id: clientId,
			scope: scopes,
			sub: 'a6b1c1c4-0000-4000-8000-00000000000a',
			customer_id: companyId,
			email: 'user@example.com',
			nbf: now,
			iat: now,
			exp: Math.floor(expiresAt / 1000),
			jti: token(),
		};
		return `${base64url({ alg: 'RS256', typ: 'JWT', kid: 'simulator' })}.${base64url(claims)}.${token()}`;
	}

	/**
	 * @param {string} clientId
	 * @param {string[]} scopes
	 * @param {string} companyId
	 * @returns {TokenPair}
	 */
	function issue(clientId, scopes, companyId) {
		const ttl = opts.getTtlSeconds();
		const expiresAt = opts.clock.nowMs() + ttl * 1000;
		const access = accessToken(clientId, scopes, companyId, expiresAt);
		accessTokens.set(access, { clientId, scopes, expiresAt, companyId });
		let refresh;
		if (scopes.includes('offline_access')) {
			refresh = token();
			refreshTokens.set(refresh, { clientId, scopes, companyId });
		}
		return {
			access_token: access,
			refresh_token: refresh,
			token_type: 'Bearer',
			expires_in: ttl,
			scope: scopes.join(' '),
		};
	}

	/**
	 * @param {string} redirectUri
	 * @param {Record<string, string>} params
	 * @returns {OAuthResult}
	 */
	function redirect(redirectUri, params) {
		const url = new URL(redirectUri);
		for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
		return { status: 302, headers: { Location: url.toString() } };
	}

	/**
	 * GET /connect/authorize — the user "consents" immediately and is sent back with a code.
	 * @param {URLSearchParams} q
	 * @returns {OAuthResult}
	 */
	function authorize(q) {
		const clientId = q.get('client_id');
		const redirectUri = q.get('redirect_uri');
		const state = q.get('state');
		if (clientId !== opts.clientId)
			return {
				status: 400,
				body: {
					error: 'unauthorized_client',
					error_description: `Unknown client_id '${clientId ?? ''}'.`,
				},
			};
		let valid = false;
		try {
			valid = !!redirectUri && /^https?:$/.test(new URL(redirectUri).protocol);
		} catch {
			valid = false;
		}
		if (!valid || !redirectUri)
			return {
				status: 400,
				body: {
					error: 'invalid_request',
					error_description: 'redirect_uri is missing or not an absolute http(s) URL.',
				},
			};
		const registered = opts.getRedirectUris();
		if (registered && !registered.includes(redirectUri)) {
			return {
				status: 400,
				body: {
					error: 'invalid_request',
					error_description: `redirect_uri '${redirectUri}' is not registered for this client.`,
				},
			};
		}
		/** @type {Record<string, string>} */
		const extra = state !== null ? { state } : {};
		if (q.get('response_type') !== 'code') {
			return redirect(redirectUri, {
				error: 'unsupported_response_type',
				error_description: 'Only response_type=code is supported.',
				...extra,
			});
		}
		const scopes = (q.get('scope') ?? '').split(/[ +]+/).filter(Boolean);
		const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
		if (!scopes.includes('ea:api') || unknown.length) {
			const why = unknown.length
				? `Unknown scope(s): ${unknown.join(' ')}.`
				: 'The scope must include ea:api.';
			return redirect(redirectUri, { error: 'invalid_scope', error_description: why, ...extra });
		}
		const code = token();
		codes.set(code, {
			clientId,
			redirectUri,
			scopes,
			expiresAt: opts.clock.nowMs() + CODE_TTL_MS,
			companyId: opts.getCompanyId(),
		});
		return redirect(redirectUri, { code, scope: scopes.join(' '), ...extra });
	}

	/**
	 * Client authentication: only HTTP Basic (client_secret_basic).
	 * @param {string | undefined} header
	 * @param {URLSearchParams} form
	 * @returns {string | null} error description, or null when authenticated
	 */
	function clientAuthError(header, form) {
		const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
		if (!m) {
			return form.has('client_secret') || form.has('client_id')
				? 'Client credentials in the request body are not accepted; use HTTP Basic authentication.'
				: 'Missing HTTP Basic client authentication.';
		}
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const i = decoded.indexOf(':');
		if (i < 0) return 'Malformed Basic credentials.';
		const id = formDecode(decoded.slice(0, i));
		const secret = formDecode(decoded.slice(i + 1));
		if (id !== opts.clientId || secret !== opts.clientSecret) return 'Invalid client credentials.';
		return null;
	}

	/**
	 * @param {string | undefined} contentType
	 */
	function isForm(contentType) {
		return (
			(contentType ?? '').split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded'
		);
	}

	/**
	 * @param {URLSearchParams} form
	 * @returns {Record<string, string>}
	 */
	function redactForm(form) {
		/** @type {Record<string, string>} */
		const out = {};
		for (const [k, v] of form)
			out[k] = ['code', 'refresh_token', 'client_secret', 'token', 'code_verifier'].includes(k)
				? '[redacted]'
				: v;
		return out;
	}

	/**
	 * POST /connect/token
	 * @param {{ authorization?: string, contentType?: string, rawBody: Buffer }} req
	 * @returns {OAuthResult}
	 */
	function tokenEndpoint(req) {
		if (!isForm(req.contentType)) {
			return {
				status: 400,
				body: {
					error: 'invalid_request',
					error_description: 'The token request must be application/x-www-form-urlencoded.',
				},
			};
		}
		const form = new URLSearchParams(req.rawBody.toString('utf8'));
		const logBody = redactForm(form);
		const authError = clientAuthError(req.authorization, form);
		if (authError) {
			return {
				status: 401,
				body: { error: 'invalid_client', error_description: authError },
				headers: { 'WWW-Authenticate': 'Basic realm="identity"' },
				logBody,
			};
		}
		const grantType = form.get('grant_type');
		/** @param {string} description */
		const invalidGrant = (description) => ({
			status: 400,
			body: { error: 'invalid_grant', error_description: description },
			logBody,
		});
		if (grantType === 'authorization_code') {
			const code = form.get('code') ?? '';
			const entry = codes.get(code);
			codes.delete(code); // single use, also after a failed attempt
			if (!entry) return invalidGrant('The authorization code is invalid or was already used.');
			if (entry.expiresAt <= opts.clock.nowMs())
				return invalidGrant('The authorization code has expired.');
			if (entry.clientId !== opts.clientId)
				return invalidGrant('The authorization code was issued to another client.');
			if (form.get('redirect_uri') !== entry.redirectUri)
				return invalidGrant(
					'redirect_uri does not match the one used in the authorization request.',
				);
			return {
				status: 200,
				body: issue(entry.clientId, entry.scopes, entry.companyId),
				headers: { 'Cache-Control': 'no-store' },
				grantType,
				logBody,
			};
		}
		if (grantType === 'refresh_token') {
			const old = form.get('refresh_token') ?? '';
			const entry = refreshTokens.get(old);
			if (!entry || entry.clientId !== opts.clientId)
				return invalidGrant('The refresh token is invalid, expired or was already used.');
			let scopes = entry.scopes;
			const requested = form.get('scope');
			if (requested) {
				const list = requested.split(/[ +]+/).filter(Boolean);
				if (list.some((s) => !entry.scopes.includes(s)))
					return {
						status: 400,
						body: {
							error: 'invalid_scope',
							error_description: 'Requested scopes exceed the original grant.',
						},
						logBody,
					};
				scopes = list.includes('offline_access') ? list : [...list, 'offline_access'];
			}
			refreshTokens.delete(old); // rotation: the old refresh token dies now
			return {
				status: 200,
				body: issue(entry.clientId, scopes, entry.companyId),
				headers: { 'Cache-Control': 'no-store' },
				grantType,
				logBody,
			};
		}
		return {
			status: 400,
			body: {
				error: 'unsupported_grant_type',
				error_description: `grant_type '${grantType ?? ''}' is not supported.`,
			},
			logBody,
		};
	}

	/**
	 * POST /connect/revocation
	 * @param {{ authorization?: string, contentType?: string, rawBody: Buffer }} req
	 * @returns {OAuthResult}
	 */
	function revocation(req) {
		if (!isForm(req.contentType)) return { status: 400, body: { error: 'invalid_request' } };
		const form = new URLSearchParams(req.rawBody.toString('utf8'));
		const logBody = redactForm(form);
		const authError = clientAuthError(req.authorization, form);
		if (authError)
			return {
				status: 401,
				body: { error: 'invalid_client', error_description: authError },
				logBody,
			};
		const t = form.get('token');
		if (!t)
			return {
				status: 400,
				body: { error: 'invalid_request', error_description: 'token is required.' },
				logBody,
			};
		refreshTokens.delete(t);
		accessTokens.delete(t);
		return { status: 200, logBody };
	}

	/**
	 * Validates `Authorization: Bearer <token>` for /v2.
	 * @param {string | undefined} header
	 * @returns {AuthResult}
	 */
	function authenticate(header) {
		const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
		if (!m)
			return { ok: false, reason: header ? 'not a Bearer token' : 'missing Authorization header' };
		const entry = accessTokens.get(m[1]);
		if (!entry) return { ok: false, reason: 'unknown token' };
		if (entry.expiresAt <= opts.clock.nowMs()) return { ok: false, reason: 'token expired' };
		return { ok: true, clientId: entry.clientId, scopes: entry.scopes, companyId: entry.companyId };
	}

	return {
		authorize,
		token: tokenEndpoint,
		revocation,
		authenticate,
		/**
		 * A valid token pair for seeding credentials, for the company logins pick unless one is named.
		 * @param {string[]} [scopes]
		 * @param {string} [companyId]
		 */
		issueTokens(scopes = DEFAULT_SCOPES, companyId = opts.getCompanyId()) {
			return issue(opts.clientId, [...scopes], companyId);
		},
		/** Every issued access token is now expired (refresh tokens stay valid). */
		expireAccessTokens() {
			for (const t of accessTokens.values()) t.expiresAt = 0;
		},
		reset() {
			codes.clear();
			accessTokens.clear();
			refreshTokens.clear();
		},
	};
}

module.exports = { DEFAULT_SCOPES, KNOWN_SCOPES, createOAuth };

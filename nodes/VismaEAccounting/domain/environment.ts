/** Where the API lives for a credential. Mirrors the expressions in the credential file. */
export const PRODUCTION_API_URL = 'https://eaccountingapi.vismaonline.com';

/**
 * Plain http is allowed only on these hosts. The credential's expressions use the same two
 * patterns. Neither allows a `user:password@` part: the host must run up to the first `/` with
 * no `@` (and no `\`, which browsers and Node read as `/`).
 */
export const LOOPBACK_HTTP = /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/i;
export const HTTPS = /^https:\/\/[^\s/@\\]+(\/|$)/i;

/** A `user:password@` (or `user@`) part before the host. */
const USER_INFO = /^[a-z][a-z0-9+.-]*:\/\/[^/\s]*@/i;

export interface EnvironmentSettings {
	environment?: unknown;
	apiUrl?: unknown;
}

/** The URL without a `user:password@` part, for messages. */
export function withoutUserInfo(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/i, '$1');
}

/** True for https URLs and for plain http on a loopback host. */
export function isAllowedBaseUrl(url: string): boolean {
	return HTTPS.test(url) || LOOPBACK_HTTP.test(url);
}

/** The API base URL (without /v2) for the credential's environment, or why it is refused. */
export function apiBaseUrl(settings: EnvironmentSettings): { url: string } | { refused: string } {
	if (settings.environment !== 'custom') return { url: PRODUCTION_API_URL };
	const url = String(settings.apiUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (USER_INFO.test(url)) {
		return {
			refused: `The credential's API URL "${withoutUserInfo(url)}" contains a user name or password ("user:password@"), which is not allowed: unlike the credential's secret fields, a URL ends up in error messages, logs and stored workflow data. Remove it; a proxy in front of Visma must authenticate its callers another way`,
		};
	}
	if (!isAllowedBaseUrl(url)) {
		return {
			refused: `The credential's API URL "${withoutUserInfo(url)}" is not allowed: use https, or plain http only for localhost`,
		};
	}
	return { url };
}

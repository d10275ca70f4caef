import { createHash } from 'crypto';

import { IdleMap } from './idleMap';

/**
 * Which company a connection reaches. One credential reaches one company at a time, but the
 * user can connect it again to another one; everything shared or stored per connection (trigger
 * state, locks, learned limits, coalesced look-ups, rate gates) is keyed by the company too, so
 * nothing learned or stored for one company is used for another.
 *
 * Visma's access tokens are JWTs whose `customer_id` claim names the company chosen at login.
 * Where a token carries no such claim (an opaque token, a proxy), the company settings say it,
 * read once per token.
 */

/** A short hex SHA-256: identities in stored state and keys, never the values they come from. */
export function hashOf(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The claims of a JWT (unverified: the token comes from the credential store), or undefined. */
export function jwtClaims(token: unknown): Record<string, unknown> | undefined {
	if (typeof token !== 'string') return undefined;
	const parts = token.split('.');
	if (parts.length !== 3 || !parts[1]) return undefined;
	try {
		const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		return claims && typeof claims === 'object' && !Array.isArray(claims)
			? (claims as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** The company a token was issued for: its `customer_id` claim, or undefined. */
export function companyClaim(token: unknown): string | undefined {
	const id = jwtClaims(token)?.customer_id;
	return typeof id === 'string' && id.trim() ? id.trim().toLowerCase() : undefined;
}

/** What names the company in its settings: `CompanyIdentifier`, else organisation number and country. */
export function companyOfSettings(settings: Record<string, unknown>): string {
	const id = settings.CompanyIdentifier;
	if (typeof id === 'string' && id.trim()) return id.trim().toLowerCase();
	const number = settings.CorporateIdentityNumber;
	if (typeof number === 'string' && number.trim())
		return `${String(settings.CountryCode ?? '')}:${number.trim()}`;
	// Nothing names it: the connection is the credential alone, as before companies were told apart.
	return 'unknown';
}

/** The key of a connection: API URL, credential and company, hashed (no URL or ID in clear). */
export function connectionScope(baseUrl: string, credentialId: string, company: string): string {
	return hashOf(`${baseUrl}|${credentialId}|${company}`);
}

/** The key of a credential alone (its token refreshes are guarded per credential, see warmup). */
export function credentialScope(baseUrl: string, credentialId: string): string {
	return hashOf(`${baseUrl}|${credentialId}`);
}

/** The access token stored in a credential, if any. */
export function accessTokenOf(credentials: object): unknown {
	return (credentials as { oauthTokenData?: { access_token?: unknown } }).oauthTokenData
		?.access_token;
}

/** Companies learned from company settings, by hashed access token. */
const companyByToken = new IdleMap<string, Promise<string>>('companyByToken');

/**
 * The company `accessToken` reaches: its claim, else what `readSettings` says, read once per
 * token (parallel callers share the read; a failed read is not remembered). A read may have
 * refreshed the token: `tokenAfterRead` gives the new one, which reaches the same company.
 */
export async function companyOf(
	accessToken: unknown,
	readSettings: () => Promise<Record<string, unknown>>,
	tokenAfterRead?: () => Promise<unknown>,
): Promise<string> {
	const claimed = companyClaim(accessToken);
	if (claimed) return claimed;
	// Not connected yet: no company to ask about (and every call fails until it is).
	if (typeof accessToken !== 'string' || !accessToken) return 'unknown';
	const key = hashOf(String(accessToken ?? ''));
	let pending = companyByToken.get(key);
	if (!pending) {
		pending = (async () => {
			const company = companyOfSettings(await readSettings());
			const next = await tokenAfterRead?.().catch(() => undefined);
			if (typeof next === 'string' && next && !companyClaim(next))
				companyByToken.set(hashOf(next), Promise.resolve(company));
			return company;
		})();
		companyByToken.set(key, pending);
		pending.catch(() => companyByToken.delete(key));
	}
	return await pending;
}

/** For tests: forget the companies learned from settings. */
export function resetCompanies(): void {
	companyByToken.clear();
}

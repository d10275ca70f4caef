/** Request targets: query strings, record paths and the limits on their length. */

/** Visma's documented page size is uncertain above 500, so we never ask for more. */
export const MAX_PAGE_SIZE = 500;
/** Longest request target we send; servers in front of Visma commonly stop at 2048. */
export const MAX_REQUEST_TARGET = 2000;

export type QueryValues = Record<string, string | number | boolean | undefined>;

/** Encodes everything but RFC 3986 unreserved characters, so our length budget is exact. */
export function encode(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

export function queryString(qs: QueryValues | undefined): string {
	const parts: string[] = [];
	for (const [key, v] of Object.entries(qs ?? {})) {
		if (v === undefined || v === '') continue;
		parts.push(
			`${key.startsWith('$') ? `$${encode(key.slice(1))}` : encode(key)}=${encode(String(v))}`,
		);
	}
	return parts.length ? `?${parts.join('&')}` : '';
}

/** `/customers/{id}` with the id encoded. */
export function resourcePath(collection: string, id?: string, action?: string): string {
	return ['', collection, id === undefined ? undefined : encode(id), action]
		.filter((p) => p !== undefined)
		.join('/');
}

/** Rate limits are counted per endpoint: the first path segment below /v2. */
export function endpointOf(path: string): string {
	return path.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
}

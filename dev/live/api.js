// @ts-check
'use strict';

/**
 * A plain client for the probes: it sends exactly the request it is given (no pacing, no retry
 * except after a 401 refresh and a 429 wait) and returns the whole answer, status and headers
 * included, so a finding can say what Visma answered. Everything that reaches the API host
 * (the node's round trip too) passes the header recorder installed on global fetch.
 */

/**
 * @typedef {object} Answer
 * @property {string} method
 * @property {string} target request target as sent (path and query, percent-encoded)
 * @property {number} status
 * @property {Record<string, string>} headers lower-case names
 * @property {any} body parsed JSON, or the text
 * @property {number} ms
 */

/** Encodes everything but RFC 3986 unreserved characters, the same way the node does. */
function encode(/** @type {string} */ text) {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/**
 * `?$filter=...&$page=1`, encoded like the node's transport/client.ts.
 * @param {Record<string, string | number | boolean | undefined>} [query]
 */
function queryString(query) {
	const parts = [];
	for (const [key, v] of Object.entries(query ?? {})) {
		if (v === undefined || v === '') continue;
		parts.push(
			`${key.startsWith('$') ? `$${encode(key.slice(1))}` : encode(key)}=${encode(String(v))}`,
		);
	}
	return parts.length ? `?${parts.join('&')}` : '';
}

const INTERESTING_HEADER = /rate|limit|quota|retry|throttl/i;

/** Remembers rate-limit-like headers seen on any answer from the API host, and every 429. */
class HeaderRecorder {
	/** @param {string} apiUrl */
	constructor(apiUrl) {
		this.apiUrl = apiUrl;
		/** @type {Map<string, { example: string, count: number, firstSeenOn: string, on429: boolean }>} */
		this.seen = new Map();
		this.answers = 0;
		/** @type {Array<{ request: string, headers: Record<string, string>, body?: string }>} */
		this.tooManyRequests = [];
	}

	/**
	 * @param {string} url
	 * @param {string} method
	 * @param {Response} response
	 */
	record(url, method, response) {
		if (!url.startsWith(`${this.apiUrl}/v2`)) return;
		this.answers++;
		const on429 = response.status === 429;
		/** @type {Record<string, string>} */
		const all = {};
		response.headers.forEach((value, name) => {
			all[name] = value;
			if (!INTERESTING_HEADER.test(name)) return;
			const key = `${name}${on429 ? ' (on 429)' : ''}`;
			const entry = this.seen.get(key);
			if (entry) entry.count++;
			else
				this.seen.set(key, {
					example: value,
					count: 1,
					firstSeenOn: `${method} ${new URL(url).pathname}`,
					on429,
				});
		});
		if (on429) {
			/** @type {{ request: string, headers: Record<string, string>, body?: string }} */
			const entry = { request: `${method} ${url.slice(this.apiUrl.length)}`, headers: all };
			this.tooManyRequests.push(entry);
			response
				.clone()
				.text()
				.then(
					(text) => (entry.body = text.slice(0, 500)),
					() => undefined,
				);
		}
	}

	/** Wraps global fetch so every answer from the API host passes `record`. */
	install() {
		const original = globalThis.fetch;
		const recorder = this;
		globalThis.fetch = async function recordingFetch(input, init) {
			const response = await original(input, init);
			const url =
				typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
			recorder.record(url, init?.method ?? 'GET', response);
			return response;
		};
		return () => {
			globalThis.fetch = original;
		};
	}
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Api {
	/**
	 * @param {import('./oauth').Session} session
	 * @param {string} apiUrl without /v2
	 */
	constructor(session, apiUrl) {
		this.session = session;
		this.apiUrl = apiUrl;
		this.calls = 0;
		this.basePath = new URL(apiUrl).pathname.replace(/\/+$/, '');
	}

	/** The request target the server sees for `path` and `query` (what a 2000-character budget counts). */
	target(/** @type {string} */ path, /** @type {Record<string, any> | undefined} */ query) {
		return `${this.basePath}/v2${path}${queryString(query)}`;
	}

	/**
	 * @param {string} method
	 * @param {string} path below /v2, already encoded
	 * @param {{ query?: Record<string, string | number | boolean | undefined>, body?: unknown }} [options]
	 * @returns {Promise<Answer>}
	 */
	async call(method, path, options = {}) {
		const target = this.target(path, options.query);
		const url = `${this.apiUrl}/v2${path}${queryString(options.query)}`;
		let refreshed = false;
		for (let attempt = 0; ; attempt++) {
			if (!this.session.tokens.access_token) await this.session.refresh();
			const started = Date.now();
			this.calls++;
			const response = await fetch(url, {
				method,
				headers: {
					Authorization: `Bearer ${this.session.tokens.access_token}`,
					Accept: 'application/json',
					...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
				},
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
				signal: AbortSignal.timeout(120_000),
			});
			const text = await response.text();
			/** @type {Record<string, string>} */
			const headers = {};
			response.headers.forEach((v, k) => (headers[k] = v));
			/** @type {any} */
			let body = text;
			try {
				body = text ? JSON.parse(text) : '';
			} catch {
				body = text.slice(0, 500);
			}
			if (response.status === 401 && !refreshed) {
				refreshed = true;
				await this.session.refresh();
				continue;
			}
			if (response.status === 429 && attempt < 3) {
				const header = Number(headers['retry-after']);
				const match = /try again in (\d+) seconds?/i.exec(
					String(body?.DeveloperErrorMessage ?? ''),
				);
				const seconds =
					Number.isFinite(header) && header >= 0 ? header : match ? Number(match[1]) : 60;
				process.stderr.write(`  429 on ${method} ${path.split('?')[0]}: waiting ${seconds} s\n`);
				await sleep(seconds * 1000 + 250);
				continue;
			}
			return { method, target, status: response.status, headers, body, ms: Date.now() - started };
		}
	}

	/** @param {string} path @param {Record<string, any>} [query] */
	get(path, query) {
		return this.call('GET', path, { query });
	}
}

/**
 * The Visma error fields of an answer, for a finding.
 * @param {Answer} a
 */
function answerOf(a) {
	const b = a.body && typeof a.body === 'object' ? a.body : undefined;
	/** @type {Record<string, unknown>} */
	const out = {
		request: `${a.method} ${a.target.length > 300 ? `${a.target.slice(0, 300)}… (${a.target.length} characters)` : a.target}`,
		status: a.status,
	};
	if (b && 'ErrorCode' in b) out.ErrorCode = b.ErrorCode;
	if (b && 'DeveloperErrorMessage' in b) out.DeveloperErrorMessage = b.DeveloperErrorMessage;
	if (b && Array.isArray(b.Errors) && b.Errors.length) out.Errors = b.Errors;
	if (b && 'ErrorId' in b) out.ErrorId = b.ErrorId;
	if (!b && a.status >= 400) out.body = String(a.body ?? '').slice(0, 300);
	return out;
}

/**
 * "400 ErrorCode 6000: The filter ...", short, for the table.
 * @param {Answer} a
 */
function shortAnswer(a) {
	const b = a.body && typeof a.body === 'object' ? a.body : undefined;
	if (a.status < 400) return String(a.status);
	const code = b?.ErrorCode !== undefined ? ` ErrorCode ${b.ErrorCode}` : '';
	const message =
		b?.DeveloperErrorMessage ??
		(b
			? ''
			: String(a.body ?? '')
					.replace(/\s+/g, ' ')
					.slice(0, 80));
	return `${a.status}${code}${message ? `: ${message}` : ''}`;
}

module.exports = { Api, HeaderRecorder, answerOf, encode, queryString, shortAnswer, sleep };

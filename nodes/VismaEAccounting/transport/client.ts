import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { apiBaseUrl } from '../domain/environment';
import { toNodeApiError } from './errors';
import type { Failure } from './failures';
import { isRateLimited, isTransient, neverSent, readFailure, retryAfterSeconds } from './failures';
import type { Filter, FilterValue, ValueKind } from './filter';
import { and, anyOf, render, value as filterValue } from './filter';
import { gateFor, pacing } from './pacing';
import { throughWarmup } from './warmup';

export const CREDENTIAL_TYPE = 'vismaEAccountingOAuth2Api';

/** Visma's documented page size is uncertain above 500, so we never ask for more. */
export const MAX_PAGE_SIZE = 500;
/** Longest request target we send; servers in front of Visma commonly stop at 2048. */
export const MAX_REQUEST_TARGET = 2000;

const READ_RETRIES = 4;
const WRITE_RETRIES = 3;
const RATE_LIMIT_RETRIES = 12;

export type VismaContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface VismaRequest {
	method: IHttpRequestMethods;
	/** Path below /v2, e.g. `/customers` or `/customers/{id}` (build ids with `resourcePath`). */
	path: string;
	qs?: Record<string, string | number | boolean | undefined>;
	body?: object;
	/**
	 * For a POST: how to find out, after an answer was lost, whether Visma applied it.
	 * Returns what the write created, or undefined when it provably did not happen.
	 */
	verify?: () => Promise<unknown>;
	/** Returns the raw body as a Buffer plus headers. */
	binary?: boolean;
	/** Names the thing being written in error messages, e.g. "customer". */
	action?: string;
	itemIndex?: number;
	/** Extra advice appended to any error's description. */
	hint?: string;
}

export interface PageMeta {
	CurrentPage: number;
	PageSize: number;
	TotalNumberOfPages: number;
	TotalNumberOfResults: number;
	ServerTimeUtc: string;
}

export interface Page<T> {
	data: T[];
	meta: PageMeta;
}

export interface ListOptions {
	filter?: Filter;
	orderBy?: string;
	qs?: Record<string, string | number | boolean | undefined>;
	/** Stop after this many records (Return All off). */
	limit?: number;
	pageSize?: number;
	/** The item this listing is for, named in error messages. */
	itemIndex?: number;
}

export interface BinaryResponse {
	body: Buffer;
	headers: Record<string, string>;
}

/** Encodes everything but RFC 3986 unreserved characters, so our length budget is exact. */
function encode(text: string): string {
	return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function queryString(qs: VismaRequest['qs']): string {
	const parts: string[] = [];
	for (const [key, v] of Object.entries(qs ?? {})) {
		if (v === undefined || v === '') continue;
		parts.push(`${key.startsWith('$') ? `$${encode(key.slice(1))}` : encode(key)}=${encode(String(v))}`);
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
function endpointOf(path: string): string {
	return path.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
}

/**
 * The one way this package talks to Visma. Every call goes through n8n's
 * httpRequestWithAuthentication (which signs it and refreshes the OAuth token on a 401),
 * is paced under the rate limit, retried only when that is safe, and fails with an error
 * that says what happened and how to fix it.
 */
export class VismaClient {
	private readonly memos = new Map<string, Promise<unknown>>();

	private constructor(
		private readonly ctx: VismaContext,
		private readonly baseUrl: string,
		/** Identifies the company connection: API URL plus credential. */
		readonly scope: string,
	) {}

	/** Loads something once per execution (company settings, units, ...). */
	async memo<T>(key: string, load: () => Promise<T>): Promise<T> {
		let pending = this.memos.get(key) as Promise<T> | undefined;
		if (!pending) {
			pending = load();
			this.memos.set(key, pending);
			pending.catch(() => this.memos.delete(key));
		}
		return await pending;
	}

	static async create(ctx: VismaContext): Promise<VismaClient> {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const resolved = apiBaseUrl(credentials);
		if ('refused' in resolved) {
			throw new NodeOperationError(ctx.getNode(), resolved.refused, {
				description: 'Open the credential and change its API URL.',
			});
		}
		const baseUrl = resolved.url;
		const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? 'default';
		return new VismaClient(ctx, baseUrl, `${baseUrl}|${credentialId}`);
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	async request<T>(req: VismaRequest): Promise<T> {
		const url = `${this.baseUrl}/v2${req.path}${queryString(req.qs)}`;
		const gate = gateFor(`${this.scope}|${endpointOf(req.path)}`);
		const isRead = req.method === 'GET';
		const isIdempotentWrite = req.method === 'PUT' || req.method === 'DELETE';
		let transientFailures = 0;
		let rateLimited = 0;
		let maybeApplied = false;

		for (;;) {
			await gate.acquire();
			let failure: Failure;
			try {
				return (await this.send(req, url)) as T;
			} catch (error) {
				failure = readFailure(error);
				if (failure.status === undefined && failure.code === undefined) {
					// Not an answer from Visma (for example n8n could not refresh the token): keep n8n's message.
					throw new NodeOperationError(this.node, error as Error, { itemIndex: req.itemIndex });
				}
			}

			// A 429 comes from the rate limiter before the request is processed, so even a write
			// is safe to repeat. Everyone using this gate waits the time Visma asked for.
			if (isRateLimited(failure) && rateLimited < RATE_LIMIT_RETRIES) {
				rateLimited++;
				const seconds = retryAfterSeconds(failure) ?? 60;
				gate.holdFor(seconds * 1000 + Math.floor(Math.random() * 250));
				continue;
			}

			// The connection was refused: the request never reached Visma.
			if (neverSent(failure) && transientFailures < READ_RETRIES) {
				await sleep(backoff(transientFailures++));
				continue;
			}

			if (isTransient(failure)) {
				if (isRead && transientFailures < READ_RETRIES) {
					await sleep(backoff(transientFailures++));
					continue;
				}
				// PUT replaces the whole record and DELETE removes it: doing either twice
				// leaves the same state as doing it once.
				if (isIdempotentWrite && transientFailures < WRITE_RETRIES) {
					maybeApplied = true;
					await sleep(backoff(transientFailures++));
					continue;
				}
				// A POST may have been applied. Repeat it only when a look-up proves it was not.
				if (req.verify && transientFailures < WRITE_RETRIES) {
					await sleep(pacing().settleMs + backoff(transientFailures++));
					const applied = await req.verify();
					if (applied !== undefined) return applied as T;
					continue;
				}
				if (!isRead && !isIdempotentWrite) {
					throw toNodeApiError(this.node, failure, {
						itemIndex: req.itemIndex,
						action: req.action,
						hint: `The ${req.action ?? 'request'} may or may not have been created in eAccounting before the connection failed. Check eAccounting before running this item again.`,
					});
				}
			}

			// A DELETE we repeated after a lost answer finds nothing left to delete: it worked.
			if (req.method === 'DELETE' && maybeApplied && failure.status === 404) return {} as T;

			throw toNodeApiError(this.node, failure, {
				itemIndex: req.itemIndex,
				action: req.action,
				hint: req.hint,
			});
		}
	}

	private async send(req: VismaRequest, url: string): Promise<unknown> {
		const options: IHttpRequestOptions = {
			method: req.method,
			url,
			json: !req.binary,
			timeout: 120_000,
		};
		if (req.body !== undefined) options.body = req.body as IDataObject;
		if (req.binary) {
			options.encoding = 'arraybuffer';
			options.returnFullResponse = true;
			options.headers = { Accept: 'application/pdf' };
		}
		const response = await throughWarmup(this.scope, async () =>
			this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, options),
		);
		if (req.binary) {
			const full = response as { body: ArrayBuffer | Buffer; headers: Record<string, string> };
			return { body: Buffer.from(full.body as ArrayBuffer), headers: full.headers } satisfies BinaryResponse;
		}
		return response;
	}

	async page<T>(path: string, options: ListOptions & { page?: number } = {}): Promise<Page<T>> {
		const response = await this.request<{ Data?: T[]; Meta?: PageMeta }>({
			method: 'GET',
			path,
			itemIndex: options.itemIndex,
			qs: {
				...options.qs,
				$filter: render(options.filter),
				$orderby: options.orderBy,
				$page: options.page ?? 1,
				$pagesize: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
			},
		});
		const data = response.Data ?? [];
		const meta = response.Meta ?? {
			CurrentPage: options.page ?? 1,
			PageSize: data.length,
			TotalNumberOfPages: 1,
			TotalNumberOfResults: data.length,
			ServerTimeUtc: new Date().toISOString(),
		};
		return { data, meta };
	}

	/** Follows $page until the last page, or until `limit` records. */
	async all<T>(path: string, options: ListOptions = {}): Promise<T[]> {
		const out: T[] = [];
		const pageSize = Math.min(options.pageSize ?? (options.limit ? Math.min(options.limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE), MAX_PAGE_SIZE);
		for (let page = 1; ; page++) {
			const { data, meta } = await this.page<T>(path, { ...options, page, pageSize });
			for (const record of data) {
				out.push(record);
				if (options.limit !== undefined && out.length >= options.limit) return out;
			}
			if (data.length === 0 || page >= meta.TotalNumberOfPages) return out;
		}
	}

	/**
	 * Records whose `field` equals any of `values`, in as few calls as the URL length allows:
	 * one `Field eq a or Field eq b ...` filter per batch.
	 */
	async findIn<T>(
		path: string,
		field: string,
		kind: ValueKind,
		values: Iterable<string>,
		extra?: Filter,
	): Promise<T[]> {
		const unique = [...new Set(values)];
		const out: T[] = [];
		for (const batch of this.batches(path, field, unique.map((v) => filterValue.of(kind, v)), extra)) {
			out.push(...(await this.all<T>(path, { filter: batch })));
		}
		return out;
	}

	/** Splits an OR-filter into pieces whose request target stays under MAX_REQUEST_TARGET. */
	batches(path: string, field: string, values: FilterValue[], extra?: Filter): Filter[] {
		const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
		const fixed = `${basePath}/v2${path}${queryString({ $filter: 'x', $page: 1, $pagesize: MAX_PAGE_SIZE })}`;
		const budget = MAX_REQUEST_TARGET - fixed.length;
		const build = (vs: FilterValue[]) => and(extra, anyOf(field, vs)) as Filter;
		const out: Filter[] = [];
		let current: FilterValue[] = [];
		for (const v of values) {
			const candidate = [...current, v];
			if (current.length > 0 && (encode(build(candidate).text).length > budget || candidate.length > MAX_PAGE_SIZE)) {
				out.push(build(current));
				current = [v];
			} else {
				current = candidate;
			}
		}
		if (current.length > 0) out.push(build(current));
		return out;
	}
}

function backoff(attempt: number): number {
	const base = pacing().retryBaseMs;
	return Math.min(20 * base, base * 2 ** attempt) + Math.floor(Math.random() * (base / 2));
}

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
import { passOn, toNodeApiError } from './errors';
import type { Failure } from './failures';
import {
	isAuthFailure,
	isCancelled,
	isNotFound,
	isQueryRefusal,
	isRateLimited,
	isTransient,
	neverSent,
	readFailure,
	retryAfterSeconds,
} from './failures';
import {
	batchAccepted,
	batchCap,
	batchLimitOf,
	batchRefused,
	restoreBatchLimit,
} from './batchLimits';
import type { Filter, FilterValue, ValueKind } from './filter';
import { and, anyOf, isGuid, render, value as filterValue } from './filter';
import { clampDelay, gateFor, pacing } from './pacing';
import { mapPool } from './pool';
import type { QueryOption } from './queryOptions';
import { dropOption, keepsOption, refuseOption } from './queryOptions';
import type { LookupResult } from './coalesce';
import { coalesced } from './coalesce';
import { noteToken, throughWarmup } from './warmup';

export const CREDENTIAL_TYPE = 'vismaEAccountingOAuth2Api';

/** Visma's documented page size is uncertain above 500, so we never ask for more. */
export const MAX_PAGE_SIZE = 500;
/** Longest request target we send; servers in front of Visma commonly stop at 2048. */
export const MAX_REQUEST_TARGET = 2000;

const READ_RETRIES = 4;
const WRITE_RETRIES = 3;
/** 429s in a row before a request gives up (each wait is capped too, see pacing). */
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
	/**
	 * For a POST with `verify`: false when sending it twice could duplicate (drafts, a
	 * conversion). After a lost answer the client then only looks, never sends again.
	 */
	resend?: boolean;
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
	/** False when `orderBy` was asked for but the server refused it: the order is the server's. */
	ordered: boolean;
}

export interface ListOptions {
	filter?: Filter;
	/**
	 * `$orderby`. Visma does not document which fields sort; where the server refuses it, the
	 * request is sent without it and the page says `ordered: false`.
	 */
	orderBy?: string;
	/** `$select`. Where the server refuses it, the fields are picked from the full records. */
	select?: string[];
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
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

export function queryString(qs: VismaRequest['qs']): string {
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

/** Tells the warm-up guard which access token the credential holds now and how long it lives. */
function noteStoredToken(scope: string, credentials: object): void {
	const tokenData = (
		credentials as { oauthTokenData?: { access_token?: unknown; expires_in?: unknown } }
	).oauthTokenData;
	noteToken(scope, tokenData?.access_token, tokenData?.expires_in);
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
		// Rate gates, locks and trigger state are shared per credential: without a real identity,
		// two credentials would share them.
		const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
		if (!credentialId) {
			throw new NodeOperationError(ctx.getNode(), 'The Visma eAccounting credential has no ID', {
				description: 'Select the credential in the node again (or save it first), then run again.',
			});
		}
		const scope = `${baseUrl}|${credentialId}`;
		noteStoredToken(scope, credentials);
		return new VismaClient(ctx, baseUrl, scope);
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	async request<T>(req: VismaRequest): Promise<T> {
		const url = `${this.baseUrl}/v2${req.path}${queryString(req.qs)}`;
		const gate = gateFor(`${this.scope}|${endpointOf(req.path)}`);
		const isRead = req.method === 'GET';
		const isIdempotentWrite = req.method === 'PUT' || req.method === 'DELETE';
		const limits = pacing();
		const deadline = Date.now() + limits.maxRetryMs;
		let transientFailures = 0;
		let rateLimited = 0;
		let maybeApplied = false;
		const fail = (failure: Failure, hint = req.hint) =>
			toNodeApiError(this.node, failure, { itemIndex: req.itemIndex, action: req.action, hint });
		/** Waits before the next attempt, unless that would pass the request's ceiling. */
		const wait = async (failure: Failure, ms: number) => {
			if (Date.now() + ms > deadline) {
				throw fail(
					failure,
					`The node gave up after retrying for ${Math.round(limits.maxRetryMs / 60_000)} minutes. ${req.hint ?? ''}`.trim(),
				);
			}
			await sleep(clampDelay(ms));
		};

		for (;;) {
			await gate.acquire();
			let failure: Failure;
			try {
				return (await this.send(req, url)) as T;
			} catch (error) {
				failure = readFailure(error);
				if (isCancelled(failure)) {
					throw new NodeOperationError(this.node, 'The execution was cancelled', {
						itemIndex: req.itemIndex,
						description: 'The request to Visma eAccounting was stopped and is not retried.',
					});
				}
				if (isAuthFailure(failure)) throw this.authError(failure, req);
				if (failure.status === undefined && failure.code === undefined) {
					// Not an answer from Visma: keep n8n's message.
					throw new NodeOperationError(this.node, error as Error, { itemIndex: req.itemIndex });
				}
			}

			// A 429 comes from the rate limiter before the request is processed, so even a write
			// is safe to repeat. Everyone using this gate waits the time Visma asked for, within a
			// ceiling: a longer wait fails the request with what Visma said.
			if (isRateLimited(failure)) {
				const waitMs = (retryAfterSeconds(failure) ?? 60) * 1000;
				gate.holdFor(waitMs + Math.floor(Math.random() * 250));
				if (
					waitMs > limits.maxRateLimitWaitMs ||
					rateLimited >= RATE_LIMIT_RETRIES ||
					Date.now() + waitMs > deadline
				) {
					throw fail(
						failure,
						`Visma asked to wait ${Math.round(waitMs / 1000)} seconds; the node waits at most ${Math.round(limits.maxRateLimitWaitMs / 1000)} seconds at a time and ${Math.round(limits.maxRetryMs / 60_000)} minutes per request. Nothing was changed by this request.`,
					);
				}
				rateLimited++;
				continue;
			}

			// The connection was refused: the request never reached Visma.
			if (neverSent(failure) && transientFailures < READ_RETRIES) {
				await wait(failure, backoff(transientFailures++));
				continue;
			}

			if (isTransient(failure)) {
				if (isRead && transientFailures < READ_RETRIES) {
					await wait(failure, backoff(transientFailures++));
					continue;
				}
				// PUT replaces the whole record and DELETE removes it: doing either twice
				// leaves the same state as doing it once.
				if (isIdempotentWrite && transientFailures < WRITE_RETRIES) {
					maybeApplied = true;
					await wait(failure, backoff(transientFailures++));
					continue;
				}
				// A POST may have been applied. Where a second one could duplicate (drafts, a
				// conversion), never send it again: look for the first until it shows up.
				if (req.verify && req.resend === false)
					return (await this.awaitApplied(req, failure, deadline)) as T;
				// Where the key is unique in Visma (numbers), repeat it only when a look-up proves it was not applied.
				if (req.verify && transientFailures < WRITE_RETRIES) {
					await wait(failure, limits.settleMs + backoff(transientFailures++));
					const applied = await req.verify();
					if (applied !== undefined) return applied as T;
					continue;
				}
				if (!isRead && !isIdempotentWrite) {
					throw fail(
						failure,
						`The ${req.action ?? 'request'} may or may not have been created in eAccounting before the connection failed. Check eAccounting before running this item again.`,
					);
				}
			}

			// A DELETE we repeated after a lost answer finds nothing left to delete: if a read
			// agrees that the record is gone, the first attempt worked.
			if (req.method === 'DELETE' && maybeApplied && isNotFound(failure)) {
				if (!(await this.exists(req.path, req.itemIndex))) return {} as T;
			}

			throw fail(failure);
		}
	}

	/**
	 * After a lost answer to a write that must not be sent twice: look for what it created, with
	 * growing pauses, until it shows up or the wait runs out. Then the item fails, and a re-run
	 * finds the record through its natural key instead of writing it again.
	 */
	private async awaitApplied(
		req: VismaRequest,
		failure: Failure,
		deadline: number,
	): Promise<unknown> {
		const limits = pacing();
		const until = Math.min(deadline, Date.now() + limits.lostAnswerWaitMs);
		let pause = limits.settleMs;
		for (;;) {
			await sleep(clampDelay(Math.min(pause, Math.max(0, until - Date.now()))));
			const applied = await req.verify!();
			if (applied !== undefined) return applied;
			if (Date.now() >= until) break;
			pause *= 2;
		}
		throw toNodeApiError(this.node, failure, {
			itemIndex: req.itemIndex,
			action: req.action,
			hint: `The ${req.action ?? 'request'} may have been created in eAccounting: the answer was lost and it did not show up within ${Math.round(limits.lostAnswerWaitMs / 1000)} seconds. It was not sent again. Run this item again to reconcile: its source reference finds the record if it exists.`,
		});
	}

	/** A dead credential: reconnecting is the only fix, and a write was provably not applied. */
	private authError(failure: Failure, req: VismaRequest): NodeOperationError {
		const write = req.method !== 'GET';
		return new NodeOperationError(
			this.node,
			'Visma eAccounting did not accept the credential: reconnect it',
			{
				itemIndex: req.itemIndex,
				description: `${failure.status === 401 ? 'Visma answered 401 after n8n refreshed the token' : 'n8n could not refresh the access token'} (${failure.body?.error ?? failure.code ?? failure.message}). The refresh token may have been revoked or used up. Open the credential and connect again.${write ? ` Nothing was written by this ${req.action ?? 'request'}.` : ''}`,
			},
		);
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
		const response = await throughWarmup(
			this.scope,
			async () =>
				this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, options),
			async () => noteStoredToken(this.scope, await this.ctx.getCredentials(CREDENTIAL_TYPE)),
		);
		if (req.binary) {
			const full = response as { body: ArrayBuffer | Buffer; headers: Record<string, string> };
			return {
				body: Buffer.from(full.body as ArrayBuffer),
				headers: full.headers,
			} satisfies BinaryResponse;
		}
		return response;
	}

	async page<T>(path: string, options: ListOptions & { page?: number } = {}): Promise<Page<T>> {
		const endpoint = `${this.scope}|${endpointOf(path)}`;
		let orderBy = keepsOption(endpoint, 'orderby') ? options.orderBy : undefined;
		let select = keepsOption(endpoint, 'select') ? options.select : undefined;
		let response: { Data?: T[]; Meta?: PageMeta };
		const dropped: QueryOption[] = [];
		let firstError: unknown;
		for (;;) {
			try {
				response = await this.request<{ Data?: T[]; Meta?: PageMeta }>({
					method: 'GET',
					path,
					itemIndex: options.itemIndex,
					qs: {
						...options.qs,
						$filter: render(options.filter),
						$orderby: orderBy,
						$select: select?.join(','),
						$page: options.page ?? 1,
						$pagesize: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
					},
				});
				break;
			} catch (error) {
				// An undocumented $select or $orderby refused: ask again without it (select first,
				// since picking fields ourselves costs nothing). Remembered only if that works.
				const failure = readFailure(error);
				if (!isQueryRefusal(failure) || (!select && !orderBy))
					throw passOn(this.node, firstError ?? error);
				firstError ??= error;
				const which = dropOption(failure, { select: Boolean(select), orderby: Boolean(orderBy) });
				dropped.push(which);
				if (which === 'select') select = undefined;
				else orderBy = undefined;
			}
		}
		for (const option of dropped) refuseOption(endpoint, option);
		let data = response.Data ?? [];
		if (options.select && !select) data = data.map((record) => pick(record, options.select!));
		const meta = response.Meta ?? {
			CurrentPage: options.page ?? 1,
			PageSize: data.length,
			TotalNumberOfPages: 1,
			TotalNumberOfResults: data.length,
			ServerTimeUtc: new Date().toISOString(),
		};
		return { data, meta, ordered: !options.orderBy || orderBy !== undefined };
	}

	/** Whether GET `path` finds the record (404, or 400 with ErrorCode 3000, means it does not). */
	private async exists(path: string, itemIndex?: number): Promise<boolean> {
		try {
			await this.request({ method: 'GET', path, itemIndex });
			return true;
		} catch (error) {
			if (isNotFound(readFailure(error))) return false;
			throw passOn(this.node, error);
		}
	}

	/**
	 * One record by its ID through Visma's documented `GET /<collection>/{id}`, or undefined when
	 * it does not exist (a malformed ID cannot exist either).
	 */
	async getById<T>(collection: string, id: string, itemIndex?: number): Promise<T | undefined> {
		if (!isGuid(id)) return undefined;
		try {
			return await this.request<T>({
				method: 'GET',
				path: resourcePath(collection, id),
				itemIndex,
			});
		} catch (error) {
			if (isNotFound(readFailure(error))) return undefined;
			throw passOn(this.node, error);
		}
	}

	/** Records by ID, keyed by lower-case ID; missing ones are left out. */
	async getByIds<T extends { Id: string }>(
		collection: string,
		ids: Iterable<string>,
	): Promise<Map<string, T>> {
		const unique = [...new Set([...ids].map((id) => id.toLowerCase()))];
		const found = await mapPool(
			unique,
			BY_ID_CONCURRENCY,
			async (id) => await this.getById<T>(collection, id),
		);
		const out = new Map<string, T>();
		for (const record of found) if (record) out.set(record.Id.toLowerCase(), record);
		return out;
	}

	/** Follows $page until the last page, or until `limit` records. */
	async all<T>(path: string, options: ListOptions = {}): Promise<T[]> {
		const out: T[] = [];
		const pageSize = Math.min(
			options.pageSize ?? (options.limit ? Math.min(options.limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE),
			MAX_PAGE_SIZE,
		);
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
	 * Records whose `field` equals any of `values`, in as few calls as the server allows: one
	 * `Field eq a or Field eq b ...` filter per batch, within the URL length and the batch size
	 * learned for this endpoint. A refused batch is split and asked again, so no value fails
	 * because of how many were asked together.
	 */
	async findIn<T>(
		path: string,
		field: string,
		kind: ValueKind,
		values: Iterable<string>,
		extra?: Filter,
	): Promise<T[]> {
		const unique = [...new Set(values)];
		if (unique.length === 0) return [];
		// Executions running at the same time share the request (see coalesce.ts).
		const key = `${this.scope}|${path}|${field}|${kind}|${extra?.text ?? ''}`;
		return await coalesced<T>(
			this.scope,
			key,
			unique,
			async (all) => await this.lookUp<T>(path, field, kind, all, extra),
			(record) => String((record as Record<string, unknown>)[field] ?? ''),
		);
	}

	/**
	 * The OR-filter batches for `values`. A batch the server refuses is split and asked again; a
	 * batch that fails otherwise fails only its own values.
	 */
	private async lookUp<T>(
		path: string,
		field: string,
		kind: ValueKind,
		values: string[],
		extra?: Filter,
	): Promise<LookupResult<T>> {
		const pending = values.map((v) => filterValue.of(kind, v));
		const key = `${this.scope}|${endpointOf(path)}`;
		const known = batchLimitOf(key);
		const batches = this.batchCount(path, field, pending, extra, batchCap(key));
		if (batches > 2) {
			const listed = await this.listIfCheaper<T>(path, field, kind, values, extra, batches);
			if (listed) return listed;
		}
		const result: LookupResult<T> = { records: [], failed: new Map() };
		let answered = 0;
		while (pending.length > 0) {
			const [filter, size] = this.firstBatch(path, field, pending, extra, batchCap(key));
			try {
				result.records.push(...(await this.all<T>(path, { filter })));
				answered++;
				if (size > 1) batchAccepted(key, size);
			} catch (error) {
				const failure = readFailure(error);
				if (size > 1 && isQueryRefusal(failure)) {
					batchRefused(key, size);
					continue;
				}
				// Refused for one value too: the filter itself is the problem, not its size, and
				// the other values would be refused the same way.
				const refusedOutright = size === 1 && isQueryRefusal(failure);
				if (refusedOutright && answered === 0) restoreBatchLimit(key, known);
				const failing = refusedOutright ? pending.length : size;
				for (const v of pending.slice(0, failing))
					result.failed.set(String(v.value), passOn(this.node, error));
				pending.splice(0, failing);
				continue;
			}
			pending.splice(0, size);
		}
		return result;
	}

	/** How many OR-filters `values` need. */
	private batchCount(
		path: string,
		field: string,
		values: FilterValue[],
		extra: Filter | undefined,
		cap?: number,
	): number {
		let count = 0;
		for (let i = 0; i < values.length; count++)
			i += this.firstBatch(path, field, values.slice(i), extra, cap)[1];
		return count;
	}

	/**
	 * Many values against a small collection (a company's drafts, say): reading the whole
	 * collection costs fewer calls than the OR-filters. One call counts it; undefined means the
	 * filters are cheaper (or the count failed).
	 */
	private async listIfCheaper<T>(
		path: string,
		field: string,
		kind: ValueKind,
		values: string[],
		extra: Filter | undefined,
		batches: number,
	): Promise<LookupResult<T> | undefined> {
		let head: Page<T>;
		try {
			head = await this.page<T>(path, { filter: extra, pageSize: 1 });
		} catch {
			return undefined;
		}
		const total = head.meta.TotalNumberOfResults;
		if (Math.ceil(total / MAX_PAGE_SIZE) >= batches) return undefined;
		const records =
			total <= head.data.length ? head.data : await this.all<T>(path, { filter: extra });
		const norm = (v: unknown) =>
			kind === 'string' ? String(v ?? '') : String(v ?? '').toLowerCase();
		const wanted = new Set(values.map(norm));
		return {
			records: records.filter((r) => wanted.has(norm((r as Record<string, unknown>)[field]))),
			failed: new Map(),
		};
	}

	/**
	 * The first OR-filter of `values` (at most `cap` of them) whose request target stays under
	 * MAX_REQUEST_TARGET, and how many values it holds.
	 */
	private firstBatch(
		path: string,
		field: string,
		values: FilterValue[],
		extra: Filter | undefined,
		cap = MAX_PAGE_SIZE,
	): [Filter, number] {
		const basePath = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
		const fixed = `${basePath}/v2${path}${queryString({ $filter: 'x', $page: 1, $pagesize: MAX_PAGE_SIZE })}`;
		const budget = MAX_REQUEST_TARGET - fixed.length;
		const build = (vs: FilterValue[]) => and(extra, anyOf(field, vs)) as Filter;
		let size = 1;
		while (
			size < Math.min(values.length, cap, MAX_PAGE_SIZE) &&
			encode(build(values.slice(0, size + 1)).text).length <= budget
		) {
			size++;
		}
		return [build(values.slice(0, size)), size];
	}
}

/** GETs by ID run this many at a time. */
const BY_ID_CONCURRENCY = 4;

function pick<T>(record: T, fields: string[]): T {
	const source = record as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const field of fields) if (field in source) out[field] = source[field];
	return out as T;
}

function backoff(attempt: number): number {
	const base = pacing().retryBaseMs;
	return Math.min(20 * base, base * 2 ** attempt) + Math.floor(Math.random() * (base / 2));
}

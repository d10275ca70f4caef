import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { apiBaseUrl } from '../domain/environment';
import { passOn, toNodeApiError } from './errors';
import type { Failure } from './failures';
import { isNotFound, readFailure } from './failures';
import type { Filter, ValueKind } from './filter';
import { isGuid } from './filter';
import type { ListOptions, Page } from './listing';
import { listAll, listPage } from './listing';
import { findIn as findInBatches } from './lookups';
import { clampDelay, gateFor, pacing } from './pacing';
import { mapPool } from './pool';
import type { FailStep, RetryState } from './retryPolicy';
import { FIRST_ATTEMPT, nextStep, requestKind } from './retryPolicy';
import type { QueryValues } from './urls';
import { endpointOf, queryString, resourcePath } from './urls';
import { accessTokenOf, companyOf, connectionScope, credentialScope } from './identity';
import { noteToken, throughWarmup } from './warmup';

export const CREDENTIAL_TYPE = 'vismaEAccountingOAuth2Api';

export type VismaContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface VismaRequest {
	method: IHttpRequestMethods;
	/** Path below /v2, e.g. `/customers` or `/customers/{id}` (build ids with `resourcePath`). */
	path: string;
	qs?: QueryValues;
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
	 * For a POST: what to tell the user when its answer was lost and it was not sent again
	 * (replaces the generic "may or may not have been created" advice).
	 */
	lostAnswer?: string;
	/**
	 * For a POST with `verify`: false when sending it twice could duplicate (drafts, a
	 * conversion). After a lost answer the client then only looks, never sends again.
	 */
	resend?: boolean;
}

export interface BinaryResponse {
	body: Buffer;
	headers: Record<string, string>;
}

/** Tells the warm-up guard which access token the credential holds now and how long it lives. */
function noteStoredToken(scope: string, credentials: object): void {
	const tokenData = (
		credentials as { oauthTokenData?: { access_token?: unknown; expires_in?: unknown } }
	).oauthTokenData;
	noteToken(scope, tokenData?.access_token, tokenData?.expires_in);
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
		/** Identifies the connection: API URL, credential and company, hashed (see identity.ts). */
		readonly scope: string,
		/** Identifies the credential alone, whose token refreshes the warm-up guards. */
		private readonly credentialKey: string,
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
		// Shared state and the trigger's stored state are keyed by the connection: without the
		// credential's ID, two credentials would share them.
		const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
		if (!credentialId) {
			throw new NodeOperationError(ctx.getNode(), 'The Visma eAccounting credential has no ID', {
				description: 'Select the credential in the node again (or save it first), then run again.',
			});
		}
		const credentialKey = credentialScope(baseUrl, credentialId);
		noteStoredToken(credentialKey, credentials);
		// The company: the token's claim, else the company settings (read once per token, and
		// kept for this execution, which may need them anyway).
		const bare = new VismaClient(ctx, baseUrl, credentialKey, credentialKey);
		let settings: Promise<Record<string, unknown>> | undefined;
		const company = await companyOf(
			accessTokenOf(credentials),
			async () => await (settings = bare.request({ method: 'GET', path: '/companysettings' })),
			async () => accessTokenOf(await ctx.getCredentials(CREDENTIAL_TYPE)),
		);
		const client = new VismaClient(
			ctx,
			baseUrl,
			connectionScope(baseUrl, credentialId, company),
			credentialKey,
		);
		if (settings) client.memos.set('companysettings', settings);
		return client;
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	/** The API URL's path (before /v2): part of every request target's length. */
	get basePath(): string {
		return new URL(this.baseUrl).pathname.replace(/\/+$/, '');
	}

	async request<T>(req: VismaRequest): Promise<T> {
		const url = `${this.baseUrl}/v2${req.path}${queryString(req.qs)}`;
		const gate = gateFor(`${this.scope}|${endpointOf(req.path)}`);
		const limits = pacing();
		const known = {
			kind: requestKind(req),
			deadline: Date.now() + limits.maxRetryMs,
			limits,
			action: req.action,
			hint: req.hint,
			lostAnswer: req.lostAnswer,
		};
		let state = FIRST_ATTEMPT;
		for (;;) {
			await gate.acquire();
			let thrown: unknown;
			try {
				return (await this.send(req, url)) as T;
			} catch (error) {
				thrown = error;
			}
			// What happens next is the retry policy's call (retryPolicy.ts); this only does it.
			const failure = readFailure(thrown);
			const decide = (current: RetryState, lookedInVain?: boolean) =>
				nextStep({
					...known,
					failure,
					state: current,
					lookedInVain,
					now: Date.now(),
					jitter: Math.random(),
				});
			let step = decide(state);
			while (step.do === 'look') {
				await sleep(clampDelay(step.afterMs));
				const found = await req.verify!();
				if (found !== undefined) return found as T;
				step = decide(step.state, true);
			}
			if (step.do === 'confirmGone') {
				if (!(await this.exists(req.path, req.itemIndex))) return {} as T;
				step = step.otherwise;
			}
			if (step.holdGateMs !== undefined) gate.holdFor(step.holdGateMs);
			if (step.do === 'fail') throw this.failWith(step, failure, thrown, req);
			state = step.state;
			if (step.afterMs !== undefined) await sleep(clampDelay(step.afterMs));
		}
	}

	/** The error a failed request ends with. */
	private failWith(
		step: FailStep,
		failure: Failure,
		thrown: unknown,
		req: VismaRequest,
	): NodeOperationError | NodeApiError {
		switch (step.reason) {
			case 'cancelled':
				return new NodeOperationError(this.node, 'The execution was cancelled', {
					itemIndex: req.itemIndex,
					description: 'The request to Visma eAccounting was stopped and is not retried.',
				});
			case 'credential':
				return this.authError(failure, req);
			case 'notFromVisma':
				// Not an answer from Visma: keep n8n's message.
				return new NodeOperationError(this.node, thrown as Error, { itemIndex: req.itemIndex });
			default:
				return toNodeApiError(this.node, failure, {
					itemIndex: req.itemIndex,
					action: req.action,
					hint: step.hint,
				});
		}
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
			this.credentialKey,
			async () =>
				this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, options),
			async () =>
				noteStoredToken(this.credentialKey, await this.ctx.getCredentials(CREDENTIAL_TYPE)),
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

	/** One page of a collection (listing.ts). */
	async page<T>(path: string, options: ListOptions & { page?: number } = {}): Promise<Page<T>> {
		return await listPage<T>(this, path, options);
	}

	/** Every record of a collection, or the first `limit` (listing.ts). */
	async all<T>(path: string, options: ListOptions = {}): Promise<T[]> {
		return await listAll<T>(this, path, options);
	}

	/** Records whose `field` equals any of `values`, batched and coalesced (lookups.ts). */
	async findIn<T>(
		path: string,
		field: string,
		kind: ValueKind,
		values: Iterable<string>,
		extra?: Filter,
	): Promise<T[]> {
		return await findInBatches<T>(this, path, field, kind, values, extra);
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
}

/** GETs by ID run this many at a time. */
const BY_ID_CONCURRENCY = 4;

import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { StoredCredential } from './credentials';

/** Shaped like the axios error n8n's httpRequest throws, so the node reads it the same way. */
class AxiosError extends Error {
	isAxiosError = true;

	constructor(
		message: string,
		public code?: string,
		public response?: { status: number; data: unknown; headers: Record<string, string> },
	) {
		super(message);
		this.name = 'AxiosError';
	}
}

function queryOf(qs: IHttpRequestOptions['qs']): string {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(qs ?? {})) if (v !== undefined) params.append(k, String(v));
	const text = params.toString();
	return text ? `?${text}` : '';
}

async function send(options: IHttpRequestOptions, accessToken: string): Promise<unknown> {
	const headers: Record<string, string> = {
		Authorization: `Bearer ${accessToken}`,
		...(options.headers as Record<string, string> | undefined),
	};
	let body: string | undefined;
	if (options.body !== undefined && options.method !== 'GET') {
		body = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}
	if (options.json && !headers.Accept) headers.Accept = 'application/json';

	const cancel = options.abortSignal as AbortSignal | undefined;
	const timeout = AbortSignal.timeout(options.timeout ?? 300_000);
	const response = await fetch(`${options.url}${queryOf(options.qs)}`, {
		method: options.method ?? 'GET',
		headers,
		body,
		signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
	}).then(
		(r) => r,
		(fetchError: { cause?: { code?: string } }) => {
			// Like axios: a cancelled request is ERR_CANCELED, a refused connection keeps its
			// code, a dropped one is a "socket hang up".
			if (cancel?.aborted) return new AxiosError('canceled', 'ERR_CANCELED');
			const refused = fetchError.cause?.code === 'ECONNREFUSED';
			return new AxiosError(
				refused ? 'connect ECONNREFUSED' : 'socket hang up',
				refused ? 'ECONNREFUSED' : 'ECONNRESET',
			);
		},
	);
	if (response instanceof AxiosError) throw response;

	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((v, k) => (responseHeaders[k] = v));
	const raw = await response.arrayBuffer().then(
		(bytes) => Buffer.from(bytes),
		(error: unknown) => {
			throw cancel?.aborted ? new AxiosError('canceled', 'ERR_CANCELED') : error;
		},
	);
	let data: unknown = raw;
	if (options.encoding !== 'arraybuffer') {
		const text = raw.toString('utf8');
		data = text;
		if ((responseHeaders['content-type'] ?? '').includes('json') && text) data = JSON.parse(text);
	}
	if (response.status >= 400) {
		throw new AxiosError(`Request failed with status code ${response.status}`, undefined, {
			status: response.status,
			data,
			headers: responseHeaders,
		});
	}
	if (options.returnFullResponse) {
		return { body: data, headers: responseHeaders, statusCode: response.status };
	}
	return data;
}

type Outcome = { value: unknown } | { error: unknown };
const settle = async (p: Promise<unknown>): Promise<Outcome> =>
	await p.then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);

function wrap(node: INode, error: unknown): Error {
	return error instanceof AxiosError ? new NodeApiError(node, error as never) : (error as Error);
}

/** n8n's httpRequestWithAuthentication for an oAuth2Api credential: sign, refresh once on 401. */
export async function httpRequestWithAuthentication(
	node: INode,
	credential: StoredCredential,
	options: IHttpRequestOptions,
	counter: { calls: number },
): Promise<unknown> {
	const startedWith = { ...credential.data.oauthTokenData };
	counter.calls++;
	const first = await settle(send(options, startedWith.access_token));
	if ('value' in first) return first.value;
	if (!(first.error instanceof AxiosError) || first.error.response?.status !== 401) {
		throw wrap(node, first.error);
	}
	const refreshed = await settle(credential.refresh(startedWith));
	if ('error' in refreshed) throw wrap(node, refreshed.error);
	counter.calls++;
	const second = await settle(send(options, credential.data.oauthTokenData.access_token));
	if ('error' in second) throw wrap(node, second.error);
	return second.value;
}

/**
 * Reads what went wrong from whatever `httpRequestWithAuthentication` threw: n8n wraps the
 * HTTP client's error (response status, body, headers, or a socket error code) in a NodeApiError.
 */
export interface VismaErrorBody {
	ErrorCode?: number;
	DeveloperErrorMessage?: string;
	ErrorId?: string;
	Errors?: Array<{ Field?: string; ErrorCode?: string; Message?: string; Key?: string }> | null;
	Message?: string;
	error?: string;
}

export interface Failure {
	status?: number;
	body?: VismaErrorBody;
	headers: Record<string, string>;
	/** Socket-level error code when no HTTP answer arrived (ECONNRESET, ECONNREFUSED, ...). */
	code?: string;
	/** What the thrown error said, for failures that are neither HTTP nor socket errors. */
	message: string;
	description?: string;
}

type Loose = Record<string, unknown> | undefined;

const asObject = (v: unknown): Loose =>
	v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;

function parseBody(data: unknown): VismaErrorBody | undefined {
	if (typeof data === 'string') {
		try {
			return asObject(JSON.parse(data)) as VismaErrorBody | undefined;
		} catch {
			return data.trim() ? { Message: data.trim().slice(0, 300) } : undefined;
		}
	}
	if (data instanceof ArrayBuffer || (typeof Buffer !== 'undefined' && Buffer.isBuffer(data))) {
		return parseBody(Buffer.from(data as ArrayBuffer).toString('utf8'));
	}
	return asObject(data) as VismaErrorBody | undefined;
}

function lowerHeaders(h: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	const obj = asObject(h);
	if (!obj) return out;
	for (const [k, v] of Object.entries(obj)) {
		if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
	}
	return out;
}

export function readFailure(error: unknown): Failure {
	const outer = asObject(error) ?? {};
	const chain: Array<Record<string, unknown>> = [outer];
	for (let e = asObject(outer.cause); e && chain.length < 5; e = asObject(e.cause)) chain.push(e);

	let status: number | undefined;
	let data: unknown;
	let headers: unknown;
	let code: string | undefined;
	for (const e of chain) {
		const response = asObject(e.response);
		if (status === undefined && response && typeof response.status === 'number') {
			status = response.status;
			data = response.data ?? response.body;
			headers = response.headers;
		}
		if (status === undefined && typeof e.statusCode === 'number') {
			status = e.statusCode;
			data = e.error ?? e.body;
			headers = e.headers;
		}
		if (!code && typeof e.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(e.code)) code = e.code;
	}
	// n8n puts the status, or the socket error code, into httpCode too; older n8n-workflow
	// versions do not keep the original error as `cause`.
	const httpCode =
		outer.httpCode === undefined || outer.httpCode === null ? '' : String(outer.httpCode);
	if (status === undefined && /^\d{3}$/.test(httpCode)) status = Number(httpCode);
	if (!code && /^E[A-Z_]+$/.test(httpCode)) code = httpCode;
	if (data === undefined) data = asObject(outer.context)?.data;

	return {
		status,
		body: parseBody(data),
		headers: lowerHeaders(headers),
		code: status === undefined ? code : undefined,
		message: typeof outer.message === 'string' ? outer.message : String(error),
		description: typeof outer.description === 'string' ? outer.description : undefined,
	};
}

/**
 * The credential is dead: n8n could not refresh it (EAUTH, invalid_grant) or Visma still says 401
 * after n8n's refresh. Repeating only burns more refreshes.
 */
export function isAuthFailure(f: Failure): boolean {
	if (f.status === 401 || f.code === 'EAUTH') return true;
	const text = `${f.body?.error ?? ''} ${f.message} ${f.description ?? ''}`;
	return /invalid_grant|invalid_client|unauthorized_client/i.test(text);
}

/** The execution was cancelled (n8n aborts its requests): stop, don't retry. */
export function isCancelled(f: Failure): boolean {
	return f.code === 'ERR_CANCELED';
}

/** The request never reached Visma, so repeating it cannot duplicate anything. */
export function neverSent(f: Failure): boolean {
	return (
		f.status === undefined && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(f.code ?? '')
	);
}

/** A 429 is answered by the rate limiter before the request is processed: nothing was applied. */
export function isRateLimited(f: Failure): boolean {
	return f.status === 429 || f.body?.ErrorCode === 4010;
}

/**
 * Failures after which Visma may or may not have applied the request: a dropped connection,
 * a timeout, or a 5xx. A read can simply be repeated; a write needs proof first.
 */
export function isTransient(f: Failure): boolean {
	if (f.status !== undefined) return f.status >= 500 || f.body?.ErrorCode === 5001;
	return f.code !== undefined;
}

/** Seconds Visma asks us to wait: Retry-After, else "Try again in N seconds", else undefined. */
export function retryAfterSeconds(f: Failure): number | undefined {
	const header = Number(f.headers['retry-after']);
	if (Number.isFinite(header) && header >= 0) return header;
	const match = /try again in (\d+) seconds?/i.exec(f.body?.DeveloperErrorMessage ?? '');
	return match ? Number(match[1]) : undefined;
}

/** Visma says the record does not exist: 404, or 400 with ErrorCode 3000 (both occur). */
export function isNotFound(f: Failure): boolean {
	return f.status === 404 || (f.status === 400 && f.body?.ErrorCode === 3000);
}

/**
 * A list request refused for its query (a filter too long or too complex for the server, an
 * option it does not support), as opposed to a failure of the service or the credential.
 */
export function isQueryRefusal(f: Failure): boolean {
	return f.status === 414 || (f.status === 400 && f.body?.ErrorCode !== 3000);
}

/** Visma answered and said no (4xx), other than for the credential or the rate limit. */
export function isRefusal(f: Failure): boolean {
	return (
		f.status !== undefined &&
		f.status >= 400 &&
		f.status < 500 &&
		![401, 403, 429].includes(f.status)
	);
}

/** What went wrong, as far as the policy cares. */
export type FailureKind =
	/** n8n cancelled the execution. */
	| 'cancelled'
	/** The credential is dead: 401 after n8n's refresh, EAUTH, invalid_grant. */
	| 'credential'
	/** Neither an HTTP answer nor a socket error: something in n8n, not Visma. */
	| 'notFromVisma'
	/** 429 or ErrorCode 4010: refused by the rate limiter before it was processed. */
	| 'rateLimited'
	/** ECONNREFUSED, ENOTFOUND, EAI_AGAIN: the request never reached Visma. */
	| 'neverSent'
	/** A dropped connection, a timeout, a 5xx or ErrorCode 5001: it may or may not have applied. */
	| 'unclear'
	/** 404, or 400 with ErrorCode 3000. */
	| 'notFound'
	/** Any other answer: Visma said no. */
	| 'refused';

export function failureKind(f: Failure): FailureKind {
	if (isCancelled(f)) return 'cancelled';
	if (isAuthFailure(f)) return 'credential';
	if (f.status === undefined && f.code === undefined) return 'notFromVisma';
	if (isRateLimited(f)) return 'rateLimited';
	if (neverSent(f)) return 'neverSent';
	if (isTransient(f)) return 'unclear';
	if (isNotFound(f)) return 'notFound';
	return 'refused';
}

import type { Failure } from './failures';
import {
	isAuthFailure,
	isCancelled,
	isNotFound,
	isRateLimited,
	isTransient,
	neverSent,
	retryAfterSeconds,
} from './failures';
import type { PacingSettings } from './pacing';

/**
 * THE place that decides what a request does after it failed: send it again (and when), look
 * for what it may have written, or fail with advice. It is the only code that says when a write
 * may be repeated; `VismaClient.request` executes its steps. Pure: time and randomness come in
 * as arguments.
 */

/** Unclear failures in a row a read survives. */
export const READ_RETRIES = 4;
/** Unclear failures in a row a write survives. */
export const WRITE_RETRIES = 3;
/** 429s in a row before a request gives up (each wait is capped too, see pacing). */
export const RATE_LIMIT_RETRIES = 12;

/** What a request is, as far as sending it twice goes. */
export type RequestKind =
	/** GET: repeating it changes nothing. */
	| 'read'
	/** PUT replaces the whole record: twice leaves the same state as once. */
	| 'put'
	/** DELETE: twice leaves the same state as once; a repeat that finds nothing is checked. */
	| 'delete'
	/** A POST whose look-up proves it was not applied; then it may be sent again (unique numbers). */
	| 'postVerifyThenResend'
	/** A POST whose look-up finds it, but that is never sent twice (drafts, a conversion). */
	| 'postVerifyNeverResend'
	/** A POST nothing can look for: an unclear failure is reported as such. */
	| 'postUnverifiable';

/** The kind of a request; any method other than GET, PUT and DELETE counts as a POST. */
export function requestKind(req: {
	method: string;
	verify?: unknown;
	resend?: boolean;
}): RequestKind {
	if (req.method === 'GET') return 'read';
	if (req.method === 'PUT') return 'put';
	if (req.method === 'DELETE') return 'delete';
	if (!req.verify) return 'postUnverifiable';
	return req.resend === false ? 'postVerifyNeverResend' : 'postVerifyThenResend';
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

/** What the request went through so far. */
export interface RetryState {
	/** Failures after which the request may not have reached Visma (never-sent ones included). */
	unclear: number;
	/** 429s so far. */
	rateLimited: number;
	/** A PUT or DELETE was sent again after an unclear failure: the first may have applied. */
	repeatedWrite: boolean;
	/** Looking for a write that is never sent twice: until when, and the last pause. */
	looking?: { until: number; pause: number };
}

export const FIRST_ATTEMPT: RetryState = { unclear: 0, rateLimited: 0, repeatedWrite: false };

export type RetryLimits = Pick<
	PacingSettings,
	'retryBaseMs' | 'settleMs' | 'lostAnswerWaitMs' | 'maxRateLimitWaitMs' | 'maxRetryMs'
>;

export interface Situation {
	kind: RequestKind;
	/** The failure of the last send. */
	failure: Failure;
	state: RetryState;
	/** The previous step was a look, and it found nothing. */
	lookedInVain?: boolean;
	now: number;
	/** When the request's time for retries and waits runs out. */
	deadline: number;
	limits: RetryLimits;
	/** A number in [0, 1) that spreads the retries of parallel requests apart. */
	jitter: number;
	/** Names what is written in advice, e.g. "draft invoice". */
	action?: string;
	/** The request's own advice, given with any error of it. */
	hint?: string;
	/** For a POST: the advice when its answer was lost and it was not sent again. */
	lostAnswer?: string;
}

export type FailReason =
	| 'cancelled'
	| 'credential'
	| 'notFromVisma'
	/** Visma's answer stands (a refusal, or unclear failures beyond the retries). */
	| 'answered'
	/** The next wait would pass the request's ceiling. */
	| 'gaveUp'
	/** Visma asked for a wait beyond the ceilings. */
	| 'rateLimitCeiling'
	/** A write nothing can look for may or may not have applied. */
	| 'outcomeUnknown'
	/** A write that is never sent twice did not show up while we looked. */
	| 'lostAnswer';

export interface FailStep {
	do: 'fail';
	reason: FailReason;
	/** The advice for the error (the request's own where no other applies). */
	hint?: string;
	/** Nobody using this rate gate starts before this many ms from now. */
	holdGateMs?: number;
}

export type Step =
	/** Send again, after `afterMs` (undefined: at once, the rate gate does any waiting). */
	| { do: 'send'; afterMs?: number; holdGateMs?: number; state: RetryState }
	/** After `afterMs`, run the request's look-up: what it finds is the answer. */
	| { do: 'look'; afterMs: number; state: RetryState }
	/** A repeated DELETE found nothing: gone on a read means the first one worked, else `otherwise`. */
	| { do: 'confirmGone'; otherwise: FailStep }
	| FailStep;

/** The step after a failed send, or after a look that found nothing. */
export function nextStep(s: Situation): Step {
	if (s.lookedInVain) return afterEmptyLook(s);
	switch (failureKind(s.failure)) {
		case 'cancelled':
			return { do: 'fail', reason: 'cancelled' };
		case 'credential':
			return { do: 'fail', reason: 'credential' };
		case 'notFromVisma':
			return { do: 'fail', reason: 'notFromVisma' };
		case 'rateLimited':
			return afterRateLimit(s);
		case 'neverSent':
			// Repeating it cannot duplicate anything, whatever the request is.
			return s.state.unclear < READ_RETRIES ? backOff(s) : afterUnclear(s);
		case 'unclear':
			return afterUnclear(s);
		case 'notFound':
		case 'refused':
			return lastAnswer(s);
	}
}

const answered = (s: Situation): FailStep => ({ do: 'fail', reason: 'answered', hint: s.hint });

/**
 * Visma's answer stands. Except: a DELETE repeated after a lost answer finds nothing left to
 * delete, and if a read agrees that the record is gone, the first attempt worked.
 */
function lastAnswer(s: Situation): Step {
	return s.kind === 'delete' && s.state.repeatedWrite && isNotFound(s.failure)
		? { do: 'confirmGone', otherwise: answered(s) }
		: answered(s);
}

function gaveUp(s: Situation): FailStep {
	const minutes = Math.round(s.limits.maxRetryMs / 60_000);
	return {
		do: 'fail',
		reason: 'gaveUp',
		hint: `The node gave up after retrying for ${minutes} minutes. ${s.hint ?? ''}`.trim(),
	};
}

/** Doubling pauses from retryBaseMs (at most 20 times it), spread by the jitter. */
export function backoffMs(attempt: number, baseMs: number, jitter: number): number {
	return Math.min(20 * baseMs, baseMs * 2 ** attempt) + Math.floor(jitter * (baseMs / 2));
}

/** Sends again after a back-off, unless that would pass the request's ceiling. */
function backOff(s: Situation, repeatedWrite = s.state.repeatedWrite): Step {
	const afterMs = backoffMs(s.state.unclear, s.limits.retryBaseMs, s.jitter);
	if (s.now + afterMs > s.deadline) return gaveUp(s);
	return {
		do: 'send',
		afterMs,
		state: { ...s.state, unclear: s.state.unclear + 1, repeatedWrite },
	};
}

/**
 * A 429 comes from the rate limiter before the request is processed, so even a write is safe to
 * repeat. Everyone using the gate waits the time Visma asked for, within a ceiling: a longer wait
 * fails the request with what Visma said.
 */
function afterRateLimit(s: Situation): Step {
	const waitMs = (retryAfterSeconds(s.failure) ?? 60) * 1000;
	const holdGateMs = waitMs + Math.floor(s.jitter * 250);
	const { maxRateLimitWaitMs, maxRetryMs } = s.limits;
	if (
		waitMs > maxRateLimitWaitMs ||
		s.state.rateLimited >= RATE_LIMIT_RETRIES ||
		s.now + waitMs > s.deadline
	) {
		return {
			do: 'fail',
			reason: 'rateLimitCeiling',
			holdGateMs,
			hint: `Visma asked to wait ${Math.round(waitMs / 1000)} seconds; the node waits at most ${Math.round(maxRateLimitWaitMs / 1000)} seconds at a time and ${Math.round(maxRetryMs / 60_000)} minutes per request. Nothing was changed by this request.`,
		};
	}
	return { do: 'send', holdGateMs, state: { ...s.state, rateLimited: s.state.rateLimited + 1 } };
}

/** The request may or may not have been applied. */
function afterUnclear(s: Situation): Step {
	const { unclear } = s.state;
	switch (s.kind) {
		case 'read':
			return unclear < READ_RETRIES ? backOff(s) : lastAnswer(s);
		case 'put':
		case 'delete':
			return unclear < WRITE_RETRIES ? backOff(s, true) : lastAnswer(s);
		case 'postVerifyNeverResend':
			return startLooking(s);
		case 'postVerifyThenResend': {
			if (unclear >= WRITE_RETRIES) return outcomeUnknown(s);
			// Give a write Visma may still be committing time to show up, then look.
			const afterMs = s.limits.settleMs + backoffMs(unclear, s.limits.retryBaseMs, s.jitter);
			if (s.now + afterMs > s.deadline) return gaveUp(s);
			return { do: 'look', afterMs, state: { ...s.state, unclear: unclear + 1 } };
		}
		case 'postUnverifiable':
			return outcomeUnknown(s);
	}
}

const outcomeUnknown = (s: Situation): FailStep => ({
	do: 'fail',
	reason: 'outcomeUnknown',
	hint:
		s.lostAnswer ??
		`The ${s.action ?? 'request'} may or may not have been created in eAccounting before the connection failed. Check eAccounting before running this item again.`,
});

/**
 * A write that must not be sent twice: look for it with growing pauses until it shows up or
 * the wait runs out. Then the item fails, and a re-run finds the record through its natural key
 * instead of writing it again.
 */
function startLooking(s: Situation): Step {
	const until = Math.min(s.deadline, s.now + s.limits.lostAnswerWaitMs);
	const pause = s.limits.settleMs;
	return {
		do: 'look',
		afterMs: Math.min(pause, Math.max(0, until - s.now)),
		state: { ...s.state, looking: { until, pause } },
	};
}

function afterEmptyLook(s: Situation): Step {
	// The look proves the write did not happen: it may be sent again.
	if (s.kind === 'postVerifyThenResend') return { do: 'send', state: s.state };
	const looking = s.state.looking;
	if (!looking) return answered(s);
	if (s.now >= looking.until) {
		return {
			do: 'fail',
			reason: 'lostAnswer',
			hint:
				s.lostAnswer ??
				`The ${s.action ?? 'request'} may have been created in eAccounting: the answer was lost and it did not show up within ${Math.round(s.limits.lostAnswerWaitMs / 1000)} seconds. It was not sent again. Run this item again to reconcile: its source reference finds the record if it exists.`,
		};
	}
	const pause = looking.pause * 2;
	return {
		do: 'look',
		afterMs: Math.min(pause, Math.max(0, looking.until - s.now)),
		state: { ...s.state, looking: { until: looking.until, pause } },
	};
}

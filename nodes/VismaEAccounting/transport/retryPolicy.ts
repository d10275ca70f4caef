import type { Failure, FailureKind } from './failures';
import { failureKind, isNotFound, retryAfterSeconds } from './failures';
import type { PacingSettings } from './pacing';
import { answered, gaveUp, lostAnswer, notSent, outcomeUnknown } from './retryAdvice';

export type { FailureKind };
export { failureKind };

/**
 * THE place that decides what a request does after it failed: send it again (and when), look
 * for what it may have written, or fail with advice. It is the only code that says when a write
 * may be repeated; `VismaClient.request` executes its steps. Pure: time and randomness come in
 * as arguments.
 */

/**
 * Unclear failures in a row a read survives. A passing fault must not cost an approval: at 30 %
 * faults (10 % of each kind Visma shows), nine failures in a row happen to about one read in
 * 50,000. Their back-offs add up to about 40 seconds, well inside the request's ceiling.
 */
export const READ_RETRIES = 8;
/** Unclear failures in a row a write survives (each one looked for where it can be). */
export const WRITE_RETRIES = 6;
/** Looks in a row that must find nothing before a draft POST is sent again. */
export const CONFIRMING_LOOKS = 2;
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
	/**
	 * A POST sent again only when two looks in a row agree it was not applied, because nothing in
	 * Visma refuses a second copy (drafts): a copy committed later still is found by the twin check.
	 */
	| 'postConfirmThenResend'
	/** A POST whose look-up finds it, but that is never sent twice (a conversion, a payment). */
	| 'postVerifyNeverResend'
	/** A POST nothing can look for: an unclear failure is reported as such. */
	| 'postUnverifiable';

/** When a POST with a look-up may be sent again after a failure that leaves its outcome unknown. */
export type Resend =
	/** When one look finds nothing (Visma refuses a second copy anyway: unique numbers). */
	| 'afterLook'
	/** When two looks in a row find nothing (nothing refuses a second copy: drafts). */
	| 'afterTwoLooks'
	/** Never: a second copy cannot be undone (a booked invoice, a payment). */
	| 'never';

/** The kind of a request; any method other than GET, PUT and DELETE counts as a POST. */
export function requestKind(req: {
	method: string;
	verify?: unknown;
	resend?: Resend;
}): RequestKind {
	if (req.method === 'GET') return 'read';
	if (req.method === 'PUT') return 'put';
	if (req.method === 'DELETE') return 'delete';
	if (!req.verify) return 'postUnverifiable';
	if (req.resend === 'never') return 'postVerifyNeverResend';
	return req.resend === 'afterTwoLooks' ? 'postConfirmThenResend' : 'postVerifyThenResend';
}

/** What the request went through so far. */
export interface RetryState {
	/** Failures after which the request may not have reached Visma (never-sent ones included). */
	unclear: number;
	/** 429s so far. */
	rateLimited: number;
	/** A PUT or DELETE was sent again after an unclear failure: the first may have applied. */
	repeatedWrite: boolean;
	/** An attempt failed in a way that leaves open whether Visma applied it. */
	mayHaveApplied: boolean;
	/** Looks in a row that found nothing since the last send (drafts look twice). */
	emptyLooks?: number;
	/** Looking for a write that is never sent twice: until when, and the last pause. */
	looking?: { until: number; pause: number };
}

export const FIRST_ATTEMPT: RetryState = {
	unclear: 0,
	rateLimited: 0,
	repeatedWrite: false,
	mayHaveApplied: false,
};

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
	/** A write whose outcome was unknown did not show up while we looked, and is not sent again. */
	| 'lostAnswer'
	/** A write never reached Visma, however often it was tried: nothing was written. */
	| 'notSent';

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
			if (s.state.unclear < READ_RETRIES) return backOff(s);
			return s.state.mayHaveApplied ? afterUnclear(s) : notSent(s);
		case 'unclear':
			return afterUnclear(s);
		case 'notFound':
		case 'refused':
			return lastAnswer(s);
	}
}

/**
 * Visma's answer stands. Except: a DELETE repeated after a lost answer finds nothing left to
 * delete, and if a read agrees that the record is gone, the first attempt worked.
 */
function lastAnswer(s: Situation): Step {
	return s.kind === 'delete' && s.state.repeatedWrite && isNotFound(s.failure)
		? { do: 'confirmGone', otherwise: answered(s) }
		: answered(s);
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
	const applied = { ...s, state: { ...s.state, mayHaveApplied: true } };
	switch (s.kind) {
		case 'read':
			return unclear < READ_RETRIES ? backOff(s) : lastAnswer(s);
		case 'put':
		case 'delete':
			return unclear < WRITE_RETRIES ? backOff(applied, true) : lastAnswer(s);
		case 'postVerifyNeverResend':
			return startLooking(applied);
		case 'postVerifyThenResend': {
			if (unclear >= WRITE_RETRIES) return outcomeUnknown(s);
			// Give a write Visma may still be committing time to show up, then look.
			const afterMs = s.limits.settleMs + backoffMs(unclear, s.limits.retryBaseMs, s.jitter);
			if (s.now + afterMs > s.deadline) return gaveUp(s);
			return { do: 'look', afterMs, state: { ...applied.state, unclear: unclear + 1 } };
		}
		case 'postConfirmThenResend': {
			// Look even when no resend is left: what shows up is the answer.
			const afterMs = s.limits.settleMs + backoffMs(unclear, s.limits.retryBaseMs, s.jitter);
			if (s.now + afterMs > s.deadline) return gaveUp(s);
			return {
				do: 'look',
				afterMs,
				state: { ...applied.state, unclear: unclear + 1, emptyLooks: 0 },
			};
		}
		case 'postUnverifiable':
			return outcomeUnknown(s);
	}
}

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
	if (s.kind === 'postConfirmThenResend') return afterEmptyConfirmingLook(s);
	const looking = s.state.looking;
	if (!looking) return answered(s);
	if (s.now >= looking.until) return lostAnswer(s);
	const pause = looking.pause * 2;
	return {
		do: 'look',
		afterMs: Math.min(pause, Math.max(0, looking.until - s.now)),
		state: { ...s.state, looking: { until: looking.until, pause } },
	};
}

/**
 * A draft: one empty look may just be early, so look again after the settle time. When both
 * agree that nothing was created, send it again while the retries last. A copy Visma commits
 * even later carries the same reference and content: the twin check after creating, or the next
 * export of the reference, finds it and keeps one.
 */
function afterEmptyConfirmingLook(s: Situation): Step {
	const emptyLooks = (s.state.emptyLooks ?? 0) + 1;
	if (emptyLooks < CONFIRMING_LOOKS) {
		const afterMs = s.limits.settleMs;
		if (s.now + afterMs > s.deadline) return gaveUp(s);
		return { do: 'look', afterMs, state: { ...s.state, emptyLooks } };
	}
	if (s.state.unclear > WRITE_RETRIES) return lostAnswer(s);
	return { do: 'send', state: { ...s.state, emptyLooks: 0 } };
}

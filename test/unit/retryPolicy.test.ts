import { describe, expect, it } from '@jest/globals';

import type { Failure } from '../../nodes/VismaEAccounting/transport/failures';
import { readFailure } from '../../nodes/VismaEAccounting/transport/failures';
import type {
	RequestKind,
	RetryState,
	Situation,
	Step,
} from '../../nodes/VismaEAccounting/transport/retryPolicy';
import {
	backoffMs,
	FIRST_ATTEMPT,
	failureKind,
	nextStep,
	requestKind,
} from '../../nodes/VismaEAccounting/transport/retryPolicy';

const NOW = 1_000_000;
const LIMITS = {
	retryBaseMs: 400,
	settleMs: 750,
	lostAnswerWaitMs: 30_000,
	maxRateLimitWaitMs: 5 * 60_000,
	maxRetryMs: 10 * 60_000,
};
const HINT = 'Check the customer number.';

const KINDS: RequestKind[] = [
	'read',
	'put',
	'delete',
	'postVerifyThenResend',
	'postVerifyNeverResend',
	'postUnverifiable',
];

/** Failures as readFailure reads them from what n8n's HTTP helper throws. */
const http = (status: number, data?: Failure['body'], headers: Record<string, string> = {}) =>
	readFailure(
		Object.assign(new Error(`Request failed with status code ${status}`), {
			isAxiosError: true,
			response: { status, data, headers },
		}),
	);
const socket = (code: string) => readFailure(Object.assign(new Error(code), { code }));

/** Every failure the transport tells apart (failures.ts), as readFailure would hand it over. */
const FAILURES: Record<string, Failure> = {
	'429 with Retry-After 2': http(429, undefined, { 'retry-after': '2' }),
	'429 without Retry-After': http(429),
	'ErrorCode 4010 "try again in 3 seconds"': http(400, {
		ErrorCode: 4010,
		DeveloperErrorMessage: 'Too many requests. Try again in 3 seconds.',
	}),
	ECONNREFUSED: socket('ECONNREFUSED'),
	ENOTFOUND: socket('ENOTFOUND'),
	EAI_AGAIN: socket('EAI_AGAIN'),
	ECONNRESET: socket('ECONNRESET'),
	ETIMEDOUT: socket('ETIMEDOUT'),
	'500': http(500),
	'500 with ErrorCode 5001': http(500, { ErrorCode: 5001 }),
	'502': http(502),
	'503': http(503),
	'504': http(504),
	cancelled: socket('ERR_CANCELED'),
	'401': http(401, { error: 'invalid_token' }),
	EAUTH: socket('EAUTH'),
	invalid_grant: http(400, { error: 'invalid_grant' }),
	'404': http(404),
	'400 with ErrorCode 3000': http(400, { ErrorCode: 3000 }),
	'query refusal 414': http(414),
	'query refusal 400': http(400, { DeveloperErrorMessage: 'The filter is too complex.' }),
	'refusal 400 with ErrorCode 2000 (duplicate)': http(400, { ErrorCode: 2000 }),
	'refusal 403': http(403),
	'refusal 409': http(409),
	'not from Visma (no status, no socket code)': readFailure(
		new TypeError("Cannot read properties of undefined (reading 'data')"),
	),
};

function situation(kind: RequestKind, failure: Failure, more: Partial<Situation> = {}): Situation {
	return {
		kind,
		failure,
		state: FIRST_ATTEMPT,
		now: NOW,
		deadline: NOW + LIMITS.maxRetryMs,
		limits: LIMITS,
		jitter: 0,
		action: 'draft invoice',
		hint: HINT,
		...more,
	};
}

/** A step in a few words: what, when, and why it fails. */
function summary(step: Step): string {
	const hold =
		'holdGateMs' in step && step.holdGateMs !== undefined ? ` hold ${step.holdGateMs}` : '';
	switch (step.do) {
		case 'send':
			return `send ${step.afterMs ?? 'now'}${hold}`;
		case 'look':
			return `look ${step.afterMs}`;
		case 'confirmGone':
			return `confirmGone else ${step.otherwise.reason}`;
		case 'fail':
			return `fail ${step.reason}${hold}`;
	}
}

/** After an unclear failure: what each kind does on its first attempt. */
const UNCLEAR = [
	'send 400',
	'send 400',
	'send 400',
	'look 1150',
	'look 750',
	'fail outcomeUnknown',
];
const all = (step: string) => KINDS.map(() => step);

/** failure → the first step for [read, put, delete, postVerifyThenResend, postVerifyNeverResend, postUnverifiable]. */
const FIRST_STEP: Array<[string, string, string[]]> = [
	['429 with Retry-After 2', 'rateLimited', all('send now hold 2000')],
	['429 without Retry-After', 'rateLimited', all('send now hold 60000')],
	['ErrorCode 4010 "try again in 3 seconds"', 'rateLimited', all('send now hold 3000')],
	['ECONNREFUSED', 'neverSent', all('send 400')],
	['ENOTFOUND', 'neverSent', all('send 400')],
	['EAI_AGAIN', 'neverSent', all('send 400')],
	['ECONNRESET', 'unclear', UNCLEAR],
	['ETIMEDOUT', 'unclear', UNCLEAR],
	['500', 'unclear', UNCLEAR],
	['500 with ErrorCode 5001', 'unclear', UNCLEAR],
	['502', 'unclear', UNCLEAR],
	['503', 'unclear', UNCLEAR],
	['504', 'unclear', UNCLEAR],
	['cancelled', 'cancelled', all('fail cancelled')],
	['401', 'credential', all('fail credential')],
	['EAUTH', 'credential', all('fail credential')],
	['invalid_grant', 'credential', all('fail credential')],
	['404', 'notFound', all('fail answered')],
	['400 with ErrorCode 3000', 'notFound', all('fail answered')],
	['query refusal 414', 'refused', all('fail answered')],
	['query refusal 400', 'refused', all('fail answered')],
	['refusal 400 with ErrorCode 2000 (duplicate)', 'refused', all('fail answered')],
	['refusal 403', 'refused', all('fail answered')],
	['refusal 409', 'refused', all('fail answered')],
	['not from Visma (no status, no socket code)', 'notFromVisma', all('fail notFromVisma')],
];

describe('retry policy: the first failure of every kind, for every request kind', () => {
	it('covers every failure listed', () => {
		expect(FIRST_STEP.map(([name]) => name).sort()).toEqual(Object.keys(FAILURES).sort());
	});

	it.each(FIRST_STEP)('%s is %s', (name, kind, expected) => {
		const failure = FAILURES[name];
		expect(failureKind(failure)).toBe(kind);
		expect(KINDS.map((k) => summary(nextStep(situation(k, failure))))).toEqual(expected);
	});
});

describe('retry policy: ceilings', () => {
	const after = (state: Partial<RetryState>) => ({ state: { ...FIRST_ATTEMPT, ...state } });

	it('unclear failures: reads 4 retries, writes 3, a write that is never sent twice keeps looking', () => {
		const steps = (failure: Failure, unclear: number) =>
			KINDS.map((k) => summary(nextStep(situation(k, failure, after({ unclear })))));
		expect(steps(FAILURES['503'], 3)).toEqual([
			'send 3200',
			'fail answered',
			'fail answered',
			'fail outcomeUnknown',
			'look 750',
			'fail outcomeUnknown',
		]);
		expect(steps(FAILURES['503'], 4)[0]).toBe('fail answered');
		// A request that never got through is repeated 4 times whatever it is, then counts as unclear.
		expect(steps(FAILURES.ECONNREFUSED, 3)).toEqual(all('send 3200'));
		expect(steps(FAILURES.ECONNREFUSED, 4)).toEqual([
			'fail answered',
			'fail answered',
			'fail answered',
			'fail outcomeUnknown',
			'look 750',
			'fail outcomeUnknown',
		]);
	});

	it('429s: at most 12 in a row, never a wait beyond 5 minutes or the request ceiling, and the gate is held anyway', () => {
		const first = (failure: Failure, more: Partial<Situation>) =>
			KINDS.map((k) => summary(nextStep(situation(k, failure, more))));
		expect(first(FAILURES['429 with Retry-After 2'], after({ rateLimited: 11 }))).toEqual(
			all('send now hold 2000'),
		);
		expect(first(FAILURES['429 with Retry-After 2'], after({ rateLimited: 12 }))).toEqual(
			all('fail rateLimitCeiling hold 2000'),
		);
		const long = http(429, undefined, { 'retry-after': '301' });
		expect(first(long, {})).toEqual(all('fail rateLimitCeiling hold 301000'));
		expect(first(FAILURES['429 without Retry-After'], { deadline: NOW + 59_000 })).toEqual(
			all('fail rateLimitCeiling hold 60000'),
		);
		const step = nextStep(situation('postVerifyNeverResend', long));
		expect(step).toMatchObject({
			do: 'fail',
			hint: 'Visma asked to wait 301 seconds; the node waits at most 300 seconds at a time and 10 minutes per request. Nothing was changed by this request.',
		});
	});

	it('gives up when the next wait would pass the request ceiling, with the request hint', () => {
		const late = { deadline: NOW + 399 };
		expect(KINDS.map((k) => summary(nextStep(situation(k, FAILURES.ECONNRESET, late))))).toEqual([
			'fail gaveUp',
			'fail gaveUp',
			'fail gaveUp',
			'fail gaveUp',
			'look 399',
			'fail outcomeUnknown',
		]);
		expect(nextStep(situation('read', FAILURES.ENOTFOUND, late))).toEqual({
			do: 'fail',
			reason: 'gaveUp',
			hint: `The node gave up after retrying for 10 minutes. ${HINT}`,
		});
		// Exactly at the ceiling still waits.
		expect(summary(nextStep(situation('read', FAILURES['502'], { deadline: NOW + 400 })))).toBe(
			'send 400',
		);
	});

	it('backs off doubling from the base, at most 20 times it, spread by the jitter', () => {
		expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, 400, 0))).toEqual([
			400, 800, 1600, 3200, 6400, 8000, 8000,
		]);
		expect(backoffMs(0, 400, 0.999)).toBe(599);
		expect(summary(nextStep(situation('read', FAILURES['504'], { jitter: 0.5 })))).toBe('send 500');
	});
});

describe('retry policy: what a write may do after an unclear failure', () => {
	it('a PUT or DELETE is sent again and remembered as repeated', () => {
		for (const kind of ['put', 'delete'] as const) {
			expect(nextStep(situation(kind, FAILURES.ECONNRESET))).toEqual({
				do: 'send',
				afterMs: 400,
				state: { unclear: 1, rateLimited: 0, repeatedWrite: true },
			});
		}
		// Never sent: nothing may have applied.
		expect(nextStep(situation('delete', FAILURES.ECONNREFUSED))).toMatchObject({
			state: { repeatedWrite: false },
		});
	});

	it('a repeated DELETE that finds nothing asks for a read; anything else stands', () => {
		const repeated = { state: { ...FIRST_ATTEMPT, unclear: 1, repeatedWrite: true } };
		expect(summary(nextStep(situation('delete', FAILURES['404'], repeated)))).toBe(
			'confirmGone else answered',
		);
		expect(
			summary(nextStep(situation('delete', FAILURES['400 with ErrorCode 3000'], repeated))),
		).toBe('confirmGone else answered');
		expect(summary(nextStep(situation('delete', FAILURES['404'])))).toBe('fail answered');
		expect(summary(nextStep(situation('put', FAILURES['404'], repeated)))).toBe('fail answered');
		expect(summary(nextStep(situation('delete', FAILURES['refusal 409'], repeated)))).toBe(
			'fail answered',
		);
	});

	it('a POST with a look-up that may be resent: look after the settle time, resend only when the look finds nothing', () => {
		const first = nextStep(situation('postVerifyThenResend', FAILURES['502']));
		expect(first).toEqual({
			do: 'look',
			afterMs: 1150,
			state: { unclear: 1, rateLimited: 0, repeatedWrite: false },
		});
		const state = (first as { state: RetryState }).state;
		expect(
			nextStep(situation('postVerifyThenResend', FAILURES['502'], { state, lookedInVain: true })),
		).toEqual({ do: 'send', state });
	});

	it('a POST that is never sent twice: look with doubling pauses for 30 seconds, then fail saying it was not sent again', () => {
		const kind = 'postVerifyNeverResend';
		let step = nextStep(situation(kind, FAILURES['504']));
		const looks: number[] = [];
		let now = NOW;
		while (step.do === 'look') {
			looks.push(step.afterMs);
			now += step.afterMs;
			step = nextStep(
				situation(kind, FAILURES['504'], { state: step.state, lookedInVain: true, now }),
			);
		}
		expect(looks).toEqual([750, 1500, 3000, 6000, 12000, 6750]);
		expect(now).toBe(NOW + 30_000);
		expect(step).toEqual({
			do: 'fail',
			reason: 'lostAnswer',
			hint: 'The draft invoice may have been created in eAccounting: the answer was lost and it did not show up within 30 seconds. It was not sent again. Run this item again to reconcile: its source reference finds the record if it exists.',
		});
	});

	it('the looks stop at the request ceiling when that comes first', () => {
		const step = nextStep(
			situation('postVerifyNeverResend', FAILURES['500'], { deadline: NOW + 500 }),
		);
		expect(step).toMatchObject({
			do: 'look',
			afterMs: 500,
			state: { looking: { until: NOW + 500 } },
		});
	});

	it('a POST nothing can look for fails saying it may or may not have been created', () => {
		expect(nextStep(situation('postUnverifiable', FAILURES.ETIMEDOUT))).toEqual({
			do: 'fail',
			reason: 'outcomeUnknown',
			hint: 'The draft invoice may or may not have been created in eAccounting before the connection failed. Check eAccounting before running this item again.',
		});
	});

	it('after an unclear failure, a POST that must not be sent twice is never sent again, whatever follows', () => {
		for (const kind of ['postVerifyNeverResend', 'postUnverifiable'] as const) {
			for (const [name, failure] of Object.entries(FAILURES)) {
				if (!['unclear'].includes(failureKind(failure))) continue;
				for (const unclear of [0, 1, 2, 3, 4, 5]) {
					const steps = [
						nextStep(situation(kind, failure, { state: { ...FIRST_ATTEMPT, unclear } })),
						nextStep(
							situation(kind, failure, {
								state: { ...FIRST_ATTEMPT, unclear, looking: { until: NOW + 1, pause: 750 } },
								lookedInVain: true,
							}),
						),
					];
					for (const step of steps) expect([name, kind, step.do]).not.toEqual([name, kind, 'send']);
				}
			}
		}
	});
});

describe('advice', () => {
	it("a request's own lost-answer advice replaces both defaults, and nothing else", () => {
		const lostAnswer = 'The payment may have been recorded.';
		expect(
			nextStep(situation('postUnverifiable', FAILURES.ETIMEDOUT, { lostAnswer })),
		).toMatchObject({ reason: 'outcomeUnknown', hint: lostAnswer });
		expect(
			nextStep(
				situation('postVerifyThenResend', FAILURES['503'], {
					lostAnswer,
					state: { ...FIRST_ATTEMPT, unclear: 3 },
				}),
			),
		).toMatchObject({ reason: 'outcomeUnknown', hint: lostAnswer });
		expect(
			nextStep(
				situation('postVerifyNeverResend', FAILURES['503'], {
					lostAnswer,
					lookedInVain: true,
					state: { ...FIRST_ATTEMPT, unclear: 0, looking: { until: NOW, pause: 750 } },
				}),
			),
		).toMatchObject({ reason: 'lostAnswer', hint: lostAnswer });
		expect(
			nextStep(situation('postUnverifiable', FAILURES['refusal 409'], { lostAnswer })),
		).toEqual({
			do: 'fail',
			reason: 'answered',
			hint: HINT,
		});
	});
});

describe('request kinds', () => {
	it('come from the method, and for a POST from its look-up and whether it may be resent', () => {
		const verify = async () => undefined;
		expect(
			[
				{ method: 'GET' },
				{ method: 'GET', verify },
				{ method: 'PUT' },
				{ method: 'DELETE' },
				{ method: 'POST', verify },
				{ method: 'POST', verify, resend: true },
				{ method: 'POST', verify, resend: false },
				{ method: 'POST' },
				{ method: 'POST', resend: false },
				{ method: 'PATCH' },
			].map(requestKind),
		).toEqual([
			'read',
			'read',
			'put',
			'delete',
			'postVerifyThenResend',
			'postVerifyThenResend',
			'postVerifyNeverResend',
			'postUnverifiable',
			'postUnverifiable',
			'postUnverifiable',
		]);
	});

	it('an answer stands with the request hint', () => {
		expect(nextStep(situation('read', FAILURES['refusal 403']))).toEqual({
			do: 'fail',
			reason: 'answered',
			hint: HINT,
		});
	});
});

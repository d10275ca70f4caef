import { failureKind } from './failures';
import type { FailStep, Situation } from './retryPolicy';

/**
 * What a failed request tells the user, above all for a write: whether anything may have been
 * written, and what to do. The retry policy (retryPolicy.ts) decides when to fail; this says it.
 */

export const answered = (s: Situation): FailStep => ({
	do: 'fail',
	reason: 'answered',
	hint: s.hint,
});

const isWrite = (s: Situation) => s.kind !== 'read';
/** Whether an attempt so far, the last one included, may have been applied by Visma. */
const mayHaveApplied = (s: Situation) =>
	s.state.mayHaveApplied || failureKind(s.failure) === 'unclear';

/** For a write: whether anything may have been written, and what to do about it. */
function writeStatus(s: Situation): string {
	if (!isWrite(s)) return '';
	const action = s.action ?? 'request';
	if (!mayHaveApplied(s)) return `Nothing was written by this ${action}.`;
	switch (s.kind) {
		case 'postUnverifiable':
		case 'postVerifyThenResend':
			return outcomeUnknown(s).hint ?? '';
		case 'postConfirmThenResend':
		case 'postVerifyNeverResend':
			return (
				s.lostAnswer ??
				`The ${action} may have been created in eAccounting before the connection failed. Run this item again to reconcile: its source reference finds the record if it exists.`
			);
		default:
			return `The ${action} may have been applied before the connection failed.`;
	}
}

export function gaveUp(s: Situation): FailStep {
	const minutes = Math.round(s.limits.maxRetryMs / 60_000);
	return {
		do: 'fail',
		reason: 'gaveUp',
		hint: [`The node gave up after retrying for ${minutes} minutes.`, writeStatus(s), s.hint]
			.filter(Boolean)
			.join(' '),
	};
}

/** Every attempt failed before it reached Visma: for a write, nothing was written. */
export function notSent(s: Situation): FailStep {
	if (!isWrite(s)) return answered(s);
	return {
		do: 'fail',
		reason: 'notSent',
		hint: [
			`The ${s.action ?? 'request'} never reached Visma eAccounting, so nothing was written by it. Run this item again when Visma can be reached.`,
			s.hint,
		]
			.filter(Boolean)
			.join(' '),
	};
}

export const outcomeUnknown = (s: Situation): FailStep => ({
	do: 'fail',
	reason: 'outcomeUnknown',
	hint:
		s.lostAnswer ??
		`The ${s.action ?? 'request'} may or may not have been created in eAccounting before the connection failed. Check eAccounting before running this item again.`,
});

/** Advice when a write whose outcome was unknown did not show up and is not sent again. */
function lostAnswerAdvice(s: Situation): string {
	if (s.lostAnswer) return s.lostAnswer;
	const action = s.action ?? 'request';
	if (s.kind === 'postConfirmThenResend') {
		return `The ${action} was probably not created: Visma eAccounting failed ${s.state.unclear} times in a row without a clear answer, and the looks after the last failure found nothing. If Visma still commits it late, it carries the source reference: run this item again, which finds it instead of creating it twice.`;
	}
	return `The ${action} may have been created in eAccounting: the answer was lost and it did not show up within ${Math.round(s.limits.lostAnswerWaitMs / 1000)} seconds. It was not sent again. Run this item again to reconcile: its source reference finds the record if it exists.`;
}

export const lostAnswer = (s: Situation): FailStep => ({
	do: 'fail',
	reason: 'lostAnswer',
	hint: lostAnswerAdvice(s),
});

import { sleep } from 'n8n-workflow';

import { IDLE_DEFAULTS, IdleMap } from './idleMap';

/**
 * Visma allows 600 requests per minute per client and endpoint. A gate keeps our own starts
 * under that in any rolling minute, and after a 429 holds everyone back for the time Visma asked.
 *
 * Gates are shared by every execution in this process on purpose: parallel executions that use
 * one credential draw on one limit. Other processes (queue-mode workers) are not coordinated;
 * the 429 handling in the client covers them.
 */
export interface PacingSettings {
	/** Requests we allow ourselves per window; a little under Visma's 600 for timing jitter. */
	limit: number;
	windowMs: number;
	/** First back-off after a failure; it doubles per attempt. */
	retryBaseMs: number;
	/** Time for a write Visma may still be committing to become visible before we look for it. */
	settleMs: number;
	/** After a lost answer to a write that must not be sent twice: how long to keep looking for it. */
	lostAnswerWaitMs: number;
	/** After creating drafts: the wait before looking for twins written by other processes. */
	twinDelayMs: number;
	/** Longest single wait Visma may ask for after a 429 before the request fails instead. */
	maxRateLimitWaitMs: number;
	/** Longest one request may spend in retries and waits altogether. */
	maxRetryMs: number;
	/** Longest a call waits for the lone first call on a cold credential (see warmup). */
	warmupWaitMs: number;
}

const DEFAULT_SETTINGS: PacingSettings = {
	limit: 580,
	windowMs: 60_000,
	retryBaseMs: 400,
	settleMs: 750,
	lostAnswerWaitMs: 30_000,
	twinDelayMs: 1500,
	maxRateLimitWaitMs: 5 * 60_000,
	maxRetryMs: 10 * 60_000,
	warmupWaitMs: 30_000,
};

/** setTimeout overflows above 2^31 - 1 ms (and fires at once); every wait stays below. */
export function clampDelay(ms: number): number {
	return Math.min(Math.max(0, Math.ceil(ms)), 2 ** 31 - 1);
}
let settings: PacingSettings = { ...DEFAULT_SETTINGS };

export class RateGate {
	private readonly starts: number[] = [];

	private blockedUntil = 0;

	/** Our window is a little longer than Visma's, so arrival jitter can't squeeze in extra calls. */
	private readonly windowMs: number;

	constructor(
		private readonly limit: number,
		windowMs: number,
	) {
		this.windowMs = windowMs + Math.min(1000, windowMs / 4);
	}

	async acquire(): Promise<void> {
		for (;;) {
			const now = Date.now();
			while (this.starts.length > 0 && this.starts[0] <= now - this.windowMs) this.starts.shift();
			if (this.blockedUntil > now) {
				await sleep(clampDelay(this.blockedUntil - now));
				continue;
			}
			if (this.starts.length < this.limit) {
				this.starts.push(now);
				return;
			}
			await sleep(clampDelay(this.starts[0] + this.windowMs - now + 1));
		}
	}

	/** Nobody starts before `ms` from now (Visma said "try again in N seconds"), capped. */
	holdFor(ms: number): void {
		this.blockedUntil = Math.max(
			this.blockedUntil,
			Date.now() + Math.min(ms, settings.maxRateLimitWaitMs),
		);
	}
}

/**
 * One gate per connection and endpoint. A gate unused for 10 minutes holds nothing that still
 * matters (its window and any hold, at most 5 minutes, have passed), so it is dropped.
 */
const gates = new IdleMap<string, RateGate>('rateGates', {
	idleMs: 10 * 60_000,
	maxEntries: IDLE_DEFAULTS.maxEntries,
});

export function gateFor(key: string): RateGate {
	return gates.getOrCreate(key, () => new RateGate(settings.limit, settings.windowMs));
}

export function pacing(): Readonly<PacingSettings> {
	return settings;
}

/** Changes the pacing for gates created from now on (tests and the benchmark use it). */
export function configurePacing(next: Partial<PacingSettings>): void {
	settings = { ...settings, ...next };
	gates.clear();
}

export function resetPacing(): void {
	configurePacing(DEFAULT_SETTINGS);
}

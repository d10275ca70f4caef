import { sleep } from 'n8n-workflow';

import { hashOf, jwtClaims } from './identity';
import { IdleMap } from './idleMap';
import { clampDelay, pacing } from './pacing';

/**
 * Visma's refresh tokens rotate: refreshing twice with the same one disconnects the credential.
 * n8n refreshes on a 401, and only n8n 2.30 and later make parallel refreshes wait for each
 * other. So when the access token may have run out (the credential has been idle long enough,
 * or the token this process saw is about to reach its expires_in), the next call goes alone and
 * the others wait for it: only that call can trigger the refresh.
 *
 * A wait is bounded: when the lone call fails or takes longer than warmupWaitMs (a hanging Visma),
 * the waiting calls go ahead in parallel instead of queueing behind one another.
 */
const TOKEN_LIFETIME_GUESS_MS = 50 * 60_000;
/** Calls this close to the token's end go alone (10 % of its lifetime, at most a minute). */
const EXPIRY_MARGIN_MAX_MS = 60_000;
const STEP_MS = 50;

interface WarmState {
	lastSuccess: number;
	/** Resolves true when the lone call succeeded. */
	inFlight?: Promise<boolean>;
	/** The access token this process last saw for the credential (hashed), since when, and its lifetime. */
	token?: string;
	tokenSeenAt?: number;
	tokenLifetimeMs?: number;
}

/**
 * Per credential. A state idle for an hour is dropped: by then the credential counts as cold
 * anyway (TOKEN_LIFETIME_GUESS_MS), so a new state behaves the same.
 */
const states = new IdleMap<string, WarmState>('warmup');

function stateOf(scope: string): WarmState {
	return states.getOrCreate(scope, () => ({ lastSuccess: 0 }));
}

/** The `exp` claim of a JWT access token (Visma's are JWTs), in epoch ms, or undefined. */
export function jwtExpiry(token: string): number | undefined {
	const exp = jwtClaims(token)?.exp;
	return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
}

/**
 * Records the credential's current access token and when it runs out: its own `exp` where it is
 * a JWT (a token half used before this process started is then judged right), else expires_in
 * counted from when this process first saw it.
 */
export function noteToken(scope: string, accessToken: unknown, expiresInSeconds: unknown): void {
	if (typeof accessToken !== 'string' || !accessToken) return;
	const state = stateOf(scope);
	const token = hashOf(accessToken);
	if (state.token === token) return;
	state.token = token;
	const now = Date.now();
	const seconds = Number(expiresInSeconds);
	const exp = jwtExpiry(accessToken);
	state.tokenSeenAt = now;
	if (exp !== undefined) state.tokenLifetimeMs = Math.max(0, exp - now);
	else state.tokenLifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function mayNeedRefresh(state: WarmState, now: number): boolean {
	if (now - state.lastSuccess >= TOKEN_LIFETIME_GUESS_MS) return true;
	if (state.tokenSeenAt !== undefined && state.tokenLifetimeMs !== undefined) {
		const margin = Math.min(EXPIRY_MARGIN_MAX_MS, state.tokenLifetimeMs / 10);
		if (now >= state.tokenSeenAt + state.tokenLifetimeMs - margin) return true;
	}
	return false;
}

/** Waits for the lone call; true when it succeeded in time. Short steps, no long timer. */
async function waitFor(flight: Promise<boolean>): Promise<boolean> {
	let result: boolean | undefined;
	void flight.then((ok) => (result = ok));
	for (
		const until = Date.now() + pacing().warmupWaitMs;
		result === undefined && Date.now() < until;
	) {
		await sleep(clampDelay(STEP_MS));
	}
	return result === true;
}

/**
 * Runs `call`, alone if the credential may need a token refresh. After a lone call, `reread`
 * reads the stored credential again so that a refreshed token is noted.
 */
export async function throughWarmup<T>(
	scope: string,
	call: () => Promise<T>,
	reread?: () => Promise<void>,
): Promise<T> {
	const state = stateOf(scope);
	const run = async () => {
		const result = await call();
		state.lastSuccess = Date.now();
		return result;
	};
	for (;;) {
		if (!mayNeedRefresh(state, Date.now())) return await run();
		if (state.inFlight) {
			// After a lone call that worked, look again (the token may still be near its end);
			// after one that failed or hangs, go ahead with everybody else.
			if (await waitFor(state.inFlight)) continue;
			return await run();
		}
		let settle!: (ok: boolean) => void;
		state.inFlight = new Promise<boolean>((resolve) => (settle = resolve));
		let ok = false;
		try {
			const result = await run();
			ok = true;
			if (reread) await reread().catch(() => undefined);
			return result;
		} finally {
			state.inFlight = undefined;
			settle(ok);
		}
	}
}

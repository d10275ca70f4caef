import { sleep } from 'n8n-workflow';

/**
 * When a coalesced look-up (coalesce.ts) goes. n8n starts the executions of a burst of webhooks
 * over a second or more, not in one instant, so look-ups that could share a request rarely meet
 * by chance. While other executions of the same credential run in this process, a new look-up
 * waits a short, bounded time for them to join; alone, it goes at once.
 */

/**
 * The longest a look-up waits for companions. Chosen from real-n8n bursts (`npm run bench`,
 * DEVELOPERS.md "Coalesced look-ups"): at 400 ms a burst on a queue-mode worker, whose
 * executions start over 2 to 3 seconds, shares enough to stay near 2.5 calls per approval; a
 * wait that grew with the executions in flight shared less at a burst's start and was dropped.
 */
export const COMPANION_WAIT_MS = 400;

/** Executions of the node running now in this process, by credential scope. */
const running = new Map<string, number>();

/** Runs one execution for `scope`, counted as in flight until it settles. */
export async function asExecution<T>(scope: string, run: () => Promise<T>): Promise<T> {
	running.set(scope, (running.get(scope) ?? 0) + 1);
	try {
		return await run();
	} finally {
		const left = (running.get(scope) ?? 1) - 1;
		if (left > 0) running.set(scope, left);
		else running.delete(scope);
	}
}

export function executionsInFlight(scope: string): number {
	return running.get(scope) ?? 0;
}

export interface Departure {
	/** How many callers have joined: when that is every execution in flight, it goes now. */
	joined(callers: number): void;
}

/**
 * Calls `go` once: COMPANION_WAIT_MS from now while other executions for `scope` are in flight,
 * else at once (after the current tick, so calls made together still share). It goes early
 * when every execution in flight has joined: nobody else is on the way.
 */
export function departure(scope: string, go: () => void): Departure {
	const waitMs = executionsInFlight(scope) > 1 ? COMPANION_WAIT_MS : 0;
	let gone = false;
	let hurried = false;
	const leave = () => {
		if (gone) return;
		gone = true;
		go();
	};
	void sleep(waitMs).then(leave);
	return {
		joined(callers) {
			if (gone || hurried || waitMs === 0 || callers < executionsInFlight(scope)) return;
			hurried = true;
			void sleep(0).then(leave);
		},
	};
}

import { sleep } from 'n8n-workflow';

/**
 * When a coalesced look-up (coalesce.ts) goes. n8n starts the executions of a burst of webhooks
 * over a second or more, not in one instant, so look-ups that could share a request rarely meet
 * by chance. While other executions of the same credential run in this process, a new look-up
 * waits for companions as long as they keep coming, within a bound; alone, it goes at once. The
 * times were chosen from real-n8n measurements (`npm run bench`; DEVELOPERS.md, "Coalesced
 * look-ups").
 */

/** The longest a look-up waits for companions. */
export const COMPANION_WAIT_MS = 300;
/** It goes when nobody joined for this long. */
export const COMPANION_QUIET_MS = 100;

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
 * Calls `go` once. Alone (no other execution for `scope` in flight) at once, after the current
 * tick so that calls made together still share. Otherwise when nobody joined for
 * COMPANION_QUIET_MS, when every execution in flight has joined, or COMPANION_WAIT_MS after it
 * opened, whichever comes first.
 */
export function departure(scope: string, go: () => void): Departure {
	const opened = Date.now();
	const waits = executionsInFlight(scope) > 1;
	let lastJoin = opened;
	let gone = false;
	let hurried = false;
	const leave = () => {
		if (gone) return;
		gone = true;
		go();
	};
	void (async () => {
		if (waits) {
			for (;;) {
				const due = Math.min(opened + COMPANION_WAIT_MS, lastJoin + COMPANION_QUIET_MS);
				if (gone || Date.now() >= due) break;
				await sleep(due - Date.now());
			}
		} else await sleep(0);
		leave();
	})();
	return {
		joined(callers) {
			lastJoin = Date.now();
			if (gone || hurried || !waits || callers < executionsInFlight(scope)) return;
			hurried = true;
			void sleep(0).then(leave);
		},
	};
}

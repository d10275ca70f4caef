/**
 * Visma's refresh tokens rotate: refreshing twice with the same one disconnects the credential.
 * n8n refreshes on a 401, and only recent n8n versions make parallel refreshes wait for each
 * other. So when a credential has been idle long enough for its token to have expired, its next
 * call runs alone and everything else waits for it; only that call can trigger the refresh.
 */
const TOKEN_LIFETIME_GUESS_MS = 50 * 60_000;

interface WarmState {
	lastSuccess: number;
	inFlight?: Promise<void>;
}

const states = new Map<string, WarmState>();

/** Runs `call`, alone if the credential may need a token refresh. */
export async function throughWarmup<T>(scope: string, call: () => Promise<T>): Promise<T> {
	let state = states.get(scope);
	if (!state) {
		state = { lastSuccess: 0 };
		states.set(scope, state);
	}
	for (;;) {
		if (Date.now() - state.lastSuccess < TOKEN_LIFETIME_GUESS_MS) {
			const result = await call();
			state.lastSuccess = Date.now();
			return result;
		}
		if (state.inFlight) {
			// Wait for the lone call; if it failed, the next caller goes alone in turn.
			await state.inFlight;
			continue;
		}
		let done!: () => void;
		state.inFlight = new Promise<void>((resolve) => (done = resolve));
		const current = state;
		return await call()
			.then((result) => {
				current.lastSuccess = Date.now();
				return result;
			})
			.finally(() => {
				current.inFlight = undefined;
				done();
			});
	}
}

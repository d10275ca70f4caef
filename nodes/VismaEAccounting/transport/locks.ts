/**
 * In-process locks on natural keys (a customer number, an article number, a source reference),
 * so parallel executions in one n8n process don't both look up "missing" and both create.
 * Across processes the duplicate checks in the services take over.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `fn` while holding every key; keys are taken in sorted order so two callers can't deadlock. */
export async function withKeys<T>(keys: Iterable<string>, fn: () => Promise<T>): Promise<T> {
	const sorted = [...new Set(keys)].sort();
	const releases: Array<() => void> = [];
	try {
		for (const key of sorted) releases.push(await take(key));
		return await fn();
	} finally {
		for (const release of releases.reverse()) release();
	}
}

async function take(key: string): Promise<() => void> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release!: () => void;
	const mine = new Promise<void>((resolve) => (release = resolve));
	const tail = previous.then(() => mine);
	tails.set(key, tail);
	await previous;
	return () => {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	};
}

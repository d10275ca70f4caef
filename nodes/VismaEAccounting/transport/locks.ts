/**
 * In-process locks on natural keys (a customer number, an article number, a source reference),
 * so parallel executions in one n8n process don't both look up "missing" and both create.
 * Across processes the duplicate checks in the services take over.
 */
const tails = new Map<string, Promise<void>>();

/** Open watches (see watchKeys), by key; a release marks them. */
const watching = new Map<string, Set<KeyWatch>>();

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
		for (const watch of watching.get(key) ?? []) watch.changed.add(key);
		release();
		if (tails.get(key) === tail) tails.delete(key);
	};
}

/** Which watched keys' locks changed hands since the watch began. */
export interface KeyWatch {
	readonly changed: Set<string>;
	/** Ends the watch (idempotent); `changed` keeps what it saw. */
	stop(): void;
}

/**
 * Look first, lock only to write: a look made without the lock is as good as one made under it
 * for every key whose lock nobody in this process released since the look began (nobody here
 * can have written that key meanwhile). Start the watch before the look; a key in `changed` must
 * be looked at again under its lock.
 */
export function watchKeys(keys: Iterable<string>): KeyWatch {
	const mine = [...new Set(keys)];
	const watch: KeyWatch = {
		changed: new Set(),
		stop: () => {
			for (const key of mine) {
				const set = watching.get(key);
				set?.delete(watch);
				if (set?.size === 0) watching.delete(key);
			}
		},
	};
	for (const key of mine) watching.set(key, (watching.get(key) ?? new Set()).add(watch));
	return watch;
}

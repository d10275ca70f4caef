/**
 * Module-level state kept per credential (rate gates, warm-up, learned limits) must not outlive
 * its use: credentials get deleted and reconnected, and an n8n process runs for months. An
 * IdleMap drops an entry nobody used for `idleMs` and keeps at most `maxEntries` (the least
 * recently used go first). Entries are kept in use order, so expiry only looks at the front.
 */
export interface IdleMapOptions {
	idleMs: number;
	maxEntries: number;
}

/** Defaults for per-credential state: an hour without use, 5,000 entries (credential x endpoint). */
export const IDLE_DEFAULTS: IdleMapOptions = { idleMs: 60 * 60_000, maxEntries: 5000 };

let now: () => number = () => Date.now();

/** Every IdleMap by name, so tests and the benchmark can see what is held. */
const registry = new Map<string, IdleMap<unknown, unknown>>();

export class IdleMap<K, V> {
	private readonly entries = new Map<K, { value: V; usedAt: number }>();

	constructor(
		readonly name: string,
		private readonly options: IdleMapOptions = IDLE_DEFAULTS,
	) {
		registry.set(name, this as IdleMap<unknown, unknown>);
	}

	/** The value, counted as a use. */
	get(key: K): V | undefined {
		this.sweep();
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.touch(key, entry.value);
		return entry.value;
	}

	set(key: K, value: V): void {
		this.sweep();
		this.touch(key, value);
		while (this.entries.size > this.options.maxEntries) this.dropOldest();
	}

	/** The value, created on first use. */
	getOrCreate(key: K, create: () => V): V {
		const found = this.get(key);
		if (found !== undefined) return found;
		const value = create();
		this.set(key, value);
		return value;
	}

	delete(key: K): void {
		this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	/** Entries held now (after dropping the idle ones). */
	get size(): number {
		this.sweep();
		return this.entries.size;
	}

	private touch(key: K, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, { value, usedAt: now() });
	}

	private dropOldest(): void {
		const oldest = this.entries.keys().next();
		if (!oldest.done) this.entries.delete(oldest.value);
	}

	private sweep(): void {
		const limit = now() - this.options.idleMs;
		for (const [key, entry] of this.entries) {
			if (entry.usedAt > limit) return;
			this.entries.delete(key);
		}
	}
}

/** How many entries each per-credential map holds now, idle ones dropped first. */
export function sharedStateSizes(): Record<string, number> {
	return Object.fromEntries([...registry].map(([name, map]) => [name, map.size]));
}

/** For tests and the benchmark: the clock idle expiry reads (back to Date.now without one). */
export function useSharedStateClock(clock?: () => number): void {
	now = clock ?? (() => Date.now());
}

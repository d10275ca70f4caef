import { describe, expect, it } from '@jest/globals';

import { watchKeys, withKeys } from '../../nodes/VismaEAccounting/transport/locks';

describe('watchKeys: a look made without the lock, and whether it is still good', () => {
	it('marks a key whose lock was released while watched, and no other key', async () => {
		const watch = watchKeys(['a', 'b']);
		await withKeys(['a', 'c'], async () => undefined);
		expect([...watch.changed]).toEqual(['a']);
		watch.stop();
	});

	it('marks a key held when the watch began, once its holder lets go', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		let holding!: () => void;
		const taken = new Promise<void>((r) => (holding = r));
		const held = withKeys(['a'], async () => {
			holding();
			await gate;
		});
		await taken;
		const watch = watchKeys(['a']);
		expect(watch.changed.size).toBe(0);
		const mine = withKeys(['a'], async () => [...watch.changed]);
		release();
		await held;
		// By the time this caller holds the lock, it knows someone else held it after its look.
		expect(await mine).toEqual(['a']);
		watch.stop();
	});

	it('a release before the watch began, or after it stopped, does not count', async () => {
		await withKeys(['a'], async () => undefined);
		const watch = watchKeys(['a']);
		watch.stop();
		await withKeys(['a'], async () => undefined);
		expect(watch.changed.size).toBe(0);
	});
});

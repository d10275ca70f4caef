import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';

import type { LookupResult } from '../../nodes/VismaEAccounting/transport/coalesce';
import { coalesced } from '../../nodes/VismaEAccounting/transport/coalesce';
import {
	COMPANION_WAIT_MS,
	asExecution,
	executionsInFlight,
} from '../../nodes/VismaEAccounting/transport/companions';

/*
 * When a coalesced look-up goes. Time is jest's fake clock: these tests say what happens before
 * and after the wait, never how long anything took.
 */

const SCOPE = 'http://visma.test|cred-1';
let keys = 0;

interface Rec {
	n: string;
}

/** A look-up whose requests are recorded; each value finds one record. */
function lookUp() {
	const requests: string[][] = [];
	const run = async (values: string[]): Promise<LookupResult<Rec>> => {
		requests.push([...values]);
		return { records: values.map((n) => ({ n })), failed: new Map() };
	};
	const key = `${SCOPE}|/customers|CustomerNumber|${keys++}`;
	const caller = { run, cancelled: () => false, own: (error: unknown) => error };
	const ask = async (values: string[]) =>
		await coalesced<Rec>(SCOPE, key, values, caller, (r) => r.n);
	return { requests, ask };
}

const holders: Array<() => Promise<void>> = [];

/** `n` executions of the credential held in flight until `release` (or the test's end). */
function executions(n: number) {
	let release!: () => void;
	const gate = new Promise<void>((resolve) => (release = resolve));
	const done = Promise.all(
		Array.from({ length: n }, async () => await asExecution(SCOPE, async () => await gate)),
	);
	const stop = async () => {
		release();
		await done;
	};
	holders.push(stop);
	return { release: stop };
}

beforeEach(() => {
	jest.useFakeTimers();
});
afterEach(async () => {
	for (const stop of holders.splice(0)) await stop();
	jest.useRealTimers();
});

describe('executions in flight', () => {
	it('are counted while they run and forgotten when they end, also when they fail', async () => {
		const held = executions(2);
		expect(executionsInFlight(SCOPE)).toBe(2);
		const failing = asExecution(SCOPE, async () => {
			throw new Error('boom');
		});
		await expect(failing).rejects.toThrow('boom');
		expect(executionsInFlight(SCOPE)).toBe(2);
		await held.release();
		expect(executionsInFlight(SCOPE)).toBe(0);
		expect(executionsInFlight('another credential')).toBe(0);
	});
});

describe('a coalesced look-up', () => {
	it('alone, goes at once', async () => {
		const held = executions(1);
		const { requests, ask } = lookUp();
		const found = ask(['1001']);
		await jest.advanceTimersByTimeAsync(0);
		expect(requests).toEqual([['1001']]);
		await expect(found).resolves.toEqual([{ n: '1001' }]);
		await held.release();
	});

	it('with no execution counted (a client used outside the router), goes at once too', async () => {
		const { requests, ask } = lookUp();
		const found = ask(['1001']);
		await jest.advanceTimersByTimeAsync(0);
		expect(requests).toEqual([['1001']]);
		await expect(found).resolves.toEqual([{ n: '1001' }]);
	});

	it('look-ups asked together still share a request when they go at once', async () => {
		const { requests, ask } = lookUp();
		const both = Promise.all([ask(['1001']), ask(['1002'])]);
		await jest.advanceTimersByTimeAsync(0);
		expect(requests).toEqual([['1001', '1002']]);
		await expect(both).resolves.toEqual([[{ n: '1001' }], [{ n: '1002' }]]);
	});

	it('while other executions are in flight, waits for companions: those that come within COMPANION_WAIT_MS join the request', async () => {
		const held = executions(4);
		const { requests, ask } = lookUp();
		const first = ask(['1001', '1002']);
		await jest.advanceTimersByTimeAsync(COMPANION_WAIT_MS / 2);
		const second = ask(['1002', '1003']);
		await jest.advanceTimersByTimeAsync(COMPANION_WAIT_MS / 2 - 1);
		expect(requests).toEqual([]);
		const third = ask(['1004']);
		await jest.advanceTimersByTimeAsync(1);
		expect(requests).toEqual([['1001', '1002', '1003', '1004']]);
		// Each caller gets exactly the records of its own values.
		await expect(first).resolves.toEqual([{ n: '1001' }, { n: '1002' }]);
		await expect(second).resolves.toEqual([{ n: '1002' }, { n: '1003' }]);
		await expect(third).resolves.toEqual([{ n: '1004' }]);
		await held.release();
	});

	it('the wait is bounded: with others still in flight, it goes COMPANION_WAIT_MS after it opened, and a later look-up opens a new request', async () => {
		const held = executions(3);
		const { requests, ask } = lookUp();
		const found = ask(['1001']);
		await jest.advanceTimersByTimeAsync(COMPANION_WAIT_MS - 1);
		expect(requests).toEqual([]);
		await jest.advanceTimersByTimeAsync(1);
		expect(requests).toEqual([['1001']]);
		await expect(found).resolves.toEqual([{ n: '1001' }]);
		const later = ask(['1002']);
		await jest.advanceTimersByTimeAsync(COMPANION_WAIT_MS);
		expect(requests).toEqual([['1001'], ['1002']]);
		await expect(later).resolves.toEqual([{ n: '1002' }]);
		await held.release();
	});

	it('goes without waiting out the window once every execution in flight has joined', async () => {
		const held = executions(2);
		const { requests, ask } = lookUp();
		const first = ask(['1001']);
		await jest.advanceTimersByTimeAsync(1);
		expect(requests).toEqual([]);
		const second = ask(['1002']);
		await jest.advanceTimersByTimeAsync(0);
		expect(requests).toEqual([['1001', '1002']]);
		await expect(Promise.all([first, second])).resolves.toEqual([[{ n: '1001' }], [{ n: '1002' }]]);
		await held.release();
	});
});

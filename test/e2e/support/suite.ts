import { afterAll, beforeAll, expect } from '@jest/globals';

import { startStack } from '../../../dev/stack/stack';
import type { Sim, SimOptions } from '../../support/simulator';
import { startTestSimulator } from '../../support/simulator';
import { e2eContext, progress, suiteDir, writeJson } from './context';
import { simQueries } from './flows';

export type Stack = Awaited<ReturnType<typeof startStack>>;
type StackOptions = Parameters<typeof startStack>[0];
type LogEntry = Sim['log'][number];

/** A suite's simulator and n8n, and what its tests ask of them. */
export interface Suite {
	readonly sim: Sim;
	readonly stack: Stack;
	readonly q: ReturnType<typeof simQueries>;
	/** refresh_token grants since the simulator's stats were last reset. */
	refreshGrants(): number;
	/** Token requests the simulator refused. */
	tokenFailures(): LogEntry[];
	/** What the node wrote after log entry `seq` (token requests aside). */
	writesSince(seq: number): LogEntry[];
	/** The refresh token n8n stored changed since the last look and was never seen before. */
	expectRotatedTokenStored(): Promise<void>;
}

/**
 * The e2e suites' set-up: before the tests, `before` (what the workflows talk to besides Visma),
 * a simulator (test/support/simulator.ts, seed 'default') and one n8n stack with the package
 * behind a credential connected to it (`stack` gives its workflows and the rest of its options);
 * after them, the simulator's log in the suite's folder, then the stack, the simulator and
 * `after` are stopped.
 */
export function useStack(
	name: string,
	setup: {
		simulator?: SimOptions;
		before?: () => Promise<void>;
		stack: () => Omit<StackOptions, 'rt' | 'tarball' | 'workDir' | 'sim' | 'log'>;
		after?: () => Promise<void>;
		timeoutMs?: number;
	},
): Suite {
	let sim: Sim | undefined;
	let stack: Stack | undefined;
	let q: ReturnType<typeof simQueries> | undefined;
	const seenRefreshTokens = new Set<string>();

	beforeAll(
		async () => {
			await setup.before?.();
			const { rt, tarball } = e2eContext();
			sim = await startTestSimulator(setup.simulator);
			q = simQueries(sim);
			stack = await startStack({
				rt,
				tarball,
				workDir: suiteDir(name),
				sim,
				log: progress,
				...setup.stack(),
			});
			seenRefreshTokens.add(String(stack.credential.data.oauthTokenData.refresh_token));
		},
		setup.timeoutMs ?? 5 * 60 * 1000,
	);

	afterAll(async () => {
		if (sim) writeJson(`${stack?.workDir ?? suiteDir(name)}/simulator-log.json`, sim.log);
		await stack?.stop();
		await sim?.close();
		await setup.after?.();
	});

	const started = <T>(what: T | undefined): T => {
		if (what === undefined) throw new Error(`The ${name} suite's stack did not start`);
		return what;
	};
	const suite: Suite = {
		get sim() {
			return started(sim);
		},
		get stack() {
			return started(stack);
		},
		get q() {
			return started(q);
		},
		refreshGrants: () => suite.sim.stats().tokenGrants.refresh_token,
		tokenFailures: () =>
			suite.sim.log.filter((e) => e.endpoint === 'connect/token' && e.status !== 200),
		writesSince: (seq) =>
			suite.q
				.logSince(seq)
				.filter(
					(e: { method: string; endpoint: string }) =>
						e.method !== 'GET' && e.endpoint !== 'connect/token',
				),
		async expectRotatedTokenStored() {
			const stored = await suite.stack.readCredential();
			const refresh = stored.oauthTokenData.refresh_token as string;
			expect(typeof refresh).toBe('string');
			expect(seenRefreshTokens.has(refresh)).toBe(false);
			seenRefreshTokens.add(refresh);
		},
	};
	return suite;
}

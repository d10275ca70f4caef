import { afterAll, beforeAll, beforeEach } from '@jest/globals';

import type { OAuthTokenData } from '../../dev/harness/credentials';
import { StoredCredential } from '../../dev/harness/credentials';
import { SEED_IDS, startSimulator } from '../../dev/simulator';
import { DEFAULT_RULES } from '../../dev/simulator/rules';

/*
 * The one simulator set-up of the tests (simulator, integration and e2e suites): a simulator
 * started with a seed and options, a credential connected to it, configuration that holds for
 * a while, and the jest hooks that start, reset and close it.
 */

export { SEED_IDS };

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type SimOptions = NonNullable<Parameters<typeof startSimulator>[0]>;
export type Configuration = Parameters<Sim['configure']>[0];

/** What `configure` changes, as the simulator starts without options (dev/simulator/index.js). */
const DEFAULT_CONFIGURATION: Required<Configuration> = {
	latencyMs: 0,
	rateLimit: null,
	faults: null,
	accessTokenTtlSeconds: 3600,
	maxUrlLength: 2048,
	accessTokenFormat: 'jwt',
	redirectUris: null,
	...DEFAULT_RULES,
	refuseFilterOn: [],
	refuseOrderByOn: [],
};

const startedWith = new WeakMap<Sim, SimOptions>();

/** A simulator on a free port, seeded with the 'default' company unless `seed` says otherwise. */
export async function startTestSimulator(options: SimOptions = {}): Promise<Sim> {
	const sim = await startSimulator({ seed: 'default', ...options });
	startedWith.set(sim, options);
	return sim;
}

/** The configuration a simulator started with, for these keys (all of them by default). */
function startConfiguration(sim: Sim, keys = Object.keys(DEFAULT_CONFIGURATION)): Configuration {
	const options = (startedWith.get(sim) ?? {}) as Record<string, unknown>;
	const defaults = DEFAULT_CONFIGURATION as Record<string, unknown>;
	return Object.fromEntries(keys.map((k) => [k, k in options ? options[k] : defaults[k]]));
}

/**
 * Runs `fn` with the simulator configured so (latency, faults, token lifetime, rules), then puts
 * those settings back to what the simulator started with, also when `fn` fails.
 */
export async function whileConfigured<T>(
	sim: Sim,
	configuration: Configuration,
	fn: () => Promise<T>,
): Promise<T> {
	sim.configure(configuration);
	try {
		return await fn();
	} finally {
		sim.configure(startConfiguration(sim, Object.keys(configuration)));
	}
}

/**
 * The simulator as it started: its seed's data, its start configuration, no injected faults,
 * hooks, tokens, stats or log.
 */
export function resetSimulator(sim: Sim): void {
	sim.configure(startConfiguration(sim));
	sim.hooks.beforeHandle = null;
	sim.reset();
}

/**
 * One simulator for the tests of a describe block (or file): started before them, closed after
 * them, and reset (`resetSimulator`) before each test, which then gets it through `ready`.
 */
export function useSimulator(options: SimOptions, ready: (sim: Sim) => void): void {
	let sim: Sim | undefined;
	beforeAll(async () => {
		sim = await startTestSimulator(options);
	});
	afterAll(async () => {
		await sim?.close();
	});
	beforeEach(() => {
		resetSimulator(sim!);
		ready(sim!);
	});
}

/**
 * Tokens the simulator issues, as n8n stores them in a credential (default scopes: ea:api
 * offline_access ea:sales; `companyId`: another company than the selected one).
 */
export const storedTokens = (
	sim: Sim,
	grant: { scopes?: string[]; companyId?: string } = {},
): OAuthTokenData => ({ ...sim.issueTokens(grant), token_type: 'Bearer' }) as OAuthTokenData;

/** A credential connected to the simulator, the way a user's n8n holds it (Custom environment). */
export const credentialFor = (sim: Sim, grant: { scopes?: string[] } = {}): StoredCredential =>
	new StoredCredential({
		environment: 'custom',
		identityUrl: sim.url,
		apiUrl: sim.url,
		clientId: 'sim-client',
		clientSecret: 'sim-secret',
		oauthTokenData: storedTokens(sim, grant),
	});

/**
 * A draft made in eAccounting directly, not by the node: one row of carpentry, 1 at 650 (`row`
 * changes it), and `fields` on the draft. Returns Visma's answer.
 */
export function handMadeDraft(
	sim: Sim,
	CustomerId: string,
	fields: Record<string, unknown> = {},
	row: Record<string, unknown> = {},
): Record<string, unknown> {
	return ok(
		sim.api('POST', '/v2/customerinvoicedrafts', {
			CustomerId,
			EuThirdParty: false,
			RotReducedInvoicingType: 0,
			Rows: [
				{
					IsTextRow: false,
					ReversedConstructionServicesVatFree: false,
					ArticleId: SEED_IDS.articles.snickare,
					Quantity: 1,
					UnitPrice: 650,
					...row,
				},
			],
			...fields,
		}),
	);
}

/** The body of an in-process simulator answer (`sim.api`) with this status, else an error. */
export function ok(
	result: { status: number; body: Record<string, unknown> },
	status = 201,
): Record<string, unknown> {
	if (result.status !== status)
		throw new Error(`simulator answered ${result.status}: ${JSON.stringify(result.body)}`);
	return result.body;
}

/** Sequence number of the simulator's last logged request: a mark to look after. */
export const lastSeq = (sim: Sim): number => sim.log.at(-1)?.seq ?? 0;

import { describe, expect, it } from '@jest/globals';

import { sampleApproval } from '../../dev/stack/examples';
import { missingQueueDeps } from '../../dev/stack/services';
import { progress } from './support/context';
import { approvalsFor, approvalsThroughFaults } from './support/faultedBurst';
import { CHOSEN_DEFAULTS, example } from './support/flows';
import { useStack } from './support/suite';

/*
 * n8n in queue mode: one main process receives the webhooks and puts them on a Redis (BullMQ)
 * queue, two worker processes run them. PostgreSQL holds the shared database (n8n's supported
 * database for queue mode; see test/e2e/README.md for why not SQLite). 50 approvals with
 * distinct invoice numbers arrive at once, over an expired access token.
 */

const SUITE = 'queue';

const ONE_STEP = example('approval-webhook-export-invoice.json');
const APPROVALS = 50;
/** Five existing customers and five new ones, five invoices each. */
const CUSTOMERS = ['1010', '1011', '1012', '1013', '1014', '3001', '3002', '3003', '3004', '3005'];

describe('queue mode: main + 2 workers (Redis, PostgreSQL)', () => {
	const suite = useStack(SUITE, {
		before: async () => {
			const missing = missingQueueDeps();
			if (missing.length)
				throw new Error(
					`Queue mode needs: ${missing.join('; ')}. Or run dev/stack/setup-runtime.sh as root, which installs them.`,
				);
		},
		simulator: { latencyMs: 10 },
		stack: () => ({
			workflows: [ONE_STEP],
			queue: { workers: 2, concurrency: 10 },
			db: 'postgres',
		}),
		timeoutMs: 6 * 60 * 1000,
	});

	it(`${APPROVALS} simultaneous approvals: each exported exactly once, on the workers, with one token refresh`, async () => {
		const { sim, stack, q } = suite;
		sim.resetStats();
		const draftsBefore = sim.list('customerinvoicedrafts').length;
		const approvals = approvalsFor('Q-2026', APPROVALS, CUSTOMERS);
		const started = Date.now();
		const responses = await Promise.all(approvals.map((a) => stack.webhook('visma/export', a)));
		const seconds = (Date.now() - started) / 1000;
		progress(`[e2e] queue mode: ${APPROVALS} approvals answered in ${seconds.toFixed(1)} s`);

		expect(responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual(
			[],
		);
		expect(responses.map((r) => r.body.outcome)).toEqual(Array(APPROVALS).fill('created'));

		// Exactly one draft per invoice number, and no draft created then removed.
		for (const a of approvals) expect(q.draftsWithReference(a.invoiceNumber)).toHaveLength(1);
		expect(sim.list('customerinvoicedrafts').length - draftsBefore).toBe(APPROVALS);
		expect(sim.stats().byEndpoint['POST customerinvoicedrafts']).toBe(APPROVALS);
		for (const number of CUSTOMERS) expect(q.customersNumbered(number)).toHaveLength(1);
		// The default article, unit and coding left empty as the example ships, was created once
		// (a worker that lost the race found it), with the unit and coding the node chose.
		expect(q.articlesNumbered('DEFAULT')).toEqual([
			expect.objectContaining({
				UnitId: CHOSEN_DEFAULTS.unit.Id,
				CodingId: CHOSEN_DEFAULTS.accountCoding.Id,
			}),
		]);
		const articleReports = responses.map((r) => r.body.defaultArticle);
		expect(articleReports.filter((a) => a.outcome === 'created')).toEqual([
			expect.objectContaining({ Number: 'DEFAULT', chosenAutomatically: CHOSEN_DEFAULTS }),
		]);
		for (const a of articleReports.filter((r) => r.outcome !== 'created')) {
			expect(a).toMatchObject({ Number: 'DEFAULT', outcome: 'found' });
			expect(a).not.toHaveProperty('chosenAutomatically');
		}

		// Token: the refresh is coordinated across processes (Redis lease in n8n >= 2.30).
		const grants = suite.refreshGrants();
		const tokenFailures = suite.tokenFailures();
		progress(
			`[e2e] queue mode: ${grants} refresh_token grant(s), ${tokenFailures.length} failed token request(s)`,
		);
		expect(tokenFailures).toEqual([]);
		expect(grants).toBe(1);

		// The executions ran on the workers, and both workers took part.
		const executions = await stack.waitForExecutions(ONE_STEP.id, APPROVALS);
		expect(executions.filter((e) => e.status === 'success')).toHaveLength(APPROVALS);
		const perWorker = stack.workers.map(
			(w) => (w.log().match(/Worker finished execution \d+/g) ?? []).length,
		);
		progress(`[e2e] queue mode: executions per worker ${perWorker.join(' + ')}`);
		expect(perWorker.reduce((a, b) => a + b, 0)).toBe(APPROVALS);
		for (const n of perWorker) expect(n).toBeGreaterThan(0);
		expect(stack.main.log()).not.toMatch(/Worker (started|finished) execution/);
	});

	it(`${APPROVALS} approvals through 10 % faults of each kind: every one exported once and answered 200, nothing deleted that the node did not make`, async () => {
		// Five customers that exist by now and five new ones (their creation meets faults too).
		await approvalsThroughFaults('queue mode with faults', suite, {
			prefix: 'QF-2026',
			count: APPROVALS,
			groupSize: APPROVALS,
			customers: [...CUSTOMERS.slice(0, 5), '4001', '4002', '4003', '4004', '4005'],
			seed: 17,
		});
	});

	it('the rotated refresh token is stored in PostgreSQL and survives the next expiry', async () => {
		const { sim, stack } = suite;
		const stored = await stack.readCredential();
		expect(stored.oauthTokenData.refresh_token).not.toBe(
			stack.credential.data.oauthTokenData.refresh_token,
		);
		sim.expireAccessTokens();
		sim.resetStats();
		const res = await stack.webhook('visma/export', sampleApproval('Q-2026-0051'));
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('created');
		expect(suite.refreshGrants()).toBe(1);
		expect(suite.tokenFailures()).toEqual([]);
		const after = await stack.readCredential();
		expect(after.oauthTokenData.refresh_token).not.toBe(stored.oauthTokenData.refresh_token);
	});
});

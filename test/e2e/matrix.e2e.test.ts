import { describe, expect, it } from '@jest/globals';
import { sleep } from 'n8n-workflow';

import { sampleApproval } from '../../dev/stack/examples';
import { whileConfigured } from '../support/simulator';
import { approvalCases, approvalWorkflows } from './support/approvalCases';
import { e2eContext } from './support/context';
import { CHOSEN_DEFAULTS, nodeOutput } from './support/flows';
import { useStack } from './support/suite';

/*
 * The version-matrix suite: `npm run test:e2e:matrix` runs it once per n8n version (the pinned
 * 2.39.10, the newest 1.x and the newest 2.x; see test/e2e/support/versions.js), each in its own
 * runtime with the Node major that version needs. It runs the approval-to-draft cases of
 * approval.e2e.test.ts (support/approvalCases.ts) on the unchanged example workflows, plus
 * token refreshes under load: one real n8n (`n8n start`, SQLite), the package installed as a
 * community package, a credential whose access token has expired.
 */

const SUITE = 'matrix';

type Json = Record<string, unknown>;

const FLOWS = approvalWorkflows(SUITE);

const { rt } = e2eContext();

describe(`approval to draft on n8n ${rt.version} (Node ${rt.nodeVersion})`, () => {
	const suite = useStack(SUITE, {
		stack: () => ({
			workflows: [FLOWS.fourNode, FLOWS.oneStep, FLOWS.form, FLOWS.csv, FLOWS.daily],
			filesDir: FLOWS.filesDir,
		}),
	});
	const cases = approvalCases(suite, FLOWS, { prefix: 'MTX-2026', formPrefix: 'MTX-FORM' });

	/**
	 * Sends eight approvals at once (half to each webhook flow) while the simulator answers
	 * every call 300 ms late, so that their first calls overlap however busy the machine is.
	 */
	async function sendInParallel(approvals: ReturnType<typeof sampleApproval>[]) {
		return await whileConfigured(
			suite.sim,
			{ latencyMs: 300 },
			async () =>
				await Promise.all(
					approvals.map((a, i) =>
						suite.stack.webhook(i % 2 ? 'visma/export' : 'visma/approval', a),
					),
				),
		);
	}

	/**
	 * Eight approvals for one new customer, sent at once, half of them to each webhook flow: each
	 * exported once, the customer created once, with one token refresh, whose rotated refresh
	 * token n8n stored.
	 */
	async function parallelApprovalsNeedOneRefresh(prefix: string, customerNumber: string) {
		const { q } = suite;
		const approvals = Array.from({ length: 8 }, (_, i) =>
			sampleApproval(`${prefix}-${String(i + 1).padStart(4, '0')}`, {
				customer: {
					number: customerNumber,
					name: `Parallell Kund ${customerNumber} AB`,
					postalCode: '941 33',
					city: 'Piteå',
				},
			}),
		);
		const results = await sendInParallel(approvals);
		expect(results.map((r) => r.status)).toEqual(Array(approvals.length).fill(200));
		for (const a of approvals) expect(q.draftsWithReference(a.invoiceNumber)).toHaveLength(1);
		expect(q.customersNumbered(customerNumber)).toHaveLength(1);
		expect(suite.refreshGrants()).toBe(1);
		expect(suite.tokenFailures()).toEqual([]);
		await suite.expectRotatedTokenStored();
	}

	it('tokens: 8 parallel approvals as the first calls, over an expired token, need one refresh', async () => {
		// The credential was imported with an expired access token and n8n has not called Visma
		// yet: the "token expired overnight" case. n8n >= 2.30 serialises the refresh itself; on
		// older n8n the node's warm-up guard (transport/warmup.ts) lets only the first call through.
		suite.sim.resetStats();
		await parallelApprovalsNeedOneRefresh('MTX-COLD', '2009');
	});

	it('first export into a company without the default article: created once, unit and coding chosen automatically', async () => {
		const { stack, q } = suite;
		// The eight approvals above were the company's first exports, through both flows, with the
		// default article's unit and coding left empty as the examples ship. Exactly one of them
		// created DEFAULT (pieces unit, goods 25 %) and says what it chose; the others found it.
		expect(q.articlesNumbered('DEFAULT')).toEqual([
			expect.objectContaining({
				Name: 'Other',
				UnitId: CHOSEN_DEFAULTS.unit.Id,
				CodingId: CHOSEN_DEFAULTS.accountCoding.Id,
			}),
		]);
		/** What each execution of a flow's node said about the default article. */
		const reportsOf = async (workflowId: string, node: string, pick: (json: Json) => Json) => {
			const executions = await stack.waitForExecutions(workflowId, 4);
			expect(executions).toHaveLength(4);
			const out: Json[] = [];
			for (const e of executions)
				out.push(...nodeOutput(await stack.api.execution(String(e.id)), node).map(pick));
			return out;
		};
		const reports = [
			...(await reportsOf(FLOWS.fourNode.id, 'Ensure Default Article', (json) => json)),
			...(await reportsOf(
				FLOWS.oneStep.id,
				'Export Invoice as Draft',
				(json) => json.defaultArticle as Json,
			)),
		];
		expect(reports).toHaveLength(8);
		expect(reports.filter((r) => r.outcome === 'created')).toEqual([
			expect.objectContaining({ Number: 'DEFAULT', chosenAutomatically: CHOSEN_DEFAULTS }),
		]);
		for (const r of reports.filter((a) => a.outcome !== 'created')) {
			expect(r).toMatchObject({ Number: 'DEFAULT', outcome: 'found' });
			expect(r).not.toHaveProperty('chosenAutomatically');
		}
	});

	cases.fourNodeFirstApproval('found');

	cases.fourNodeResend();

	cases.oneStep();

	cases.afterExpiry('visma/export');

	cases.invalidFourNode();

	cases.invalidOneStep();

	cases.form();

	cases.csvImport();

	cases.dailyExport();

	it('tokens: when the access token runs out while approvals keep arriving, 8 parallel approvals need one refresh', async () => {
		const { sim, stack } = suite;
		// Visma's access tokens live an hour. Here they live 12 s: a refresh issues a fresh token,
		// approvals keep the credential busy until shortly before it runs out, then eight arrive
		// at once just after. Only a refresh that is single-flight per credential (n8n >= 2.30
		// does this itself) spends the rotated refresh token exactly once.
		const ttlSeconds = 12;
		const customer = {
			number: '2011',
			name: 'Skellefteå Tak AB',
			postalCode: '931 30',
			city: 'Skellefteå',
		};
		await whileConfigured(sim, { accessTokenTtlSeconds: ttlSeconds }, async () => {
			sim.expireAccessTokens();
			sim.resetStats();
			const first = await stack.webhook(
				'visma/export',
				sampleApproval('MTX-TTL-0000', { customer }),
			);
			const issuedBefore = Date.now();
			expect(first.status).toBe(200);
			expect(suite.refreshGrants()).toBe(1);
			await suite.expectRotatedTokenStored();

			let n = 0;
			while (Date.now() < issuedBefore + (ttlSeconds - 4) * 1000) {
				const busy = await stack.webhook(
					n % 2 ? 'visma/export' : 'visma/approval',
					sampleApproval(`MTX-TTL-${String(++n).padStart(4, '0')}`, { customer }),
				);
				expect(busy.status).toBe(200);
				await sleep(1000);
			}
			await sleep(Math.max(0, issuedBefore + (ttlSeconds + 1) * 1000 - Date.now()));
			expect(suite.refreshGrants()).toBe(1);

			sim.resetStats();
			await parallelApprovalsNeedOneRefresh('MTX-WARM', '2010');
		});
	});
});

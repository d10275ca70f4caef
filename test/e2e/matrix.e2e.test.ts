import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sleep } from 'n8n-workflow';

import { sampleApproval } from '../../dev/stack/examples';
import { startStack } from '../../dev/stack/stack';
import { startSimulator } from '../../dev/simulator';
import { e2eContext, progress, suiteDir, writeJson } from './support/context';
import {
	CHOSEN_DEFAULTS,
	example,
	examplePath,
	nodeOutput,
	readSpreadsheets,
	simQueries,
} from './support/flows';

/*
 * The version-matrix suite: `npm run test:e2e:matrix` runs it once per n8n version (the pinned
 * 2.39.10, the newest 1.x and the newest 2.x; see test/e2e/support/versions.js), each in its own
 * runtime with the Node major that version needs. It is the approval-to-draft core of
 * approval.e2e.test.ts on the unchanged example workflows: one real n8n (`n8n start`, SQLite),
 * the package installed as a community package, a credential whose access token has expired.
 */

const SUITE = 'matrix';

type Stack = Awaited<ReturnType<typeof startStack>>;
type Json = Record<string, unknown>;
type Sim = Awaited<ReturnType<typeof startSimulator>>;
interface DraftRow {
	ArticleNumber: string | null;
	Text: string;
	Quantity: number;
	UnitPrice: number;
	IsTextRow: boolean;
}

const FOUR_NODE = example('approval-webhook-to-draft.json');
const ONE_STEP = example('approval-webhook-export-invoice.json');
const FORM = example('approval-form-to-draft.json');
const FILES_DIR = `${suiteDir(SUITE)}/files`;
const CSV = example('import-customers-articles-csv.json');
const DAILY = example('daily-invoice-export.json', FILES_DIR);

const INVALID_ROWS = [
	{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 },
	{ articleNumber: 'A110', text: 'Gipsskiva', quantity: 'two', unitPrice: 89 },
];
const INVALID_MESSAGE = /^Row 2: Quantity .*\[item 0\]$/;

const { rt } = e2eContext();

describe(`approval to draft on n8n ${rt.version} (Node ${rt.nodeVersion})`, () => {
	let sim: Sim;
	let stack: Stack;
	let q: ReturnType<typeof simQueries>;
	const seenRefreshTokens = new Set<string>();

	const refreshGrants = () => sim.stats().tokenGrants.refresh_token;
	const tokenFailures = () =>
		sim.log.filter((e) => e.endpoint === 'connect/token' && e.status !== 200);
	const writesSince = (seq: number) =>
		q
			.logSince(seq)
			.filter(
				(e: { method: string; endpoint: string }) =>
					e.method !== 'GET' && e.endpoint !== 'connect/token',
			);

	/**
	 * Sends eight approvals at once (half to each webhook flow) while the simulator answers
	 * every call 300 ms late, so that their first calls overlap however busy the machine is.
	 */
	async function sendInParallel(approvals: ReturnType<typeof sampleApproval>[]) {
		sim.configure({ latencyMs: 300 });
		try {
			return await Promise.all(
				approvals.map((a, i) => stack.webhook(i % 2 ? 'visma/export' : 'visma/approval', a)),
			);
		} finally {
			sim.configure({ latencyMs: 0 });
		}
	}

	/** Eight approvals for one customer, half of them sent to each webhook flow. */
	const parallelApprovals = (prefix: string, customerNumber: string) =>
		Array.from({ length: 8 }, (_, i) =>
			sampleApproval(`${prefix}-${String(i + 1).padStart(4, '0')}`, {
				customer: {
					number: customerNumber,
					name: `Parallell Kund ${customerNumber} AB`,
					postalCode: '941 33',
					city: 'Piteå',
				},
			}),
		);

	/** The stored refresh token changed since last time and was never seen before. */
	async function expectRotatedTokenStored() {
		const stored = await stack.readCredential();
		const refresh = stored.oauthTokenData.refresh_token as string;
		expect(typeof refresh).toBe('string');
		expect(seenRefreshTokens.has(refresh)).toBe(false);
		seenRefreshTokens.add(refresh);
	}

	beforeAll(
		async () => {
			const { tarball } = e2eContext();
			sim = await startSimulator({ seed: 'default' });
			q = simQueries(sim);
			stack = await startStack({
				rt,
				tarball,
				workDir: suiteDir(SUITE),
				sim,
				workflows: [FOUR_NODE, ONE_STEP, FORM, CSV, DAILY],
				filesDir: FILES_DIR,
				log: progress,
			});
			seenRefreshTokens.add(String(stack.credential.data.oauthTokenData.refresh_token));
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		if (sim) writeJson(`${stack?.workDir ?? suiteDir(SUITE)}/simulator-log.json`, sim.log);
		await stack?.stop();
		await sim?.close();
	});

	it('tokens: 8 parallel approvals as the first calls, over an expired token, need one refresh', async () => {
		// The credential was imported with an expired access token and n8n has not called Visma
		// yet: the "token expired overnight" case. n8n >= 2.30 serialises the refresh itself; on
		// older n8n the node's warm-up guard (transport/warmup.ts) lets only the first call through.
		sim.resetStats();
		const approvals = parallelApprovals('MTX-COLD', '2009');
		const results = await sendInParallel(approvals);
		expect(results.map((r) => r.status)).toEqual(Array(approvals.length).fill(200));
		for (const a of approvals) expect(q.draftsWithReference(a.invoiceNumber)).toHaveLength(1);
		expect(q.customersNumbered('2009')).toHaveLength(1);
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();
	});

	it('first export into a company without the default article: created once, unit and coding chosen automatically', async () => {
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
			...(await reportsOf(FOUR_NODE.id, 'Ensure Default Article', (json) => json)),
			...(await reportsOf(
				ONE_STEP.id,
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

	it('four nodes: the first approval for a new customer creates customer and draft (default article found), after one token refresh', async () => {
		sim.expireAccessTokens();
		sim.resetStats();
		const res = await stack.webhook('visma/approval', sampleApproval('MTX-2026-0001'));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			outcome: 'created',
			ContractNumber: 'MTX-2026-0001',
			YourReference: 'Anna Holm',
		});
		expect(res.body.articleMatches).toEqual([
			expect.objectContaining({
				row: 1,
				articleNumber: 'A100',
				match: 'article',
				usedArticleNumber: 'A100',
			}),
			expect.objectContaining({
				row: 2,
				articleNumber: 'RESA',
				match: 'default',
				usedArticleNumber: 'DEFAULT',
			}),
			expect.objectContaining({ row: 3, match: 'text' }),
		]);
		expect(q.customersNumbered('2001')).toHaveLength(1);
		const drafts = q.draftsWithReference('MTX-2026-0001');
		expect(drafts).toHaveLength(1);
		expect(drafts[0].CustomerId).toBe(q.customersNumbered('2001')[0].Id);
		expect(
			drafts[0].Rows.map((r: DraftRow) => [
				r.ArticleNumber,
				r.Text,
				r.Quantity,
				r.UnitPrice,
				r.IsTextRow,
			]),
		).toEqual([
			['A100', 'Snickeri, vecka 47', 16, 650, false],
			['DEFAULT', 'Resekostnad Umeå–Fjällbacka', 1, 420, false],
			[null, 'Enligt offert 2031.', 0, 0, true],
		]);
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();
	});

	it('four nodes: re-sending the same approval returns the existing draft and writes nothing', async () => {
		const seq = q.lastSeq();
		const res = await stack.webhook('visma/approval', sampleApproval('MTX-2026-0001'));
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('existingDraft');
		expect(q.draftsWithReference('MTX-2026-0001')).toHaveLength(1);
		expect(q.customersNumbered('2001')).toHaveLength(1);
		expect(writesSince(seq)).toEqual([]);
	});

	it('one step: Export Invoice as Draft creates the draft; a re-delivery returns existingDraft and writes nothing', async () => {
		const approval = sampleApproval('MTX-2026-0002', {
			customer: {
				number: '2002',
				name: 'Tornedalens Bygg AB',
				address1: 'Storgatan 9',
				postalCode: '953 31',
				city: 'Haparanda',
			},
		});
		const res = await stack.webhook('visma/export', approval);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			outcome: 'created',
			ContractNumber: 'MTX-2026-0002',
			customer: { CustomerNumber: '2002', outcome: 'created' },
			defaultArticle: { Number: 'DEFAULT', outcome: 'found' },
		});
		expect(q.customersNumbered('2002')).toHaveLength(1);
		expect(q.draftsWithReference('MTX-2026-0002')).toHaveLength(1);

		const seq = q.lastSeq();
		const again = await stack.webhook('visma/export', approval);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ outcome: 'existingDraft', customer: { outcome: 'found' } });
		expect(q.draftsWithReference('MTX-2026-0002')).toHaveLength(1);
		expect(writesSince(seq)).toEqual([]);
	});

	it('after the access token expires again, n8n refreshes with the rotated refresh token it stored', async () => {
		sim.expireAccessTokens();
		sim.resetStats();
		const res = await stack.webhook('visma/export', sampleApproval('MTX-2026-0003'));
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('created');
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();
	});

	it('an invalid invoice stops the four-node flow with an error naming the field and the item', async () => {
		const seq = q.lastSeq();
		const before = await stack.lastExecutionId(FOUR_NODE.id);
		const res = await stack.webhook(
			'visma/approval',
			sampleApproval('MTX-2026-0004', { rows: INVALID_ROWS }),
		);
		expect(res.status).toBe(500);
		const execution = await stack.nextExecution(FOUR_NODE.id, before);
		expect(execution.status).toBe('error');
		const error = execution.data.resultData.error;
		expect(error.message).toMatch(INVALID_MESSAGE);
		expect(error.node.name).toBe('Create Draft Invoice');
		expect(q.draftsWithReference('MTX-2026-0004')).toHaveLength(0);
		expect(writesSince(seq)).toEqual([]);
	});

	it('one step with "Continue (using error output)": an invalid invoice answers HTTP 422 and writes nothing', async () => {
		const seq = q.lastSeq();
		const res = await stack.webhook(
			'visma/export',
			sampleApproval('MTX-2026-0004', {
				customer: { number: '2003', name: 'Kalix Måleri AB', postalCode: '952 31', city: 'Kalix' },
				rows: INVALID_ROWS,
			}),
		);
		expect(res.status).toBe(422);
		expect(res.body.error).toMatch(INVALID_MESSAGE);
		expect(q.customersNumbered('2003')).toHaveLength(0);
		expect(writesSince(seq)).toEqual([]);
	});

	it('form: submitting the approval form creates the draft once', async () => {
		const values = {
			'Invoice number': 'MTX-FORM-0001',
			'Customer number': '2004',
			'Customer name': 'Luleå Ventilation AB',
			Address: 'Skeppsbrogatan 12',
			'Postal code': '972 38',
			City: 'Luleå',
			Email: 'ekonomi@luleaventilation.se',
			'Article number': 'A101',
			Description: 'Elarbete, servicebesök',
			Quantity: 3,
			'Unit price (excl. VAT)': 695,
		};
		const res = await stack.submitForm(FORM, 'Approval Form', values);
		expect(res.status).toBe(200);
		const drafts = q.draftsWithReference('MTX-FORM-0001');
		expect(drafts).toHaveLength(1);
		expect(
			drafts[0].Rows.map((r: DraftRow) => [r.ArticleNumber, r.Text, r.Quantity, r.UnitPrice]),
		).toEqual([['A101', 'Elarbete, servicebesök', 3, 695]]);
		const again = await stack.submitForm(FORM, 'Approval Form', values);
		expect(again.status).toBe(200);
		expect(q.draftsWithReference('MTX-FORM-0001')).toHaveLength(1);
	});

	it('CSV import form (Extract from File): customers and articles by number; importing again changes nothing', async () => {
		const importFile = async (kind: 'Customers' | 'Articles', file: string, node: string) => {
			const before = await stack.lastExecutionId(CSV.id);
			const res = await stack.submitForm(CSV, 'CSV Upload', {
				'File contains': kind,
				'CSV file': { file: examplePath(file) },
			});
			expect(res.status).toBe(200);
			const execution = await stack.nextExecution(CSV.id, before);
			expect(execution.status).toBe('success');
			return execution.data.resultData.runData[node][0].data.main[0].map(
				(i: { json: Json }) => i.json,
			);
		};
		const customers = await importFile(
			'Customers',
			'csv/customers.csv',
			'Create or Update Customers',
		);
		expect(customers.map((c: Json) => [c.CustomerNumber, c.outcome])).toEqual([
			['5001', 'created'],
			['5002', 'created'],
			['1001', 'updated'],
		]);
		const articles = await importFile('Articles', 'csv/articles.csv', 'Create or Update Articles');
		expect(articles.map((a: Json) => [a.Number, a.outcome])).toEqual([
			['B200', 'created'],
			['B210', 'created'],
			['A100', 'updated'],
		]);
		const seq = q.lastSeq();
		const again = await importFile('Customers', 'csv/customers.csv', 'Create or Update Customers');
		expect(again.map((r: Json) => r.outcome)).toEqual(Array(3).fill('unchanged'));
		expect(writesSince(seq)).toEqual([]);
	});

	it('daily export (one `n8n execute` run, Convert to File): the invoice booked since yesterday goes into an .xlsx file', async () => {
		const draft = q.draftsWithReference('MTX-2026-0001')[0];
		const booked = sim.api('POST', `/customerinvoicedrafts/${draft.Id}/convert`);
		expect(booked.status).toBeLessThan(300);
		const run = await stack.executeCli(DAILY.id);
		expect(run.code).toBe(0);
		expect(run.execution.status).toBe('success');
		const files = readSpreadsheets(FILES_DIR, /^visma-invoices-\d{4}-\d{2}-\d{2}\.xlsx$/);
		expect(files).toHaveLength(1);
		const rows = files[0].sheets.Invoices;
		expect(rows.map((r: Json) => r.InvoiceNumber)).toEqual([booked.body.InvoiceNumber]);
		expect(rows[0]).toMatchObject({
			CustomerName: 'Fjällbacka Fastigheter AB',
			TotalAmount: booked.body.TotalAmount,
		});
	});

	it('tokens: when the access token runs out while approvals keep arriving, 8 parallel approvals need one refresh', async () => {
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
		sim.configure({ accessTokenTtlSeconds: ttlSeconds });
		try {
			sim.expireAccessTokens();
			sim.resetStats();
			const first = await stack.webhook(
				'visma/export',
				sampleApproval('MTX-TTL-0000', { customer }),
			);
			const issuedBefore = Date.now();
			expect(first.status).toBe(200);
			expect(refreshGrants()).toBe(1);
			await expectRotatedTokenStored();

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
			expect(refreshGrants()).toBe(1);

			sim.resetStats();
			const approvals = parallelApprovals('MTX-WARM', '2010');
			const results = await sendInParallel(approvals);
			expect(results.map((r) => r.status)).toEqual(Array(approvals.length).fill(200));
			for (const a of approvals) expect(q.draftsWithReference(a.invoiceNumber)).toHaveLength(1);
			expect(q.customersNumbered('2010')).toHaveLength(1);
			expect(refreshGrants()).toBe(1);
			expect(tokenFailures()).toEqual([]);
			await expectRotatedTokenStored();
		} finally {
			sim.configure({ accessTokenTtlSeconds: 3600 });
		}
	});
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
	adaptExample,
	isActivatable,
	readExample,
	sampleApproval,
	tradesApprovals,
} from '../../dev/stack/examples';
import { startReceiver } from '../../dev/stack/receiver';
import { startStack } from '../../dev/stack/stack';
import { SEED_IDS, startSimulator } from '../../dev/simulator';
import { e2eContext, progress, readFileBase64, suiteDir, writeJson } from './support/context';
import { approvalsThroughFaults } from './support/faultedBurst';
import {
	CHOSEN_DEFAULTS,
	afterDraftWorkflows,
	batchExportWorkflow,
	example,
	examplePath,
	nodeOutput,
	readSpreadsheets,
	simQueries,
} from './support/flows';

/*
 * One real n8n (`n8n start`, SQLite) with this package installed as a community package, the
 * example workflows imported and active, and the Visma simulator behind a Custom-environment
 * credential whose access token has expired. Every request goes through n8n's webhook/form
 * endpoints, exactly as an approving system or a person would send it.
 */

const SUITE = 'approval';

type Stack = Awaited<ReturnType<typeof startStack>>;
type Json = Record<string, unknown>;
interface DraftRow {
	ArticleNumber: string | null;
	Text: string;
	Quantity: number;
	UnitPrice: number;
	IsTextRow: boolean;
}
type Sim = Awaited<ReturnType<typeof startSimulator>>;

const FILES_DIR = `${suiteDir(SUITE)}/files`;
const FOUR_NODE = example('approval-webhook-to-draft.json');
const ONE_STEP = example('approval-webhook-export-invoice.json');
const FORM = example('approval-form-to-draft.json');
const CSV = example('import-customers-articles-csv.json');
const DAILY = example('daily-invoice-export.json', FILES_DIR);
const BATCH = batchExportWorkflow('e2eBatchExport', 'e2e/batch');
const AFTER = afterDraftWorkflows();
const WORK_REPORT = examplePath('files/work-report.pdf');
const PAID_ID = 'vismaInvoicePaidNotify';
const SEED_BANK_ACCOUNT = SEED_IDS.bankAccounts.foretagskonto;

const INVALID_ROWS = [
	{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 },
	{ articleNumber: 'A110', text: 'Gipsskiva', quantity: 'two', unitPrice: 89 },
];
const INVALID_MESSAGE = /^Row 2: Quantity .*\[item 0\]$/;

describe('approvals in a real n8n (webhook, form, one and four nodes)', () => {
	let sim: Sim;
	let stack: Stack;
	let sourceApp: Awaited<ReturnType<typeof startReceiver>>;
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

	/** The stored refresh token changed since last time and was never seen before. */
	async function expectRotatedTokenStored() {
		const stored = await stack.readCredential();
		const refresh = stored.oauthTokenData.refresh_token as string;
		expect(typeof refresh).toBe('string');
		expect(seenRefreshTokens.has(refresh)).toBe(false);
		seenRefreshTokens.add(refresh);
		return stored;
	}

	beforeAll(
		async () => {
			const { rt, tarball } = e2eContext();
			sim = await startSimulator({ seed: 'default' });
			q = simQueries(sim);
			// The source app the Invoice Paid example tells.
			sourceApp = await startReceiver();
			const paid = adaptExample(readExample('invoice-paid-notify-source.json'), {
				sourceAppUrl: sourceApp.url,
			});
			const workflows = [
				FOUR_NODE,
				ONE_STEP,
				FORM,
				CSV,
				DAILY,
				BATCH,
				paid,
				AFTER.pay,
				AFTER.send,
				AFTER.attach,
			];
			stack = await startStack({
				rt,
				tarball,
				workDir: suiteDir(SUITE),
				sim,
				workflows,
				// Invoice Paid is activated by its own test: its first poll would refresh the expired
				// token that the first approval test expects to refresh.
				activate: workflows
					.filter((wf) => isActivatable(wf) && wf.id !== PAID_ID)
					.map((wf) => wf.id),
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
		await sourceApp?.close();
	});

	it("the credential's hidden OAuth URLs follow its environment in n8n, and plain http is refused", async () => {
		const login = await fetch(`${stack.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				emailOrLdapLoginId: stack.owner.email,
				password: stack.owner.password,
			}),
		});
		const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
		/** The authorize URL n8n sends the user to when they press Connect. */
		const authorizeUrl = async (data: Json) => {
			const created = await stack.api.call('POST', '/credentials', {
				name: `authorize ${String(data.environment)}`,
				type: 'vismaEAccountingOAuth2Api',
				data: { clientId: 'my-client', clientSecret: 'my-secret', ...data },
			});
			const res = await fetch(`${stack.url}/rest/oauth2-credential/auth?id=${String(created.id)}`, {
				headers: { cookie },
			});
			expect(res.status).toBe(200);
			return new URL(((await res.json()) as { data: string }).data);
		};
		const company = 'service:44643EB1-3F76-4C1C-A672-402AE8085934';

		const production = await authorizeUrl({ environment: 'production' });
		expect(`${production.origin}${production.pathname}`).toBe(
			'https://identity.vismaonline.com/connect/authorize',
		);
		expect(production.searchParams.get('prompt')).toBe('select_account');
		expect(production.searchParams.get('acr_values')).toBe(company);
		expect(production.searchParams.get('scope')).toBe('ea:api offline_access ea:sales');
		expect(production.searchParams.get('response_type')).toBe('code');
		expect(production.searchParams.get('client_id')).toBe('my-client');
		expect(production.searchParams.get('redirect_uri')).toMatch(
			/\/rest\/oauth2-credential\/callback$/,
		);

		const sandbox = await authorizeUrl({ environment: 'sandbox' });
		expect(`${sandbox.origin}${sandbox.pathname}`).toBe(
			'https://identity.vismaonline.com/connect/authorize',
		);
		expect(sandbox.searchParams.get('prompt')).toBeNull();
		expect(sandbox.searchParams.get('acr_values')).toBe(company);

		// Additional Scopes: each well-formed scope once, after the ones the node needs.
		const withVat = await authorizeUrl({
			environment: 'sandbox',
			additionalScopes: 'ea:accounting_readonly, bad$scope ea:api',
		});
		expect(withVat.searchParams.get('scope')).toBe(
			'ea:api offline_access ea:sales ea:accounting_readonly',
		);

		const proxy = await authorizeUrl({
			environment: 'custom',
			identityUrl: 'https://id.example.com/',
			apiUrl: 'https://api.example.com',
		});
		expect(`${proxy.origin}${proxy.pathname}`).toBe('https://id.example.com/connect/authorize');

		const insecure = await authorizeUrl({
			environment: 'custom',
			identityUrl: 'http://id.example.com',
			apiUrl: 'http://api.example.com',
		});
		expect(insecure.hostname).toBe('only-https-or-localhost-http-is-allowed.invalid');
	});

	it('four nodes: the first approval creates customer, default article and draft, after one token refresh', async () => {
		sim.resetStats();
		const before = await stack.lastExecutionId(FOUR_NODE.id);
		const res = await stack.webhook('visma/approval', sampleApproval('APP-2026-0001'));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			outcome: 'created',
			ContractNumber: 'APP-2026-0001',
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
		// The company had no default article and the example leaves its unit and coding empty:
		// Ensure Default Article created it with the pieces unit and the goods 25 % coding, and says so.
		expect(q.articlesNumbered('DEFAULT')).toEqual([
			expect.objectContaining({
				Name: 'Other',
				UnitId: CHOSEN_DEFAULTS.unit.Id,
				CodingId: CHOSEN_DEFAULTS.accountCoding.Id,
			}),
		]);
		const execution = await stack.nextExecution(FOUR_NODE.id, before);
		expect(nodeOutput(execution, 'Ensure Default Article')).toEqual([
			expect.objectContaining({
				Number: 'DEFAULT',
				outcome: 'created',
				chosenAutomatically: CHOSEN_DEFAULTS,
			}),
		]);
		const drafts = q.draftsWithReference('APP-2026-0001');
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

		// The imported access token had expired: n8n got a 401, refreshed once, stored the rotation.
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();
	});

	it('four nodes: re-sending the same approval returns the existing draft and writes nothing', async () => {
		const seq = q.lastSeq();
		const res = await stack.webhook('visma/approval', sampleApproval('APP-2026-0001'));
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('existingDraft');
		expect(q.draftsWithReference('APP-2026-0001')).toHaveLength(1);
		expect(q.customersNumbered('2001')).toHaveLength(1);
		expect(writesSince(seq)).toEqual([]);
	});

	it('after the access token expires again, n8n refreshes with the rotated refresh token it stored', async () => {
		sim.expireAccessTokens();
		sim.resetStats();
		const res = await stack.webhook('visma/approval', sampleApproval('APP-2026-0002'));
		expect(res.status).toBe(200);
		expect(res.body.outcome).toBe('created');
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		expect(q.customersNumbered('2001')).toHaveLength(1);
		expect(q.articlesNumbered('DEFAULT')).toHaveLength(1);
		await expectRotatedTokenStored();
	});

	it('one step: Export Invoice as Draft creates customer and draft, reuses the default article, and is idempotent', async () => {
		const approval = sampleApproval('APP-2026-0003', {
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
			ContractNumber: 'APP-2026-0003',
			customer: { CustomerNumber: '2002', outcome: 'created' },
			defaultArticle: { Number: 'DEFAULT', outcome: 'found' },
		});
		// Only the item that created the article reports what was chosen.
		expect(res.body.defaultArticle).not.toHaveProperty('chosenAutomatically');
		expect(q.customersNumbered('2002')).toHaveLength(1);
		expect(q.articlesNumbered('DEFAULT')).toHaveLength(1);
		expect(q.draftsWithReference('APP-2026-0003')).toHaveLength(1);

		const seq = q.lastSeq();
		const again = await stack.webhook('visma/export', approval);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ outcome: 'existingDraft', customer: { outcome: 'found' } });
		expect(q.draftsWithReference('APP-2026-0003')).toHaveLength(1);
		expect(writesSince(seq)).toEqual([]);
	});

	it("one step: tradespeople's approvals (ROT with two persons, RUT, reverse charge, project rows) land as Visma expects them", async () => {
		const approvals = tradesApprovals('E2E-2026');
		const draftOf = (ref: string) => {
			const found = q.draftsWithReference(ref);
			expect(found).toHaveLength(1);
			return found[0];
		};
		for (const approval of Object.values(approvals)) {
			const res = await stack.webhook('visma/export', approval);
			expect({ ref: approval.invoiceNumber, status: res.status }).toEqual({
				ref: approval.invoiceNumber,
				status: 200,
			});
			expect(res.body.outcome).toBe('created');
		}
		const rot = draftOf('E2E-2026-ROT');
		expect(rot).toMatchObject({
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
			RotReducedInvoicingAmount: 2400,
			CustomerIsPrivatePerson: true,
		});
		expect(rot.Persons.map((p: Json) => [p.Ssn, p.Amount])).toEqual([
			['19800101-0019', 1500],
			['19820202-0007', 900],
		]);
		expect(rot.Rows.map((r: Json) => [r.IsWorkCost, r.WorkCostType, r.WorkHours])).toEqual([
			[true, 1, 8],
			[true, 2, 2],
			[false, 0, null],
		]);
		const rut = draftOf('E2E-2026-RUT');
		expect(rut).toMatchObject({ RotReducedInvoicingType: 2, RotReducedInvoicingAmount: 1200 });
		expect(rut.Persons.map((p: Json) => p.Amount)).toEqual([600, 600]);
		const reverse = draftOf('E2E-2026-OMV');
		expect(reverse.ReverseChargeOnConstructionServices).toBe(true);
		expect(reverse.Rows.map((r: Json) => r.ReversedConstructionServicesVatFree)).toEqual([
			true,
			false,
		]);
		expect(draftOf('E2E-2026-PRJ').Rows.map((r: Json) => r.ProjectId)).toEqual([
			SEED_IDS.projects.ongoing,
			SEED_IDS.projects.roof,
		]);

		// A re-sent ROT approval is the same draft, and an invalid one writes nothing.
		const seq = q.lastSeq();
		const again = await stack.webhook('visma/export', approvals.rot);
		expect(again.body.outcome).toBe('existingDraft');
		const bad = await stack.webhook('visma/export', {
			...approvals.rot,
			invoiceNumber: 'E2E-2026-ROT-BAD',
			customer: { ...approvals.rot.customer, number: '20039' },
			taxReduction: {
				...approvals.rot.taxReduction,
				persons: [{ ssn: '19800101-0018', amount: 2400 }],
			},
		});
		expect(bad.status).toBe(422);
		expect(bad.body.error).toBe(
			'Tax Reduction, Person 1: SSN "19800101-0018" has a wrong check digit (its last digit) [item 0]',
		);
		expect(writesSince(seq)).toEqual([]);
	});

	it('an invalid invoice stops the four-node flow with an error naming the field and the item', async () => {
		const seq = q.lastSeq();
		const before = await stack.lastExecutionId(FOUR_NODE.id);
		const res = await stack.webhook(
			'visma/approval',
			sampleApproval('APP-2026-0004', { rows: INVALID_ROWS }),
		);
		expect(res.status).toBe(500);

		const execution = await stack.nextExecution(FOUR_NODE.id, before);
		expect(execution.status).toBe('error');
		const error = execution.data.resultData.error;
		expect(error.message).toMatch(INVALID_MESSAGE);
		expect(error.node.name).toBe('Create Draft Invoice');
		expect(error.description).toMatch(/Nothing was written/);
		// The customer existed already; the draft node wrote nothing.
		expect(q.draftsWithReference('APP-2026-0004')).toHaveLength(0);
		expect(writesSince(seq)).toEqual([]);
	});

	it('the same invoice under "Continue (using error output)" gives an error item and HTTP 422, and writes nothing', async () => {
		const seq = q.lastSeq();
		const approval = sampleApproval('APP-2026-0004', {
			customer: { number: '2003', name: 'Kalix Måleri AB', postalCode: '952 31', city: 'Kalix' },
			rows: INVALID_ROWS,
		});
		const before = await stack.lastExecutionId(ONE_STEP.id);
		const res = await stack.webhook('visma/export', approval);
		expect(res.status).toBe(422);
		expect(res.body.error).toMatch(INVALID_MESSAGE);
		expect(res.body.description).toBe(
			'Fix this field in the input and run again. Nothing was written for this item.',
		);

		const execution = await stack.nextExecution(ONE_STEP.id, before);
		expect(execution.status).toBe('success');
		const [okOutput, errorOutput] =
			execution.data.resultData.runData['Export Invoice as Draft'][0].data.main;
		expect(okOutput ?? []).toEqual([]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].json.error).toMatch(INVALID_MESSAGE);
		expect(errorOutput[0].json.message).toMatch(/Nothing was written/);
		expect(q.customersNumbered('2003')).toHaveLength(0);
		expect(q.draftsWithReference('APP-2026-0004')).toHaveLength(0);
		expect(writesSince(seq)).toEqual([]);
	});

	it('form: submitting the approval form creates the customer and the draft once', async () => {
		const values = {
			'Invoice number': 'FORM-2026-0001',
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
		const drafts = q.draftsWithReference('FORM-2026-0001');
		expect(drafts).toHaveLength(1);
		expect(
			drafts[0].Rows.map((r: DraftRow) => [r.ArticleNumber, r.Text, r.Quantity, r.UnitPrice]),
		).toEqual([['A101', 'Elarbete, servicebesök', 3, 695]]);
		expect(q.customersNumbered('2004')).toHaveLength(1);

		const before = await stack.lastExecutionId(FORM.id);
		const again = await stack.submitForm(FORM, 'Approval Form', values);
		expect(again.status).toBe(200);
		expect(q.draftsWithReference('FORM-2026-0001')).toHaveLength(1);
		const execution = await stack.nextExecution(FORM.id, before);
		expect(
			execution.data.resultData.runData['Export Invoice as Draft'][0].data.main[0][0].json.outcome,
		).toBe('existingDraft');
	});

	it('form: a work report uploaded with the approval is attached to the draft once, also when the form is sent again', async () => {
		const values = {
			'Invoice number': 'FORM-2026-0002',
			'Customer number': '2004',
			'Customer name': 'Luleå Ventilation AB',
			'Postal code': '972 38',
			City: 'Luleå',
			Description: 'Ventilationsservice',
			Quantity: 2,
			'Unit price (excl. VAT)': 850,
			'Work report': { file: WORK_REPORT, type: 'application/pdf' },
		};
		const before = await stack.lastExecutionId(FORM.id);
		expect((await stack.submitForm(FORM, 'Approval Form', values)).status).toBe(200);
		const first = await stack.nextExecution(FORM.id, before);
		expect(nodeOutput(first, 'Export Invoice as Draft')[0]).toMatchObject({
			outcome: 'created',
			attachments: [
				expect.objectContaining({
					property: 'Work_report',
					fileName: 'work-report.pdf',
					contentType: 'application/pdf',
					outcome: 'attached',
				}),
			],
		});
		const [draft] = q.draftsWithReference('FORM-2026-0002');
		expect(draft.SalesDocumentAttachments).toHaveLength(1);

		const seq = q.lastSeq();
		expect((await stack.submitForm(FORM, 'Approval Form', values)).status).toBe(200);
		const second = await stack.nextExecution(FORM.id, first.id);
		expect(nodeOutput(second, 'Export Invoice as Draft')[0]).toMatchObject({
			outcome: 'existingDraft',
			attachments: [expect.objectContaining({ outcome: 'alreadyAttached' })],
		});
		expect(q.draftsWithReference('FORM-2026-0002')[0].SalesDocumentAttachments).toHaveLength(1);
		expect(writesSince(seq)).toEqual([]);
	});

	it('tokens: 10 parallel approvals plus a 25-item execution over an expired token need one refresh and never burn the credential', async () => {
		sim.expireAccessTokens();
		sim.resetStats();
		const singles = Array.from({ length: 10 }, (_, i) =>
			sampleApproval(`PAR-2026-${String(i + 1).padStart(4, '0')}`, {
				customer: { number: '2010', name: 'Piteå Fönster AB', postalCode: '941 33', city: 'Piteå' },
			}),
		);
		const batch = Array.from({ length: 25 }, (_, i) =>
			sampleApproval(`BATCH-2026-${String(i + 1).padStart(4, '0')}`, {
				customer: {
					number: String(1001 + (i % 5)),
					name: 'unused: the customer exists',
					postalCode: '000 00',
					city: 'x',
				},
			}),
		);
		const started = Date.now();
		const [batchRes, ...singleRes] = await Promise.all([
			stack.webhook('e2e/batch', { invoices: batch }),
			...singles.map((a) => stack.webhook('visma/approval', a)),
		]);
		progress(
			`[e2e] 10 parallel approvals + 25 items in one execution took ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);

		expect(singleRes.map((r) => r.status)).toEqual(Array(10).fill(200));
		expect(batchRes.status).toBe(200);
		expect(batchRes.body).toHaveLength(25);
		expect(batchRes.body.map((d: Json) => d.outcome)).toEqual(Array(25).fill('created'));
		for (const a of [...singles, ...batch])
			expect(q.draftsWithReference(a.invoiceNumber)).toHaveLength(1);
		expect(q.customersNumbered('2010')).toHaveLength(1);
		expect(q.articlesNumbered('DEFAULT')).toHaveLength(1);

		// n8n 2.39 serialises refreshes per credential: exactly one refresh_token grant, no invalid_grant.
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();

		// The stored refresh token is the simulator's latest: one more expiry is survived.
		sim.expireAccessTokens();
		sim.resetStats();
		const after = await stack.webhook('visma/approval', sampleApproval('PAR-2026-0011'));
		expect(after.status).toBe(200);
		expect(refreshGrants()).toBe(1);
		expect(tokenFailures()).toEqual([]);
		await expectRotatedTokenStored();
	});
	it('CSV import form: customers and articles are created or updated by number; importing again changes nothing', async () => {
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
		expect(q.customersNumbered('5002')[0]).toMatchObject({
			Name: 'Sundsvalls Fastighetsservice AB',
			InvoiceCity: 'Sundsvall',
			EmailAddress: 'ekonomi@sfs-ab.se',
		});
		expect(q.customersNumbered('1001')[0].Name).toBe('Umeå Byggteknik AB');

		const articles = await importFile('Articles', 'csv/articles.csv', 'Create or Update Articles');
		expect(articles.map((a: Json) => [a.Number, a.outcome])).toEqual([
			['B200', 'created'],
			['B210', 'created'],
			['A100', 'updated'],
		]);
		// Unit and coding were given by abbreviation and name in the CSV.
		expect(q.articlesNumbered('B200')[0]).toMatchObject({
			Name: 'Montagearbete',
			UnitAbbreviation: 'tim',
			CodingName: 'Tjänster 25 %',
			NetPrice: 725,
		});
		expect(q.articlesNumbered('A100')[0].NetPrice).toBe(675);

		const seq = q.lastSeq();
		const again = [
			...(await importFile('Customers', 'csv/customers.csv', 'Create or Update Customers')),
			...(await importFile('Articles', 'csv/articles.csv', 'Create or Update Articles')),
		];
		expect(again.map((r: Json) => r.outcome)).toEqual(Array(6).fill('unchanged'));
		expect(writesSince(seq)).toEqual([]);
	});

	it('daily export (one `n8n execute` run): the invoices booked since yesterday go into an .xlsx file', async () => {
		const draft = q.draftsWithReference('APP-2026-0001')[0];
		const booked = sim.api('POST', `/customerinvoicedrafts/${draft.Id}/convert`);
		expect(booked.status).toBeLessThan(300);
		const invoiceNumber = booked.body.InvoiceNumber;

		const run = await stack.executeCli(DAILY.id);
		expect(run.code).toBe(0);
		expect(run.execution.status).toBe('success');

		const files = readSpreadsheets(FILES_DIR, /^visma-invoices-\d{4}-\d{2}-\d{2}\.xlsx$/);
		expect(files).toHaveLength(1);
		const rows = files[0].sheets.Invoices;
		expect(rows.map((r: Json) => r.InvoiceNumber)).toEqual([invoiceNumber]);
		expect(rows[0]).toMatchObject({
			CustomerName: 'Fjällbacka Fastigheter AB',
			TotalAmount: booked.body.TotalAmount,
		});
	});
	it('after the draft: the booked invoice gets its document, is sent and paid once each, and Invoice Paid tells the source app', async () => {
		// Activation: the trigger notes the invoices there are; from now on it tells the source app.
		await stack.api.activate(PAID_ID);
		const [draft] = q.draftsWithReference('APP-2026-0003');
		const booked = sim.api('POST', `/customerinvoicedrafts/${draft.Id}/convert`);
		expect(booked.status).toBe(201);
		const invoiceId = booked.body.Id;
		const file = readFileBase64(WORK_REPORT);

		const attach = async () =>
			await stack.webhook('e2e/attach', { invoiceId, fileName: 'work-report.pdf', file });
		expect((await attach()).body.attachments).toEqual([
			expect.objectContaining({ fileName: 'work-report.pdf', outcome: 'attached' }),
		]);
		expect((await attach()).body.attachments).toEqual([
			expect.objectContaining({ outcome: 'alreadyAttached' }),
		]);
		expect(
			sim.list('salesdocumentattachments').filter((a) => a.DocumentId === invoiceId),
		).toHaveLength(1);

		// The customer has no email address in eAccounting: the workflow gives one.
		const send = { invoiceId, to: 'ekonomi@tornedalensbygg.se' };
		expect((await stack.webhook('e2e/send', send)).body).toMatchObject({
			outcome: 'sent',
			sentBy: 'email',
		});
		expect((await stack.webhook('e2e/send', send)).body.outcome).toBe('alreadySent');
		expect(sim.list('outbox').filter((m) => m.InvoiceId === invoiceId)).toEqual([
			expect.objectContaining({ Email: 'ekonomi@tornedalensbygg.se' }),
		]);

		// The same card payment reported twice by the payment provider is recorded once.
		const payment = {
			invoiceId,
			reference: 'PSP-2026-0003',
			bankAccountId: SEED_BANK_ACCOUNT,
		};
		const first = await stack.webhook('e2e/pay', payment);
		expect(first.body).toMatchObject({ outcome: 'recorded', remainingAmount: 0, paymentStatus: 0 });
		const again = await stack.webhook('e2e/pay', payment);
		expect(again.body).toMatchObject({ outcome: 'alreadyRecorded', noteId: first.body.noteId });
		expect(
			sim.log.filter(
				(e) => e.method === 'POST' && e.path === `/v2/customerinvoices/${invoiceId}/payments`,
			),
		).toHaveLength(1);

		// The Invoice Paid example polls every minute and posts to the source app's webhook.
		const told = await sourceApp.waitFor(
			(r) => r.body?.sourceReference === 'APP-2026-0003',
			150_000,
		);
		expect(told).toMatchObject({ method: 'POST', path: '/webhooks/visma/invoice-paid' });
		expect(told.body).toMatchObject({
			event: 'invoice.paid',
			sourceReference: 'APP-2026-0003',
			draftId: draft.Id,
			invoiceId,
			invoiceNumber: booked.body.InvoiceNumber,
		});
		expect(sourceApp.received.filter((r) => r.body?.invoiceId === invoiceId)).toHaveLength(1);
	});

	it('50 approvals in groups of 10 through 10 % faults of each kind: every one exported once and answered 200, nothing deleted that the node did not make', async () => {
		await approvalsThroughFaults(
			'regular mode with faults',
			{ stack, sim, q },
			{
				prefix: 'RF-2026',
				count: 50,
				groupSize: 10,
				customers: ['1010', '1011', '1012', '1013', '1014', '2101', '2102', '2103', '2104', '2105'],
				seed: 23,
			},
		);
	});
});

import { expect, it } from '@jest/globals';

import { sampleApproval } from '../../../dev/stack/examples';
import { suiteDir } from './context';
import { CHOSEN_DEFAULTS, example, examplePath, nodeOutput, readSpreadsheets } from './flows';
import type { Suite } from './suite';

/*
 * The approval-to-draft cases on the unchanged example workflows, defined once and run by two
 * suites: approval.e2e.test.ts on the pinned n8n (`npm run test:e2e`) and matrix.e2e.test.ts on
 * every n8n version of the matrix (`npm run test:e2e:matrix`). Each suite says which cases it
 * runs, in which order, between its own.
 */

type Json = Record<string, unknown>;
interface DraftRow {
	ArticleNumber: string | null;
	Text: string;
	Quantity: number;
	UnitPrice: number;
	IsTextRow: boolean;
}

const INVALID_ROWS = [
	{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 },
	{ articleNumber: 'A110', text: 'Gipsskiva', quantity: 'two', unitPrice: 89 },
];
const INVALID_MESSAGE = /^Row 2: Quantity .*\[item 0\]$/;
const DAILY_FILE = /^visma-invoices-\d{4}-\d{2}-\d{2}\.xlsx$/;

/** The example workflows the cases run, as they ship; the daily export writes into `filesDir`. */
export function approvalWorkflows(suite: string) {
	const filesDir = `${suiteDir(suite)}/files`;
	return {
		filesDir,
		fourNode: example('approval-webhook-to-draft.json'),
		oneStep: example('approval-webhook-export-invoice.json'),
		form: example('approval-form-to-draft.json'),
		csv: example('import-customers-articles-csv.json'),
		daily: example('daily-invoice-export.json', filesDir),
	};
}

/**
 * The cases, each registering one test. `prefix` and `formPrefix` start the invoice numbers
 * (`${prefix}-0001` ... `-0004`, `${formPrefix}-0001`).
 */
export function approvalCases(
	suite: Suite,
	flows: ReturnType<typeof approvalWorkflows>,
	refs: { prefix: string; formPrefix: string },
) {
	const ref = (n: number) => `${refs.prefix}-${String(n).padStart(4, '0')}`;

	return {
		/**
		 * The first approval of customer 2001 through the four-node flow, over an expired access
		 * token; the default article is created by it (`created`) or was there (`found`).
		 */
		fourNodeFirstApproval(defaultArticle: 'created' | 'found') {
			const title =
				defaultArticle === 'created'
					? 'four nodes: the first approval creates customer, default article and draft, after one token refresh'
					: 'four nodes: the first approval for a new customer creates customer and draft (default article found), after one token refresh';
			it(title, async () => {
				const { sim, stack, q } = suite;
				sim.expireAccessTokens();
				sim.resetStats();
				const before = await stack.lastExecutionId(flows.fourNode.id);
				const res = await stack.webhook('visma/approval', sampleApproval(ref(1)));
				expect(res.status).toBe(200);
				expect(res.body).toMatchObject({
					outcome: 'created',
					ContractNumber: ref(1),
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
				// The company had no default article and the examples leave its unit and coding
				// empty: the first export created it with the pieces unit and the goods 25 % coding.
				expect(q.articlesNumbered('DEFAULT')).toEqual([
					expect.objectContaining({
						Name: 'Other',
						UnitId: CHOSEN_DEFAULTS.unit.Id,
						CodingId: CHOSEN_DEFAULTS.accountCoding.Id,
					}),
				]);
				// Only the item that created it says what was chosen.
				const execution = await stack.nextExecution(flows.fourNode.id, before);
				const reports = nodeOutput(execution, 'Ensure Default Article');
				expect(reports).toEqual([
					expect.objectContaining({
						Number: 'DEFAULT',
						outcome: defaultArticle,
						...(defaultArticle === 'created' ? { chosenAutomatically: CHOSEN_DEFAULTS } : {}),
					}),
				]);
				if (defaultArticle === 'found')
					expect(reports[0]).not.toHaveProperty('chosenAutomatically');
				const drafts = q.draftsWithReference(ref(1));
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

				// The access token had expired: n8n got a 401, refreshed once, stored the rotation.
				expect(suite.refreshGrants()).toBe(1);
				expect(suite.tokenFailures()).toEqual([]);
				await suite.expectRotatedTokenStored();
			});
		},

		fourNodeResend() {
			it('four nodes: re-sending the same approval returns the existing draft and writes nothing', async () => {
				const { stack, q } = suite;
				const seq = q.lastSeq();
				const res = await stack.webhook('visma/approval', sampleApproval(ref(1)));
				expect(res.status).toBe(200);
				expect(res.body.outcome).toBe('existingDraft');
				expect(q.draftsWithReference(ref(1))).toHaveLength(1);
				expect(q.customersNumbered('2001')).toHaveLength(1);
				expect(suite.writesSince(seq)).toEqual([]);
			});
		},

		/** A new approval of customer 2001 through this webhook's flow after the token expired. */
		afterExpiry(webhook: 'visma/approval' | 'visma/export') {
			it('after the access token expires again, n8n refreshes with the rotated refresh token it stored', async () => {
				const { sim, stack, q } = suite;
				sim.expireAccessTokens();
				sim.resetStats();
				const res = await stack.webhook(webhook, sampleApproval(ref(2)));
				expect(res.status).toBe(200);
				expect(res.body.outcome).toBe('created');
				expect(suite.refreshGrants()).toBe(1);
				expect(suite.tokenFailures()).toEqual([]);
				expect(q.customersNumbered('2001')).toHaveLength(1);
				expect(q.articlesNumbered('DEFAULT')).toHaveLength(1);
				await suite.expectRotatedTokenStored();
			});
		},

		oneStep() {
			it('one step: Export Invoice as Draft creates customer and draft, reuses the default article, and is idempotent', async () => {
				const { stack, q } = suite;
				const approval = sampleApproval(ref(3), {
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
					ContractNumber: ref(3),
					customer: { CustomerNumber: '2002', outcome: 'created' },
					defaultArticle: { Number: 'DEFAULT', outcome: 'found' },
				});
				// Only the item that created the article reports what was chosen.
				expect(res.body.defaultArticle).not.toHaveProperty('chosenAutomatically');
				expect(q.customersNumbered('2002')).toHaveLength(1);
				expect(q.articlesNumbered('DEFAULT')).toHaveLength(1);
				expect(q.draftsWithReference(ref(3))).toHaveLength(1);

				const seq = q.lastSeq();
				const again = await stack.webhook('visma/export', approval);
				expect(again.status).toBe(200);
				expect(again.body).toMatchObject({
					outcome: 'existingDraft',
					customer: { outcome: 'found' },
				});
				expect(q.draftsWithReference(ref(3))).toHaveLength(1);
				expect(suite.writesSince(seq)).toEqual([]);
			});
		},

		invalidFourNode() {
			it('an invalid invoice stops the four-node flow with an error naming the field and the item', async () => {
				const { stack, q } = suite;
				const seq = q.lastSeq();
				const before = await stack.lastExecutionId(flows.fourNode.id);
				const res = await stack.webhook(
					'visma/approval',
					sampleApproval(ref(4), { rows: INVALID_ROWS }),
				);
				expect(res.status).toBe(500);

				const execution = await stack.nextExecution(flows.fourNode.id, before);
				expect(execution.status).toBe('error');
				const error = execution.data.resultData.error;
				expect(error.message).toMatch(INVALID_MESSAGE);
				expect(error.node.name).toBe('Create Draft Invoice');
				expect(error.description).toMatch(/Nothing was written/);
				// The customer existed already; the draft node wrote nothing.
				expect(q.draftsWithReference(ref(4))).toHaveLength(0);
				expect(suite.writesSince(seq)).toEqual([]);
			});
		},

		invalidOneStep() {
			it('one step with "Continue (using error output)": the same invoice gives an error item and HTTP 422, and writes nothing', async () => {
				const { stack, q } = suite;
				const seq = q.lastSeq();
				const approval = sampleApproval(ref(4), {
					customer: {
						number: '2003',
						name: 'Kalix Måleri AB',
						postalCode: '952 31',
						city: 'Kalix',
					},
					rows: INVALID_ROWS,
				});
				const before = await stack.lastExecutionId(flows.oneStep.id);
				const res = await stack.webhook('visma/export', approval);
				expect(res.status).toBe(422);
				expect(res.body.error).toMatch(INVALID_MESSAGE);
				expect(res.body.description).toBe(
					'Fix this field in the input and run again. Nothing was written for this item.',
				);

				const execution = await stack.nextExecution(flows.oneStep.id, before);
				expect(execution.status).toBe('success');
				const [okOutput, errorOutput] =
					execution.data.resultData.runData['Export Invoice as Draft'][0].data.main;
				expect(okOutput ?? []).toEqual([]);
				expect(errorOutput).toHaveLength(1);
				expect(errorOutput[0].json.error).toMatch(INVALID_MESSAGE);
				expect(errorOutput[0].json.message).toMatch(/Nothing was written/);
				expect(q.customersNumbered('2003')).toHaveLength(0);
				expect(q.draftsWithReference(ref(4))).toHaveLength(0);
				expect(suite.writesSince(seq)).toEqual([]);
			});
		},

		form() {
			it('form: submitting the approval form creates the customer and the draft once', async () => {
				const { stack, q } = suite;
				const formRef = `${refs.formPrefix}-0001`;
				const values = {
					'Invoice number': formRef,
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
				const res = await stack.submitForm(flows.form, 'Approval Form', values);
				expect(res.status).toBe(200);
				const drafts = q.draftsWithReference(formRef);
				expect(drafts).toHaveLength(1);
				expect(
					drafts[0].Rows.map((r: DraftRow) => [r.ArticleNumber, r.Text, r.Quantity, r.UnitPrice]),
				).toEqual([['A101', 'Elarbete, servicebesök', 3, 695]]);
				expect(q.customersNumbered('2004')).toHaveLength(1);

				const before = await stack.lastExecutionId(flows.form.id);
				const again = await stack.submitForm(flows.form, 'Approval Form', values);
				expect(again.status).toBe(200);
				expect(q.draftsWithReference(formRef)).toHaveLength(1);
				const execution = await stack.nextExecution(flows.form.id, before);
				expect(nodeOutput(execution, 'Export Invoice as Draft')[0].outcome).toBe('existingDraft');
			});
		},

		csvImport() {
			it('CSV import form (Extract from File): customers and articles are created or updated by number; importing again changes nothing', async () => {
				const { stack, q } = suite;
				const csv = flows.csv;
				const importFile = async (kind: 'Customers' | 'Articles', file: string, node: string) => {
					const before = await stack.lastExecutionId(csv.id);
					const res = await stack.submitForm(csv, 'CSV Upload', {
						'File contains': kind,
						'CSV file': { file: examplePath(file) },
					});
					expect(res.status).toBe(200);
					const execution = await stack.nextExecution(csv.id, before);
					expect(execution.status).toBe('success');
					return nodeOutput(execution, node);
				};
				const customers = () =>
					importFile('Customers', 'csv/customers.csv', 'Create or Update Customers');
				const articles = () =>
					importFile('Articles', 'csv/articles.csv', 'Create or Update Articles');

				expect((await customers()).map((c: Json) => [c.CustomerNumber, c.outcome])).toEqual([
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

				expect((await articles()).map((a: Json) => [a.Number, a.outcome])).toEqual([
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
				const again = [...(await customers()), ...(await articles())];
				expect(again.map((r: Json) => r.outcome)).toEqual(Array(6).fill('unchanged'));
				expect(suite.writesSince(seq)).toEqual([]);
			});
		},

		/** Books the four-node flow's first draft and runs the daily export. */
		dailyExport() {
			it('daily export (one `n8n execute` run, Convert to File): the invoices booked since yesterday go into an .xlsx file', async () => {
				const { sim, stack, q } = suite;
				const draft = q.draftsWithReference(ref(1))[0];
				const booked = sim.api('POST', `/customerinvoicedrafts/${draft.Id}/convert`);
				expect(booked.status).toBeLessThan(300);

				const run = await stack.executeCli(flows.daily.id);
				expect(run.code).toBe(0);
				expect(run.execution.status).toBe('success');

				const files = readSpreadsheets(flows.filesDir, DAILY_FILE);
				expect(files).toHaveLength(1);
				const rows = files[0].sheets.Invoices;
				expect(rows.map((r: Json) => r.InvoiceNumber)).toEqual([booked.body.InvoiceNumber]);
				expect(rows[0]).toMatchObject({
					CustomerName: 'Fjällbacka Fastigheter AB',
					TotalAmount: booked.body.TotalAmount,
				});
			});
		},
	};
}

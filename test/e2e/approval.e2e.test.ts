import { describe, expect, it } from '@jest/globals';

import {
	adaptExample,
	isActivatable,
	readExample,
	tradesApprovals,
	sampleApproval,
} from '../../dev/stack/examples';
import { startReceiver } from '../../dev/stack/receiver';
import { SEED_IDS } from '../support/simulator';
import { approvalCases, approvalWorkflows } from './support/approvalCases';
import { progress, readFileBase64 } from './support/context';
import { approvalsThroughFaults } from './support/faultedBurst';
import { afterDraftWorkflows, batchExportWorkflow, examplePath, nodeOutput } from './support/flows';
import { useStack } from './support/suite';

/*
 * One real n8n (`n8n start`, SQLite) with this package installed as a community package, the
 * example workflows imported and active, and the Visma simulator behind a Custom-environment
 * credential whose access token has expired. Every request goes through n8n's webhook/form
 * endpoints, exactly as an approving system or a person would send it. The approval-to-draft
 * cases it shares with the version matrix are in support/approvalCases.ts.
 */

const SUITE = 'approval';

type Json = Record<string, unknown>;

const FLOWS = approvalWorkflows(SUITE);
const BATCH = batchExportWorkflow('e2eBatchExport', 'e2e/batch');
const AFTER = afterDraftWorkflows();
const WORK_REPORT = examplePath('files/work-report.pdf');
const PAID_ID = 'vismaInvoicePaidNotify';
const SEED_BANK_ACCOUNT = SEED_IDS.bankAccounts.foretagskonto;

describe('approvals in a real n8n (webhook, form, one and four nodes)', () => {
	let sourceApp: Awaited<ReturnType<typeof startReceiver>>;
	const suite = useStack(SUITE, {
		// The source app the Invoice Paid example tells.
		before: async () => {
			sourceApp = await startReceiver();
		},
		stack: () => {
			const paid = adaptExample(readExample('invoice-paid-notify-source.json'), {
				sourceAppUrl: sourceApp.url,
			});
			const workflows = [
				FLOWS.fourNode,
				FLOWS.oneStep,
				FLOWS.form,
				FLOWS.csv,
				FLOWS.daily,
				BATCH,
				paid,
				AFTER.pay,
				AFTER.send,
				AFTER.attach,
			];
			return {
				workflows,
				// Invoice Paid is activated by its own test: its first poll would refresh the expired
				// token that the first approval test expects to refresh.
				activate: workflows
					.filter((wf) => isActivatable(wf) && wf.id !== PAID_ID)
					.map((wf) => wf.id),
				filesDir: FLOWS.filesDir,
			};
		},
		after: async () => await sourceApp?.close(),
	});
	const cases = approvalCases(suite, FLOWS, { prefix: 'APP-2026', formPrefix: 'FORM-2026' });

	it("the credential's hidden OAuth URLs follow its environment in n8n, and plain http is refused", async () => {
		const { stack } = suite;
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

	cases.fourNodeFirstApproval('created');

	cases.fourNodeResend();

	cases.afterExpiry('visma/approval');

	cases.oneStep();

	it("one step: tradespeople's approvals (ROT with two persons, RUT, reverse charge, project rows) land as Visma expects them", async () => {
		const { stack, q } = suite;
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
		expect(suite.writesSince(seq)).toEqual([]);
	});

	cases.invalidFourNode();

	cases.invalidOneStep();

	cases.form();

	it('form: a work report uploaded with the approval is attached to the draft once, also when the form is sent again', async () => {
		const { stack, q } = suite;
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
		const before = await stack.lastExecutionId(FLOWS.form.id);
		expect((await stack.submitForm(FLOWS.form, 'Approval Form', values)).status).toBe(200);
		const first = await stack.nextExecution(FLOWS.form.id, before);
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
		expect((await stack.submitForm(FLOWS.form, 'Approval Form', values)).status).toBe(200);
		const second = await stack.nextExecution(FLOWS.form.id, first.id);
		expect(nodeOutput(second, 'Export Invoice as Draft')[0]).toMatchObject({
			outcome: 'existingDraft',
			attachments: [expect.objectContaining({ outcome: 'alreadyAttached' })],
		});
		expect(q.draftsWithReference('FORM-2026-0002')[0].SalesDocumentAttachments).toHaveLength(1);
		expect(suite.writesSince(seq)).toEqual([]);
	});

	it('tokens: 10 parallel approvals plus a 25-item execution over an expired token need one refresh and never burn the credential', async () => {
		const { sim, stack, q } = suite;
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
		expect(suite.refreshGrants()).toBe(1);
		expect(suite.tokenFailures()).toEqual([]);
		await suite.expectRotatedTokenStored();

		// The stored refresh token is the simulator's latest: one more expiry is survived.
		sim.expireAccessTokens();
		sim.resetStats();
		const after = await stack.webhook('visma/approval', sampleApproval('PAR-2026-0011'));
		expect(after.status).toBe(200);
		expect(suite.refreshGrants()).toBe(1);
		expect(suite.tokenFailures()).toEqual([]);
		await suite.expectRotatedTokenStored();
	});

	cases.csvImport();

	cases.dailyExport();

	it('after the draft: the booked invoice gets its document, is sent and paid once each, and Invoice Paid tells the source app', async () => {
		const { sim, stack, q } = suite;
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
		await approvalsThroughFaults('regular mode with faults', suite, {
			prefix: 'RF-2026',
			count: 50,
			groupSize: 10,
			customers: ['1010', '1011', '1012', '1013', '1014', '2101', '2102', '2103', '2104', '2105'],
			seed: 23,
		});
	});
});

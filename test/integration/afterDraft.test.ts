import { beforeEach, describe, expect, it } from '@jest/globals';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { getBankAccounts } from '../../nodes/VismaEAccounting/methods/loadOptions';
import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import { buildContext } from '../../dev/harness/context';
import { StoredCredential } from '../../dev/harness/credentials';
import {
	byId,
	byNumber,
	SEED_IDS,
	withFiles,
	useTestBed,
	exportInvoiceParameters,
} from './support';
import { TriggerNode } from './triggerNode';
import { storedTokens } from '../support/simulator';

type Json = Record<string, unknown>;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82]);
const BANK = SEED_IDS.bankAccounts.foretagskonto;

const approval = (invoiceNumber: string, customerNumber = '1001') => ({
	invoiceNumber,
	customer: {
		number: customerNumber,
		name: 'Bergström Bygg AB',
		postalCode: '903 26',
		city: 'Umeå',
	},
	rows: [{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 }],
});

describe('after the draft: attachments, send, payments, and the trigger telling the source', () => {
	const bed = useTestBed();
	/** A fresh company: reset clears tokens too, so the credential gets new ones. */
	const freshCompany = () => {
		bed.sim.reset();
		bed.credential.data.oauthTokenData = storedTokens(bed.sim);
	};
	beforeEach(() => {
		freshCompany();
		// Twin checks wait this long; the tests need no more.
		configurePacing({ twinDelayMs: 20, settleMs: 20, retryBaseMs: 20, lostAnswerWaitMs: 400 });
	});

	const writes = (since: number) =>
		bed.sim.log.filter((e) => e.seq > since && e.method !== 'GET' && e.endpoint !== 'connect');
	const lastSeq = () => bed.sim.log.at(-1)?.seq ?? 0;
	const attachmentsOf = (documentId: string) =>
		bed.sim.list('salesdocumentattachments').filter((a) => a.DocumentId === documentId);
	const invoice = (id: string) => bed.sim.list('customerinvoices').find((i) => i.Id === id)!;
	const paymentsLogged = (id: string) =>
		bed.sim.log.filter(
			(e) =>
				e.method === 'POST' && e.path === `/v2/customerinvoices/${id}/payments` && e.status === 201,
		);
	const exportWithFiles = async (
		item: ReturnType<typeof withFiles>,
		attachments: string,
		opts: { continueOnFail?: boolean } = {},
	) =>
		await bed.run(
			{
				...exportInvoiceParameters,
				exportOptions: { ...exportInvoiceParameters.exportOptions, attachments },
			},
			[item],
			opts,
		);

	describe('attachments', () => {
		it('Export Invoice as Draft attaches the files once: a re-export skips the ones the draft has and attaches a new one', async () => {
			const files = {
				data: { data: PDF, fileName: 'FS-1.pdf', mimeType: 'application/pdf' },
				photo: { data: PNG, fileName: 'site.png', mimeType: 'image/png' },
			};
			const first = await exportWithFiles(withFiles(approval('FS-1'), files), 'data, photo');
			const draft = first.items[0].json;
			expect(draft.outcome).toBe('created');
			expect(draft.attachments).toEqual([
				expect.objectContaining({
					property: 'data',
					fileName: 'FS-1.pdf',
					size: PDF.length,
					contentType: 'application/pdf',
					outcome: 'attached',
				}),
				expect.objectContaining({
					property: 'photo',
					fileName: 'site.png',
					contentType: 'image/png',
					outcome: 'attached',
				}),
			]);
			expect(attachmentsOf(String(draft.Id)).map((a) => a.OriginalFilename)).toEqual([
				'FS-1.pdf',
				'site.png',
			]);

			const seq = lastSeq();
			const again = await exportWithFiles(withFiles(approval('FS-1'), files), 'data, photo');
			expect(again.items[0].json).toMatchObject({ outcome: 'existingDraft', Id: draft.Id });
			expect(
				(again.items[0].json.attachments as Json[]).map((a) => [a.fileName, a.outcome]),
			).toEqual([
				['FS-1.pdf', 'alreadyAttached'],
				['site.png', 'alreadyAttached'],
			]);
			expect(writes(seq)).toEqual([]);

			const more = await exportWithFiles(
				withFiles(approval('FS-1'), {
					...files,
					report: { data: Buffer.concat([PDF, Buffer.from('% v2\n')]), fileName: 'FS-1.pdf' },
				}),
				'data, report',
			);
			// Same name, other size: another file.
			expect((more.items[0].json.attachments as Json[]).map((a) => a.outcome)).toEqual([
				'alreadyAttached',
				'attached',
			]);
			expect(attachmentsOf(String(draft.Id))).toHaveLength(3);
		});

		it('a re-export of an invoice booked meanwhile attaches what the invoice lacks, and Create Draft Invoice has the same option', async () => {
			const created = await bed.run(
				{
					resource: 'customerInvoiceDraft',
					operation: 'create',
					customer: byNumber('1001'),
					defaultArticle: byNumber('A100'),
					rowsSource: 'mapFromInput',
					rowsData: [{ articleNumber: 'A100', quantity: 1, unitPrice: 650 }],
					options: { sourceReference: 'FS-2', attachments: 'data' },
				},
				[withFiles({}, { data: { data: PDF, fileName: 'FS-2.pdf' } })],
			);
			const draftId = String(created.items[0].json.Id);
			expect(attachmentsOf(draftId)).toHaveLength(1);
			const booked = bed.sim.api('POST', `/customerinvoicedrafts/${draftId}/convert`).body;

			const again = await exportWithFiles(
				withFiles(approval('FS-2'), {
					data: { data: PDF, fileName: 'FS-2.pdf' },
					extra: { data: PNG, fileName: 'extra.png' },
				}),
				'data, extra',
			);
			expect(again.items[0].json).toMatchObject({ outcome: 'existingInvoice', Id: booked.Id });
			expect((again.items[0].json.attachments as Json[]).map((a) => a.outcome)).toEqual([
				'alreadyAttached',
				'attached',
			]);
			expect(attachmentsOf(booked.Id).map((a) => a.OriginalFilename)).toEqual([
				'FS-2.pdf',
				'extra.png',
			]);
		});

		it('bad files fail their item naming the item and the property, before anything is written', async () => {
			const seq = lastSeq();
			const cases: Array<
				[Record<string, { data: Buffer; fileName?: string; mimeType?: string }>, string, RegExp]
			> = [
				[
					{ data: { data: Buffer.from('plain text'), fileName: 'a.txt', mimeType: 'text/plain' } },
					'data',
					/^Attachment "data" is not a PDF, JPEG, PNG or TIFF file \(its type is text\/plain\) \[item 0\]$/,
				],
				[
					{ data: { data: Buffer.alloc(0), fileName: 'empty.pdf' } },
					'data',
					/^Attachment "data" is an empty file \[item 0\]$/,
				],
				[
					{
						data: {
							data: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]),
							fileName: 'big.pdf',
						},
					},
					'data',
					/^Attachment "data" is too large: 5\.0 MB, the node attaches at most 5\.0 MB \[item 0\]$/,
				],
				[
					{ data: { data: PDF, fileName: `${'x'.repeat(125)}.pdf` } },
					'data',
					/^Attachment "data": File Name is too long: 129 characters, Visma allows 128 \[item 0\]$/,
				],
				[
					{ data: { data: PDF } },
					'report',
					/^Attachment "report" is not a binary property of the input item \(it has "data"\) \[item 0\]$/,
				],
			];
			for (const [files, property, message] of cases) {
				const out = await exportWithFiles(withFiles(approval('FS-BAD', '7001'), files), property, {
					continueOnFail: true,
				});
				expect(out.items[0].json.error).toMatch(message);
				expect(out.items[0].json.message).toMatch(/Nothing was written/);
			}
			// Without Continue On Fail the node stops before any look-up or write.
			await expect(
				exportWithFiles(
					withFiles(approval('FS-BAD', '7001'), { data: { data: Buffer.alloc(0) } }),
					'data',
				),
			).rejects.toThrow('Attachment "data" is an empty file [item 0]');
			expect(writes(seq)).toEqual([]);
			expect(bed.sim.list('customers').filter((c) => c.CustomerNumber === '7001')).toEqual([]);
		});

		it('Add Attachment on drafts and invoices: by ID or invoice number, skipping what the document has', async () => {
			const draftId = bed.sim.list('customerinvoicedrafts')[0].Id;
			const run = async (resource: string, locator: Json, name = 'work-report.pdf') =>
				await bed.run(
					{
						resource,
						operation: 'addAttachment',
						[resource === 'customerInvoice' ? 'invoice' : 'draft']: locator,
					},
					[withFiles({}, { data: { data: PDF, fileName: name } })],
					{ continueOnFail: true },
				);
			const onDraft = await run('customerInvoiceDraft', byId(draftId));
			expect(onDraft.items[0].json).toEqual({
				documentId: draftId,
				documentType: 'draft',
				attachments: [
					expect.objectContaining({ fileName: 'work-report.pdf', outcome: 'attached' }),
				],
			});
			expect((await run('customerInvoiceDraft', byId(draftId))).items[0].json.attachments).toEqual([
				expect.objectContaining({
					outcome: 'alreadyAttached',
					Id: (onDraft.items[0].json.attachments as Json[])[0].Id,
				}),
			]);
			expect(attachmentsOf(draftId)).toHaveLength(1);

			const unpaid = invoice(SEED_IDS.invoices.unpaid);
			const onInvoice = await run('customerInvoice', byNumber(String(unpaid.InvoiceNumber)));
			expect(onInvoice.items[0].json).toMatchObject({
				documentId: unpaid.Id,
				documentType: 'invoice',
			});
			expect(attachmentsOf(unpaid.Id)).toHaveLength(1);

			const missing = await run(
				'customerInvoiceDraft',
				byId('3fa85f64-5717-4562-b3fc-2c963f66afa6'),
			);
			expect(missing.items[0].json.error).toMatch(
				/^The draft invoice 3fa85f64-.* is not in eAccounting \[item 0\]$/,
			);
		});

		it('a lost answer to an attachment is looked for, not sent again', async () => {
			const draftId = bed.sim.list('customerinvoicedrafts')[0].Id;
			bed.sim.injectFault({
				method: 'POST',
				path: '/v2/salesdocumentattachments',
				kind: 'lost-response',
				times: 1,
			});
			const out = await bed.run(
				{ resource: 'customerInvoiceDraft', operation: 'addAttachment', draft: byId(draftId) },
				[withFiles({}, { data: { data: PDF, fileName: 'lost.pdf' } })],
			);
			expect((out.items[0].json.attachments as Json[])[0]).toMatchObject({ outcome: 'attached' });
			expect(attachmentsOf(draftId)).toHaveLength(1);
			expect(
				bed.sim.log.filter((e) => e.method === 'POST' && e.endpoint === 'salesdocumentattachments'),
			).toHaveLength(1);
		});
	});

	describe('Send', () => {
		const send = async (params: Json, opts: { continueOnFail?: boolean } = {}) =>
			await bed.run(
				{
					resource: 'customerInvoice',
					operation: 'send',
					invoice: byId(SEED_IDS.invoices.unpaid),
					...params,
				},
				[{}],
				opts,
			);

		it("by email with Visma's defaults once; a re-run reports the send; Send Again sends again", async () => {
			const first = await send({ sendBy: 'email' });
			expect(first.items[0].json).toMatchObject({
				invoiceId: SEED_IDS.invoices.unpaid,
				outcome: 'sent',
				sentBy: 'email',
				email: { to: null, cc: null, subject: null, message: null },
				earlierSends: [],
			});
			expect(bed.sim.list('outbox')).toEqual([
				expect.objectContaining({ Via: 'email', Email: 'faktura@bergstrombygg.se' }),
			]);
			const notes = bed.sim.list('notes');
			expect(notes).toEqual([
				expect.objectContaining({
					AttachedTo: SEED_IDS.invoices.unpaid,
					DocumentType: 1,
					IsDone: true,
					Subject: 'n8n: invoice sent',
				}),
			]);

			const seq = lastSeq();
			const again = await send({ sendBy: 'email' });
			expect(again.items[0].json).toMatchObject({
				outcome: 'alreadySent',
				sentBy: 'email',
				sentAt: first.items[0].json.sentAt,
			});
			expect(writes(seq)).toEqual([]);
			expect(bed.sim.list('outbox')).toHaveLength(1);

			const forced = await send({
				sendBy: 'email',
				sendAgain: true,
				emailFields: {
					to: 'anna@example.se',
					cc: 'bo@example.se; cia@example.se',
					subject: 'Faktura ####',
					message: 'Hej',
				},
			});
			expect(forced.items[0].json).toMatchObject({
				outcome: 'sent',
				earlierSends: [expect.objectContaining({ sentBy: 'email' })],
			});
			expect(bed.sim.list('outbox')[1]).toMatchObject({
				Email: 'anna@example.se',
				CcRecipients: ['bo@example.se', 'cia@example.se'],
				Subject: `Faktura ${invoice(SEED_IDS.invoices.unpaid).InvoiceNumber}`,
				Message: 'Hej',
			});
		});

		it('a send whose answer was lost is not repeated without Send Again', async () => {
			bed.sim.injectFault({
				method: 'POST',
				path: `/v2/customerinvoices/${SEED_IDS.invoices.unpaid}/email`,
				kind: 'lost-response',
				times: 1,
			});
			const lost = await send({ sendBy: 'email' }, { continueOnFail: true });
			expect(lost.items[0].json.error).toMatch(/\[item 0\]$/);
			expect(lost.items[0].json.message).toMatch(/may or may not have been sent/);
			expect(bed.sim.list('outbox')).toHaveLength(1);
			const rerun = await send({ sendBy: 'email' }, { continueOnFail: true });
			expect(rerun.items[0].json.error).toMatch(
				/may already have been sent: an earlier send .* did not finish \[item 0\]$/,
			);
			expect(bed.sim.list('outbox')).toHaveLength(1);
			expect((await send({ sendBy: 'email', sendAgain: true })).items[0].json.outcome).toBe('sent');
			expect(bed.sim.list('outbox')).toHaveLength(2);
		});

		it('as an e-invoice; a refused send marks its note failed, so a later send is not blocked', async () => {
			const refused = await send(
				{ sendBy: 'eInvoice', eInvoiceType: 'autoInvoiceElectronic' },
				{ continueOnFail: true },
			);
			expect(refused.items[0].json.error).toMatch(/\[item 0\]$/);
			expect(bed.sim.list('notes')).toEqual([
				expect.objectContaining({ Subject: 'n8n: sending failed' }),
			]);
			const printed = await send({ sendBy: 'eInvoice', eInvoiceType: 'autoInvoicePrint' });
			expect(printed.items[0].json).toMatchObject({
				outcome: 'sent',
				sentBy: 'eInvoice',
				eInvoiceType: 'autoInvoicePrint',
			});
			expect(bed.sim.list('outbox')).toEqual([
				expect.objectContaining({ Via: 'einvoice', SendType: 2 }),
			]);
		});

		it('bad email fields fail the item before anything is written', async () => {
			const seq = lastSeq();
			const out = await send(
				{
					sendBy: 'email',
					emailFields: {
						to: 'not an address',
						cc: 'a@b.se, c@d.se, e@f.se, g@h.se, i@j.se, k@l.se',
					},
				},
				{ continueOnFail: true },
			);
			expect(out.items[0].json.error).toBe(
				'Recipient "not an address" is not valid: use an address like name@example.com [item 0]',
			);
			expect(out.items[0].json.message).toMatch(/CC has 6 addresses; Visma allows at most 5/);
			expect(writes(seq)).toEqual([]);
		});
	});

	describe('Record Payment', () => {
		const pay = async (params: Json, opts: { continueOnFail?: boolean; invoiceId?: string } = {}) =>
			await bed.run(
				{
					resource: 'customerInvoice',
					operation: 'recordPayment',
					invoice: byId(opts.invoiceId ?? SEED_IDS.invoices.unpaid),
					bankAccountId: BANK,
					...params,
				},
				[{}],
				opts,
			);

		it('records what remains by default, once per payment reference', async () => {
			const before = invoice(SEED_IDS.invoices.unpaid);
			const first = await pay({ paymentReference: 'CARD-1' });
			expect(first.items[0].json).toMatchObject({
				outcome: 'recorded',
				paymentReference: 'CARD-1',
				amount: before.RemainingAmountInvoiceCurrency,
				currency: 'SEK',
				remainingBefore: before.RemainingAmountInvoiceCurrency,
				remainingAmount: 0,
				paymentStatus: 0,
			});
			expect(paymentsLogged(SEED_IDS.invoices.unpaid)).toHaveLength(1);
			expect(
				bed.sim.log.find((e) => e.method === 'POST' && e.endpoint === 'customerinvoices')?.body,
			).toMatchObject({
				PaymentType: 2,
				Reference: 'CARD-1',
				CompanyBankAccountId: BANK,
			});

			const seq = lastSeq();
			const again = await pay({ paymentReference: 'CARD-1' });
			expect(again.items[0].json).toMatchObject({
				outcome: 'alreadyRecorded',
				paymentReference: 'CARD-1',
				noteId: first.items[0].json.noteId,
			});
			expect(writes(seq)).toEqual([]);
			expect(paymentsLogged(SEED_IDS.invoices.unpaid)).toHaveLength(1);
		});

		it('partial payments under different references; more than remains is refused before any write unless allowed', async () => {
			const remaining = Number(invoice(SEED_IDS.invoices.unpaid2).RemainingAmountInvoiceCurrency);
			const opts = { invoiceId: SEED_IDS.invoices.unpaid2, continueOnFail: true };
			const part = await pay({ paymentReference: 'BANK-1', amount: '100,50' }, opts);
			expect(part.items[0].json).toMatchObject({
				outcome: 'recorded',
				amount: 100.5,
				remainingAmount: remaining - 100.5,
			});
			const seq = lastSeq();
			const over = await pay({ paymentReference: 'BANK-2', amount: String(remaining) }, opts);
			expect(over.items[0].json.error).toMatch(
				/^Amount [\d.]+ SEK is more than the [\d.]+ SEK that remains on invoice \d+; turn on Allow Overpayment to record it anyway \[item 0\]$/,
			);
			expect(writes(seq)).toEqual([]);
			// Allowed, the payment goes to Visma, which decides (the simulator refuses overpayments).
			const allowed = await pay(
				{
					paymentReference: 'BANK-2',
					amount: String(remaining),
					paymentOptions: { allowOverpayment: true },
				},
				opts,
			);
			expect(allowed.items[0].json.error).toMatch(/exceeds the remaining amount/);
			expect(bed.sim.list('notes').find((n) => String(n.Text).includes('BANK-2'))).toMatchObject({
				Subject: 'n8n: payment refused',
			});
		});

		it('bad input fails the item naming the field: future date, no reference, no bank account, zero amount', async () => {
			const seq = lastSeq();
			const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
			const cases: Array<[Json, RegExp]> = [
				[
					{ paymentReference: 'X', paymentDate: tomorrow },
					/^Payment Date \d{4}-\d{2}-\d{2} is in the future/,
				],
				[{ paymentReference: '' }, /^Payment Reference is required/],
				[{ paymentReference: 'X', bankAccountId: '' }, /^Bank Account is required/],
				[{ paymentReference: 'X', amount: '0' }, /^Amount must be more than 0/],
			];
			for (const [params, message] of cases)
				expect((await pay(params, { continueOnFail: true })).items[0].json.error).toMatch(message);
			expect(writes(seq)).toEqual([]);
		});

		it('a lost answer is settled by the remaining amount, never by paying again; a note that cannot be marked done leaves the payment standing, with a warning', async () => {
			bed.sim.injectFault({
				method: 'POST',
				path: `/v2/customerinvoices/${SEED_IDS.invoices.unpaid}/payments`,
				kind: 'lost-response',
				times: 1,
			});
			const lost = await pay({ paymentReference: 'LOST-1', amount: '10' });
			expect(lost.items[0].json).toMatchObject({ outcome: 'recorded', amount: 10 });
			expect(
				bed.sim.log.filter((e) => e.method === 'POST' && e.path.endsWith('/payments')),
			).toHaveLength(1);

			// The note cannot be marked done: the payment stands, the item warns, and a re-run reconciles.
			bed.sim.injectFault({ method: 'PUT', path: '/v2/notes', kind: '500-5001', times: 20 });
			const halfway = await pay({ paymentReference: 'HALF-1', amount: '20' });
			expect(halfway.items[0].json).toMatchObject({
				outcome: 'recorded',
				warning: expect.stringMatching(/could not be marked done/),
			});
			freshCompany();
			configurePacing({ twinDelayMs: 20, settleMs: 20, retryBaseMs: 20, lostAnswerWaitMs: 400 });
		});

		it('a pending note from a run that stopped before paying does not block a re-run, and one that paid is reconciled', async () => {
			const id = SEED_IDS.invoices.unpaid;
			const remaining = Number(invoice(id).RemainingAmountInvoiceCurrency);
			const note = (ref: string, amount: number) =>
				bed.sim.api('POST', '/notes', {
					Subject: 'n8n: recording payment',
					Text: `[n8n] ${JSON.stringify({ kind: 'payment', state: 'pending', ref, amount, currency: 'SEK', date: '2026-01-01', before: remaining, at: '2026-01-01T00:00:00Z' })}`,
					AttachedTo: id,
					DocumentType: 1,
				});
			note('STOPPED-1', 15);
			const notPaid = await pay({ paymentReference: 'STOPPED-1', amount: '15' });
			expect(notPaid.items[0].json).toMatchObject({ outcome: 'recorded', amount: 15 });
			expect(paymentsLogged(id)).toHaveLength(1);

			// A run that paid but stopped before marking its note: the remaining amount shows it.
			const now = Number(invoice(id).RemainingAmountInvoiceCurrency);
			bed.sim.api('POST', '/notes', {
				Subject: 'n8n: recording payment',
				Text: `[n8n] ${JSON.stringify({ kind: 'payment', state: 'pending', ref: 'PAID-1', amount: 5, currency: 'SEK', date: '2026-01-01', before: now, at: '2026-01-01T00:00:00Z' })}`,
				AttachedTo: id,
				DocumentType: 1,
			});
			bed.sim.api('POST', `/customerinvoices/${id}/payments`, {
				CompanyBankAccountId: BANK,
				PaymentAmount: 5,
				PaymentCurrency: 'SEK',
				PaymentType: 1,
			});
			const reconciled = await pay({ paymentReference: 'PAID-1', amount: '5' });
			expect(reconciled.items[0].json).toMatchObject({ outcome: 'alreadyRecorded', amount: 5 });
			expect(paymentsLogged(id)).toHaveLength(1);
			expect(bed.sim.list('notes').find((n) => String(n.Text).includes('PAID-1'))).toMatchObject({
				Subject: 'n8n: payment recorded',
			});
		});

		it('the Bank Account dropdown needs ea:purchase_readonly, and its error says so', async () => {
			const contextWith = (scopes: string[]) =>
				buildContext(
					{
						nodeType: new VismaEAccounting(),
						parameters: {},
						credential: new StoredCredential({
							...bed.credential.data,
							oauthTokenData: storedTokens(bed.sim, { scopes }),
						}),
					},
					{ calls: 0 },
				).loadOptions;
			const options = await getBankAccounts.call(
				contextWith(['ea:api', 'ea:sales', 'ea:purchase_readonly']),
			);
			expect(options.map((o) => o.value)).toContain(BANK);
			await expect(getBankAccounts.call(contextWith(['ea:api', 'ea:sales']))).rejects.toThrow(
				expect.objectContaining({
					description: expect.stringMatching(/Record Payment need ea:purchase_readonly/),
				}),
			);
		});
	});

	it('New Booked Invoice and Invoice Paid carry the source reference the export stored and the draft they came from', async () => {
		const booked = new TriggerNode(bed, {
			event: 'newBookedInvoice',
			sourceReferenceField: 'YourReference',
		});
		const paid = new TriggerNode(bed, { event: 'invoicePaid', simplify: false });
		await booked.poll();
		await paid.poll();
		const exported = await bed.run(
			{
				...exportInvoiceParameters,
				exportOptions: { sourceReference: 'SRC-77', sourceReferenceField: 'YourReference' },
			},
			[approval('ignored')],
		);
		const draftId = String(exported.items[0].json.Id);
		const inv = bed.sim.api('POST', `/customerinvoicedrafts/${draftId}/convert`).body;
		const [emitted] = await booked.poll();
		expect(emitted).toMatchObject({
			Id: inv.Id,
			sourceReference: { field: 'YourReference', value: 'SRC-77' },
			draftId,
		});
		await pay(inv.Id);
		const [paidItem] = await paid.poll();
		// Contract Number is the default field; this export used Your Reference, so nothing is there.
		expect(paidItem).toMatchObject({
			Id: inv.Id,
			PaymentStatus: 0,
			sourceReference: null,
			draftId,
		});

		async function pay(id: string) {
			await bed.run({
				resource: 'customerInvoice',
				operation: 'recordPayment',
				invoice: byId(id),
				bankAccountId: BANK,
				paymentReference: 'P-77',
			});
		}
	});
});

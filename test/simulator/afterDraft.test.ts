import { describe, expect, it } from '@jest/globals';

import { fields, http, type Sim, authorized, type Api } from './helpers';
import { SEED_IDS } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');
const PNG = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);
const UNKNOWN = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

const upload = (DockumentId: string, extra: Record<string, unknown> = {}) => ({
	ContentType: 'application/pdf',
	FileName: 'work-report.pdf',
	DockumentId,
	Data: PDF.toString('base64'),
	...extra,
});

describe('simulator: attachments, notes, email and e-invoice (after the draft)', () => {
	let sim: Sim;
	let api: Api;
	let draftId: string;
	const invoiceId = SEED_IDS.invoices.unpaid;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started);
		draftId = started.list('customerinvoicedrafts')[0].Id;
	});

	it('attaches a PDF to a draft, lists it on the draft, reads it back and downloads the bytes', async () => {
		const res = await api(
			'POST',
			'/v2/salesdocumentattachments/customerinvoicedraft',
			upload(draftId),
		);
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			DocumentId: draftId,
			DocumentType: 2,
			OriginalFilename: 'work-report.pdf',
			DocumentSize: PDF.length,
			Thumbnail: null,
		});
		const draft = await api('GET', `/v2/customerinvoicedrafts/${draftId}`);
		expect(draft.body.SalesDocumentAttachments).toEqual([res.body.Id]);
		const info = await api('GET', `/v2/salesdocumentattachments/${res.body.Id}`);
		expect(info.body).toEqual(res.body);
		const file = await fetch(`${sim.url}/v2/salesdocumentattachments/${res.body.Id}.pdf`, {
			headers: { Authorization: `Bearer ${sim.issueTokens().access_token}` },
		});
		expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
		const listed = await api(
			'GET',
			`/v2/salesdocumentattachments?$filter=${encodeURIComponent(`DocumentId eq ${draftId}`)}`,
		);
		expect(listed.body.Data.map((a: { Id: string }) => a.Id)).toEqual([res.body.Id]);
	});

	it('keeps attachments when a draft is replaced, moves them to the invoice on conversion and drops them with a deleted draft', async () => {
		const a = (
			await api('POST', '/v2/salesdocumentattachments/customerinvoicedraft', upload(draftId))
		).body;
		const draft = (await api('GET', `/v2/customerinvoicedrafts/${draftId}`)).body;
		expect((await api('PUT', `/v2/customerinvoicedrafts/${draftId}`, draft)).body).toMatchObject({
			SalesDocumentAttachments: [a.Id],
		});
		const invoice = await api('POST', `/v2/customerinvoicedrafts/${draftId}/convert`);
		expect(invoice.body.SalesDocumentAttachments).toEqual([a.Id]);
		expect((await api('GET', `/v2/salesdocumentattachments/${a.Id}`)).body).toMatchObject({
			DocumentId: invoice.body.Id,
			DocumentType: 1,
		});

		const other = sim.list('customerinvoicedrafts')[0].Id;
		const b = (
			await api('POST', '/v2/salesdocumentattachments/customerinvoicedraft', upload(other))
		).body;
		expect((await api('DELETE', `/v2/customerinvoicedrafts/${other}`)).status).toBe(200);
		expect((await api('GET', `/v2/salesdocumentattachments/${b.Id}`)).status).toBe(404);
	});

	it('attaches images to a booked invoice and deletes an attachment from its document only', async () => {
		const res = await api(
			'POST',
			'/v2/salesdocumentattachments/customerinvoice',
			upload(invoiceId, {
				ContentType: 'image/png',
				FileName: 'photo.png',
				Data: PNG.toString('base64'),
			}),
		);
		expect(res.status).toBe(201);
		expect(res.body.Thumbnail).toEqual(expect.any(String));
		expect(
			(await api('GET', `/v2/customerinvoices/${invoiceId}`)).body.SalesDocumentAttachments,
		).toEqual([res.body.Id]);
		const wrongDoc = await api(
			'DELETE',
			`/v2/salesdocumentattachments/customerinvoicedraft/${draftId}/${res.body.Id}`,
		);
		expect(wrongDoc.status).toBe(400);
		expect(wrongDoc.body.ErrorCode).toBe(3000);
		const gone = await api(
			'DELETE',
			`/v2/salesdocumentattachments/customerinvoice/${invoiceId}/${res.body.Id}`,
		);
		expect(gone.status).toBe(200);
		expect(
			(await api('GET', `/v2/customerinvoices/${invoiceId}`)).body.SalesDocumentAttachments,
		).toEqual([]);
	});

	it('refuses a wrong type, content that is not what it says, an empty or oversized file, a long name, bad base64, a URL and an unknown document', async () => {
		sim.configure({ maxAttachmentBytes: 64 });
		const post = async (extra: Record<string, unknown>, doc = draftId) =>
			await api('POST', '/v2/salesdocumentattachments/customerinvoicedraft', upload(doc, extra));
		const cases: Array<[Record<string, unknown>, string, string]> = [
			[{ ContentType: 'text/plain' }, 'ContentType', 'InvalidValue'],
			[{ ContentType: 'image/jpeg' }, 'Data', 'InvalidValue'],
			[{ Data: '' }, 'Data', 'Required'],
			[{ Data: Buffer.alloc(65, 0x25).toString('base64') }, 'Data', 'MaxSize'],
			[{ Data: 'not base64!' }, 'Data', 'InvalidFormat'],
			[{ FileName: `${'x'.repeat(125)}.pdf` }, 'FileName', 'MaxLength'],
			[{ FileName: 'a\nb.pdf' }, 'FileName', 'InvalidValue'],
			[{ Url: 'https://example.com/a.pdf', Data: null }, 'Url', 'InvalidValue'],
			[{ Bogus: 1 }, 'Bogus', 'UnknownProperty'],
		];
		for (const [extra, field, key] of cases) {
			const res = await post(extra);
			expect([res.status, res.body.ErrorCode, fields(res.body)]).toEqual([400, 2000, [field]]);
			expect(res.body.Errors[0].Key).toBe(key);
		}
		const missing = await post({}, UNKNOWN);
		expect([missing.status, missing.body.ErrorCode, fields(missing.body)]).toEqual([
			400,
			3000,
			['DockumentId'],
		]);
		// A draft id is not an invoice id.
		const wrongKind = await api(
			'POST',
			'/v2/salesdocumentattachments/customerinvoice',
			upload(draftId),
		);
		expect(wrongKind.body.ErrorCode).toBe(3000);
		expect(sim.list('salesdocumentattachments')).toEqual([]);
	});

	it('needs ea:sales even to read attachments', async () => {
		const readOnly = http(
			sim,
			sim.issueTokens({ scopes: ['ea:api', 'ea:sales_readonly'] }).access_token,
		);
		const res = await readOnly('GET', '/v2/salesdocumentattachments');
		expect([res.status, res.body.ErrorCode]).toEqual([403, 4006]);
	});

	it('notes: attached to an invoice they appear in its Notes, can be marked done, never move, and follow a converted draft', async () => {
		const created = await api('POST', '/v2/notes', {
			Text: 'Payment FS-1 recorded',
			Subject: 'n8n payment',
			AttachedTo: invoiceId,
			DocumentType: 1,
		});
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ AttachedTo: invoiceId, DocumentType: 1, IsDone: false });
		expect((await api('GET', `/v2/customerinvoices/${invoiceId}`)).body.Notes).toEqual([
			created.body.Id,
		]);
		const done = await api('PUT', `/v2/notes/${created.body.Id}`, {
			...created.body,
			Text: 'done',
			IsDone: true,
		});
		expect(done.body).toMatchObject({ Text: 'done', IsDone: true, AttachedTo: invoiceId });
		const moved = await api('PUT', `/v2/notes/${created.body.Id}`, {
			Text: 'x',
			AttachedTo: draftId,
			DocumentType: 2,
		});
		expect(fields(moved.body)).toEqual(['AttachedTo', 'DocumentType']);

		const onDraft = (
			await api('POST', '/v2/notes', { Text: 'd', AttachedTo: draftId, DocumentType: 2 })
		).body;
		const invoice = (await api('POST', `/v2/customerinvoicedrafts/${draftId}/convert`)).body;
		expect(invoice.Notes).toEqual([onDraft.Id]);
		expect((await api('GET', `/v2/notes/${onDraft.Id}`)).body).toMatchObject({
			AttachedTo: invoice.Id,
			DocumentType: 1,
		});

		for (const [body, field] of [
			[{ Text: 'x'.repeat(257) }, 'Text'],
			[{ Text: 'x', Subject: 'y'.repeat(41) }, 'Subject'],
			[{ Text: 'x', AttachedTo: invoiceId }, 'DocumentType'],
			[{ Text: 'x', DocumentType: 1 }, 'AttachedTo'],
			[{ Text: 'x', AttachedTo: UNKNOWN, DocumentType: 1 }, 'AttachedTo'],
		] as Array<[Record<string, unknown>, string]>) {
			const res = await api('POST', '/v2/notes', body);
			expect([res.status, fields(res.body)]).toEqual([400, [field]]);
		}
		expect((await api('GET', `/v2/notes/${UNKNOWN}`)).status).toBe(404);
	});

	it("email: Visma's defaults (the customer's address, the company's subject with the invoice number), or the given fields; nothing on the invoice changes", async () => {
		const before = (await api('GET', `/v2/customerinvoices/${invoiceId}`)).body;
		expect((await api('POST', `/v2/customerinvoices/${invoiceId}/email`)).status).toBe(200);
		const given = await api('POST', `/v2/customerinvoices/${invoiceId}/email`, {
			Email: 'anna@example.se',
			CcRecipients: ['bo@example.se'],
			Subject: 'Invoice ####',
			Message: 'Thanks',
		});
		expect(given.status).toBe(200);
		const [first, second] = sim.list('outbox');
		expect(first).toMatchObject({
			InvoiceId: invoiceId,
			Via: 'email',
			Email: 'faktura@bergstrombygg.se',
			Subject: `Faktura ${before.InvoiceNumber} från ${sim.companySettings().Name}`,
		});
		expect(second).toMatchObject({
			Email: 'anna@example.se',
			CcRecipients: ['bo@example.se'],
			Subject: `Invoice ${before.InvoiceNumber}`,
			Message: 'Thanks',
		});
		expect((await api('GET', `/v2/customerinvoices/${invoiceId}`)).body).toEqual(before);

		const bad = await api('POST', `/v2/customerinvoices/${invoiceId}/email`, {
			Email: 'not-an-address',
			CcRecipients: ['a@b.se', 'x'],
		});
		expect(fields(bad.body)).toEqual(['Email', 'CcRecipients[1]']);
		const unknown = await api('POST', `/v2/customerinvoices/${UNKNOWN}/email`, {});
		expect([unknown.status, unknown.body.ErrorCode]).toEqual([400, 3000]);
		expect(sim.list('outbox')).toHaveLength(2);
	});

	it('e-invoice: needs a SendType and an electronic address for AutoInvoice Electronic', async () => {
		const none = await api('POST', `/v2/customerinvoices/${invoiceId}/einvoice`, {});
		expect(fields(none.body)).toEqual(['SendType']);
		const electronic = await api('POST', `/v2/customerinvoices/${invoiceId}/einvoice`, {
			SendType: 1,
		});
		expect([electronic.status, electronic.body.ErrorCode]).toEqual([400, 4017]);
		const b2c = await api('POST', `/v2/customerinvoices/${invoiceId}/einvoice`, { SendType: 3 });
		expect(fields(b2c.body)).toEqual(['SendType']);
		const print = await api('POST', `/v2/customerinvoices/${invoiceId}/einvoice`, { SendType: 2 });
		expect(print.status).toBe(200);
		expect(sim.list('outbox')).toEqual([
			expect.objectContaining({ InvoiceId: invoiceId, Via: 'einvoice', SendType: 2 }),
		]);
	});
});

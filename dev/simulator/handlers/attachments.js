// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody } = require('../validate');
const { ApiError, CODES, fieldError, unknownId, throwIfErrors, notFound } = require('../errors');
const { getForWrite, list, noListOptions, nowIso, ok, requireBody } = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

/**
 * Sales document types. Visma's model lists 0-6 without naming them; the simulator uses the
 * numbers NoteApi gives these documents (1 customer invoice, 2 customer invoice draft).
 */
const DOCUMENT_TYPE = Object.freeze({ customerinvoice: 1, customerinvoicedraft: 2 });

/** The content types Visma allows, and how each file starts. */
const CONTENT_TYPES = /** @type {Record<string, (b: Buffer) => boolean>} */ ({
	'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
	'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
	'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])),
	'image/tiff': (b) => {
		const head = b.subarray(0, 4).toString('latin1');
		return head === 'II*\0' || head === 'MM\0*';
	},
});

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A 1×1 grey PNG: what the simulator shows as the thumbnail of an image. */
const THUMBNAIL =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/**
 * @param {State} state
 * @param {'customerinvoicedraft' | 'customerinvoice'} kind
 */
function documentsOf(state, kind) {
	return kind === 'customerinvoicedraft' ? state.customerinvoicedrafts : state.customerinvoices;
}

/** @param {Json} a stored attachment */
function renderAttachment(a) {
	return render('SalesDocumentAttachmentApi', a);
}

/**
 * POST /salesdocumentattachments/customerinvoicedraft and /customerinvoice: the file as base64
 * `Data`, checked against the allowed types (by content, not only by the declared type), the
 * size limit and the document it names.
 * @param {'customerinvoicedraft' | 'customerinvoice'} kind
 * @returns {(ctx: Ctx) => import('./common').HandlerResult}
 */
function createAttachment(kind) {
	return (ctx) => {
		noListOptions(ctx);
		const { state } = ctx;
		const { value: v, errors } = validateBody('SalesDocumentAttachmentUploadApi', requireBody(ctx));
		throwIfErrors(errors);
		/** @type {import('../errors').FieldError[]} */
		const rules = [];
		const check = CONTENT_TYPES[v.ContentType];
		if (!check)
			rules.push(
				fieldError(
					'ContentType',
					`ContentType '${v.ContentType}' is not allowed. Allowed values: ${Object.keys(CONTENT_TYPES).join(', ')}.`,
					'InvalidValue',
				),
			);
		if (/[\u0000-\u001f\u007f]/.test(v.FileName))
			rules.push(fieldError('FileName', 'FileName contains control characters.', 'InvalidValue'));
		if (v.Url)
			rules.push(
				fieldError(
					'Url',
					'The simulator does not fetch files from URLs; send the file as base64 Data.',
					'InvalidValue',
				),
			);
		/** @type {Buffer | null} */
		let data = null;
		if (v.Data === null || v.Data === undefined || v.Data === '') {
			if (!v.Url)
				rules.push(fieldError('Data', "Data is required if 'Url' is not provided.", 'Required'));
		} else if (!BASE64.test(v.Data)) {
			rules.push(fieldError('Data', 'Data is not valid base64.', 'InvalidFormat'));
		} else {
			data = Buffer.from(v.Data, 'base64');
			if (data.length > ctx.rules.maxAttachmentBytes)
				rules.push(
					fieldError(
						'Data',
						`The file is ${data.length} bytes; at most ${ctx.rules.maxAttachmentBytes} bytes are allowed.`,
						'MaxSize',
					),
				);
			else if (check && !check(data))
				rules.push(fieldError('Data', `The file content is not ${v.ContentType}.`, 'InvalidValue'));
		}
		throwIfErrors(rules);
		const doc = documentsOf(state, kind).get(v.DockumentId);
		if (!doc)
			throw unknownId(
				'DockumentId',
				kind === 'customerinvoicedraft' ? 'Customer invoice draft' : 'Customer invoice',
				v.DockumentId,
			);
		const bytes = /** @type {Buffer} */ (data);
		const attachment = {
			Id: newId(),
			DocumentId: doc.Id,
			DocumentType: DOCUMENT_TYPE[kind],
			OriginalFilename: v.FileName,
			DocumentSize: bytes.length,
			CreatedUtc: nowIso(ctx),
			CreatedBy: 'API',
			Thumbnail: v.ContentType === 'application/pdf' ? null : THUMBNAIL,
			_contentType: v.ContentType,
			_data: bytes,
		};
		state.salesdocumentattachments.set(attachment.Id, attachment);
		doc.SalesDocumentAttachments = [...(doc.SalesDocumentAttachments ?? []), attachment.Id];
		if (kind === 'customerinvoice') doc.ModifiedUtc = nowIso(ctx);
		return ok(renderAttachment(attachment), 201);
	};
}

/** @param {Ctx} ctx */
function listAttachments(ctx) {
	return list(
		ctx,
		'SalesDocumentAttachmentApi',
		[...ctx.state.salesdocumentattachments.values()].map(renderAttachment),
	);
}

/**
 * GET /salesdocumentattachments/{attachmentId} (information) and /{attachmentId}.pdf (the file).
 * @param {Ctx} ctx
 */
function getAttachment(ctx) {
	noListOptions(ctx);
	const raw = ctx.params.attachmentId;
	const download = /\.pdf$/i.test(raw);
	const id = download ? raw.slice(0, -4) : raw;
	const a = ctx.state.salesdocumentattachments.get(id.toLowerCase());
	if (!a) throw notFound('Sales document attachment', id);
	if (download) return { status: 200, body: a._data, contentType: a._contentType };
	return ok(renderAttachment(a));
}

/**
 * DELETE /salesdocumentattachments/customerinvoicedraft/{draftId}/{attachmentId} (and invoice).
 * @param {'customerinvoicedraft' | 'customerinvoice'} kind
 * @returns {(ctx: Ctx) => import('./common').HandlerResult}
 */
function deleteAttachment(kind) {
	return (ctx) => {
		noListOptions(ctx);
		const { state } = ctx;
		const doc = getForWrite(
			documentsOf(state, kind),
			kind === 'customerinvoicedraft'
				? ctx.params.customerInvoiceDraftId
				: ctx.params.customerInvoiceId,
			kind === 'customerinvoicedraft' ? 'Customer invoice draft' : 'Customer invoice',
		);
		const id = ctx.params.attachmentId.toLowerCase();
		const a = state.salesdocumentattachments.get(id);
		if (!a || a.DocumentId !== doc.Id)
			throw new ApiError(
				400,
				CODES.ResourceNotFound,
				`Attachment with id '${ctx.params.attachmentId}' was not found on this document.`,
			);
		state.salesdocumentattachments.delete(id);
		doc.SalesDocumentAttachments = (doc.SalesDocumentAttachments ?? []).filter(
			(/** @type {string} */ x) => x !== id,
		);
		return ok(undefined);
	};
}

/**
 * The attachments move with a draft that is booked as an invoice.
 * @param {State} state
 * @param {Json} draft
 * @param {Json} invoice
 */
function moveAttachments(state, draft, invoice) {
	invoice.SalesDocumentAttachments = [...(draft.SalesDocumentAttachments ?? [])];
	for (const id of invoice.SalesDocumentAttachments) {
		const a = state.salesdocumentattachments.get(id);
		if (a)
			Object.assign(a, { DocumentId: invoice.Id, DocumentType: DOCUMENT_TYPE.customerinvoice });
	}
}

/**
 * A deleted draft takes its attachments with it.
 * @param {State} state
 * @param {Json} draft
 */
function dropAttachments(state, draft) {
	for (const id of draft.SalesDocumentAttachments ?? []) state.salesdocumentattachments.delete(id);
}

module.exports = {
	CONTENT_TYPES,
	DOCUMENT_TYPE,
	createAttachment,
	deleteAttachment,
	dropAttachments,
	getAttachment,
	listAttachments,
	moveAttachments,
};

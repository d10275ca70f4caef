// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody } = require('../validate');
const { fieldError, fieldProblem, unknownId, throwIfErrors } = require('../errors');
const { getForWrite, getOr404, list, noListOptions, nowIso, ok, requireBody } = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

/** The NoteApi document types the simulator can attach notes to, and where they live. */
const ATTACHABLE = /** @type {Record<number, { collection: keyof State, what: string }>} */ ({
	1: { collection: 'customerinvoices', what: 'Customer invoice' },
	2: { collection: 'customerinvoicedrafts', what: 'Customer invoice draft' },
	9: { collection: 'customers', what: 'Customer' },
	11: { collection: 'articles', what: 'Article' },
});

/** The simulated API user who writes notes. */
const USER_ID = '5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

/** @param {Json} n */
const renderNote = (n) => render('NoteApi', n);

/** @param {Ctx} ctx */
function listNotes(ctx) {
	return list(ctx, 'NoteApi', [...ctx.state.notes.values()].map(renderNote));
}

/** @param {Ctx} ctx */
function getNote(ctx) {
	noListOptions(ctx);
	return ok(renderNote(getOr404(ctx.state.notes, ctx.params.noteId, 'Note')));
}

/**
 * POST /notes: a note, optionally attached to a document; the document then lists it in Notes.
 * @param {Ctx} ctx
 */
function createNote(ctx) {
	noListOptions(ctx);
	const { state } = ctx;
	const { value: v, errors } = validateBody('NoteApi', requireBody(ctx));
	throwIfErrors(errors);
	const type = v.DocumentType ?? 0;
	/** @type {Json | undefined} */
	let doc;
	if (v.AttachedTo) {
		const target = ATTACHABLE[type];
		if (!target)
			throw fieldProblem(
				'DocumentType',
				type === 0
					? 'DocumentType is required when AttachedTo is set.'
					: `The simulator cannot attach notes to DocumentType ${type}.`,
				'InvalidValue',
			);
		doc = /** @type {Map<string, Json>} */ (state[target.collection]).get(v.AttachedTo);
		if (!doc) throw unknownId('AttachedTo', target.what, v.AttachedTo);
	} else if (type !== 0) {
		throw fieldProblem(
			'AttachedTo',
			'AttachedTo is required when DocumentType is set.',
			'Required',
		);
	}
	const now = nowIso(ctx);
	const note = {
		...v,
		Id: newId(),
		UserId: USER_ID,
		AttachedTo: v.AttachedTo ?? null,
		DocumentType: type,
		IsDone: v.IsDone ?? false,
		CreatedUtc: now,
		ModifiedUtc: now,
	};
	state.notes.set(note.Id, note);
	if (doc) doc.Notes = [...(doc.Notes ?? []), note.Id];
	return ok(renderNote(note));
}

/**
 * PUT /notes/{noteId}: replaces Text, Subject and IsDone; a note stays on its document.
 * @param {Ctx} ctx
 */
function updateNote(ctx) {
	noListOptions(ctx);
	const note = getForWrite(ctx.state.notes, ctx.params.noteId, 'Note');
	const { value: v, errors } = validateBody('NoteApi', requireBody(ctx));
	throwIfErrors(errors);
	/** @type {import('../errors').FieldError[]} */
	const moved = [];
	if ('AttachedTo' in v && (v.AttachedTo ?? null) !== note.AttachedTo)
		moved.push(
			fieldError('AttachedTo', 'A note cannot be moved to another document.', 'InvalidValue'),
		);
	if ('DocumentType' in v && v.DocumentType !== note.DocumentType)
		moved.push(
			fieldError('DocumentType', 'A note cannot change its document type.', 'InvalidValue'),
		);
	throwIfErrors(moved);
	Object.assign(note, {
		Text: v.Text,
		Subject: v.Subject ?? null,
		IsDone: v.IsDone ?? false,
		ModifiedUtc: nowIso(ctx),
	});
	return ok(renderNote(note));
}

module.exports = { createNote, getNote, listNotes, renderNote, updateNote };

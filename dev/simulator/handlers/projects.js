// @ts-check
'use strict';

const { newId } = require('../ids');
const { render } = require('../render');
const { validateBody } = require('../validate');
const { duplicateNumber, unknownId, throwIfErrors } = require('../errors');
const {
	businessDate,
	getForWrite,
	getOr404,
	list,
	noListOptions,
	nowIso,
	ok,
	requireBody,
	today,
} = require('./common');

/** @typedef {import('./common').Ctx} Ctx */
/** @typedef {import('../state').State} State */
/** @typedef {Record<string, any>} Json */

/**
 * @param {State} state
 * @param {Json} p stored project
 */
function renderProject(state, p) {
	const customer = p.CustomerId ? state.customers.get(p.CustomerId) : null;
	return render('ProjectApi', { ...p, CustomerName: customer?.Name ?? null });
}

/** @param {Ctx} ctx */
function listProjects(ctx) {
	return list(
		ctx,
		'ProjectApi',
		[...ctx.state.projects.values()].map((p) => renderProject(ctx.state, p)),
	);
}

/** @param {Ctx} ctx */
function getProject(ctx) {
	noListOptions(ctx);
	return ok(renderProject(ctx.state, getOr404(ctx.state.projects, ctx.params.id, 'Project')));
}

/**
 * "The project number must be unique": compared without regard to case, like customer and
 * article numbers.
 * @param {Ctx} ctx
 * @param {Json | null} existing
 */
function validateProject(ctx, existing) {
	const { state } = ctx;
	const { value: v, errors } = validateBody('ProjectApi', requireBody(ctx));
	throwIfErrors(errors);
	if (v.CustomerId && !state.customers.has(v.CustomerId))
		throw unknownId('CustomerId', 'Customer', v.CustomerId);
	const wanted = String(v.Number).toLowerCase();
	const taken = [...state.projects.values()].find(
		(p) => String(p.Number).toLowerCase() === wanted && p.Id !== existing?.Id,
	);
	if (taken)
		throw duplicateNumber(
			ctx.rules.duplicateErrorCode,
			'Number',
			'Project',
			v.Number,
			taken.Number,
		);
	return {
		...v,
		StartDate: businessDate(v.StartDate) ?? `${today(ctx)}T00:00:00`,
		EndDate: businessDate(v.EndDate),
	};
}

/** @param {Ctx} ctx */
function createProject(ctx) {
	noListOptions(ctx);
	const p = { ...validateProject(ctx, null), Id: newId(), ModifiedUtc: nowIso(ctx) };
	ctx.state.projects.set(p.Id, p);
	return ok(renderProject(ctx.state, p), 201);
}

/** PUT replaces the project; Visma documents 201 for it. @param {Ctx} ctx */
function updateProject(ctx) {
	noListOptions(ctx);
	const existing = getForWrite(ctx.state.projects, ctx.params.id, 'Project');
	const p = { ...validateProject(ctx, existing), Id: existing.Id, ModifiedUtc: nowIso(ctx) };
	ctx.state.projects.set(p.Id, p);
	return ok(renderProject(ctx.state, p), 201);
}

module.exports = { createProject, getProject, listProjects, renderProject, updateProject };

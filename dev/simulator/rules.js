// @ts-check
'use strict';

/**
 * API rules where Visma's documentation is silent. The defaults are the cautious reading (what a stock
 * ASP.NET OData service would do); the knobs loosen or tighten them.
 * @typedef {object} ApiRules
 * @property {number | null} maxFilterNodes $filter node limit like ASP.NET's MaxNodeCount; null = unlimited
 * @property {number} duplicateErrorCode ErrorCode for a duplicate CustomerNumber or article Number
 * @property {string[]} refuseFilterOn properties refused in $filter: 'Field' (every collection) or 'collection.Field'
 * @property {string[]} refuseOrderByOn the same for $orderby
 * @property {boolean | string[]} refuseSelect true refuses any $select; a list refuses those properties
 * @property {number} maxAttachmentBytes largest file a sales document attachment may have (Visma documents none)
 */

/** @type {Readonly<ApiRules>} */
const DEFAULT_RULES = Object.freeze({
	maxFilterNodes: 100,
	duplicateErrorCode: 2000,
	refuseFilterOn: [],
	refuseOrderByOn: [],
	refuseSelect: false,
	// Visma documents no size limit for sales document attachments: 5 MiB is the node's cautious guess.
	maxAttachmentBytes: 5 * 1024 * 1024,
});

/**
 * @param {unknown} v
 * @param {string} name
 * @returns {string[]}
 */
function fieldList(v, name) {
	if (v === null) return [];
	if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.trim() !== ''))
		throw new TypeError(
			`${name} must be an array of property names such as 'Id' or 'customerinvoices.ModifiedUtc'`,
		);
	return v.map((s) => s.trim());
}

/**
 * Copies the rule options that are set (not undefined) onto target, validating them.
 * @param {ApiRules} target
 * @param {Partial<Record<keyof ApiRules, unknown>>} opts
 */
function applyRules(target, opts) {
	if (opts.maxFilterNodes !== undefined) {
		const n = opts.maxFilterNodes;
		if (n !== null && (typeof n !== 'number' || !Number.isInteger(n) || n < 0))
			throw new TypeError(
				'maxFilterNodes must be a non-negative integer or null (0 and null mean unlimited)',
			);
		target.maxFilterNodes = n ? n : null;
	}
	if (opts.duplicateErrorCode !== undefined) {
		const c = opts.duplicateErrorCode;
		if (typeof c !== 'number' || !Number.isInteger(c))
			throw new TypeError('duplicateErrorCode must be an integer such as 2000 or 4000');
		target.duplicateErrorCode = c;
	}
	if (opts.refuseFilterOn !== undefined)
		target.refuseFilterOn = fieldList(opts.refuseFilterOn, 'refuseFilterOn');
	if (opts.refuseOrderByOn !== undefined)
		target.refuseOrderByOn = fieldList(opts.refuseOrderByOn, 'refuseOrderByOn');
	if (opts.refuseSelect !== undefined) {
		const s = opts.refuseSelect;
		target.refuseSelect =
			s === null ? false : typeof s === 'boolean' ? s : fieldList(s, 'refuseSelect');
	}
	if (opts.maxAttachmentBytes !== undefined) {
		const n = opts.maxAttachmentBytes;
		if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
			throw new TypeError('maxAttachmentBytes must be a positive integer (bytes)');
		target.maxAttachmentBytes = n;
	}
	return target;
}

/**
 * Whether `field` is listed for `collection` (entries: 'Field' or 'collection.Field'; collection names ignore case).
 * @param {string[]} list
 * @param {string} collection route collection, e.g. 'customerinvoices'
 * @param {string} field
 */
function isRefused(list, collection, field) {
	return list.some((entry) => {
		const dot = entry.lastIndexOf('.');
		if (dot < 0) return entry === field;
		return (
			entry.slice(0, dot).toLowerCase() === collection.toLowerCase() &&
			entry.slice(dot + 1) === field
		);
	});
}

module.exports = { DEFAULT_RULES, applyRules, isRefused };

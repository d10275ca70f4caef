// @ts-check
'use strict';

const { schema } = require('./schemas');

/** @typedef {import('./schemas').FieldDef} FieldDef */
/** @typedef {Record<string, any>} Json */

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * The value .NET would serialize for an unset property.
 * @param {FieldDef} field
 */
function defaultFor(field) {
	if (field.nullable) return field.type === 'array' ? [] : null;
	switch (field.type) {
		case 'bool':
			return false;
		case 'int':
		case 'int64':
		case 'number':
			return 0;
		case 'uuid':
			return EMPTY_GUID;
		case 'date':
			return '0001-01-01T00:00:00';
		case 'array':
			return [];
		default:
			return null;
	}
}

/** @type {Map<string, Array<[string, FieldDef]>>} */
const ENTRIES = new Map();

/** @param {string} schemaName */
function entriesOf(schemaName) {
	let e = ENTRIES.get(schemaName);
	if (!e) {
		e = Object.entries(schema(schemaName).props);
		ENTRIES.set(schemaName, e);
	}
	return e;
}

/**
 * Full API object: every property of the model in spec order, stored value or the default.
 * Nested models are rendered recursively. Properties not in the model are dropped.
 * @param {string} schemaName
 * @param {Json | null | undefined} data
 * @returns {Json}
 */
function render(schemaName, data) {
	/** @type {Json} */
	const out = {};
	const src = data ?? {};
	for (const [key, field] of entriesOf(schemaName)) {
		const v = src[key];
		out[key] = v === undefined ? defaultFor(field) : renderValue(field, v);
	}
	return out;
}

/**
 * @param {FieldDef} field
 * @param {any} v
 * @returns {any}
 */
function renderValue(field, v) {
	if (v === null) return null;
	if (field.type === 'object' && field.ref) return render(field.ref, v);
	if (field.type === 'array' && Array.isArray(v) && field.items) {
		const items = field.items;
		return v.map((item) => renderValue(items, item));
	}
	return v;
}

module.exports = { EMPTY_GUID, defaultFor, render };

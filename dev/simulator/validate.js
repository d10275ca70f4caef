// @ts-check
'use strict';

const { schema } = require('./schemas');
const { fieldError } = require('./errors');
const { countDecimals } = require('./money');

/** @typedef {import('./schemas').FieldDef} FieldDef */
/** @typedef {import('./errors').FieldError} FieldError */
/** @typedef {Record<string, any>} Json */

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// ISO 8601 as System.Text.Json reads it: date, or date + time with optional fraction and offset.
const DATE_RE =
	/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const CLR_NAMES = {
	string: 'System.String',
	uuid: 'System.Guid',
	date: 'System.DateTime',
	bool: 'System.Boolean',
	int: 'System.Int32',
	int64: 'System.Int64',
	number: 'System.Double',
	array: 'System.Collections.Generic.List',
	object: 'System.Object',
};

/**
 * Parses an ISO date or date-time the way the API accepts it.
 * @param {string} s
 * @returns {{ date: string, ms: number, hasTime: boolean } | null} date = the calendar date as written (YYYY-MM-DD)
 */
function parseIsoDate(s) {
	const m = DATE_RE.exec(s);
	if (!m) return null;
	const [, y, mo, d, hh, mi, ss, frac, tz] = m;
	const year = Number(y);
	const month = Number(mo);
	const day = Number(d);
	if (month < 1 || month > 12 || day < 1) return null;
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (day > daysInMonth) return null;
	if (hh !== undefined && (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59)) return null;
	if (tz && tz !== 'Z' && (Number(tz.slice(1, 3)) > 14 || Number(tz.slice(4)) > 59)) return null;
	let ms = Date.UTC(
		year,
		month - 1,
		day,
		Number(hh ?? 0),
		Number(mi ?? 0),
		Number(ss ?? 0),
		Number(((frac ?? '') + '000').slice(0, 3)),
	);
	if (tz && tz !== 'Z') {
		const sign = tz[0] === '-' ? -1 : 1;
		ms -= sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4))) * 60000;
	}
	return { date: `${y}-${mo}-${d}`, ms, hasTime: hh !== undefined };
}

/** @param {unknown} v */
function isPlainObject(v) {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @typedef {object} ValidateOptions
 * @property {Iterable<string>} [computed] writable-in-schema fields the server computes itself: accepted (type-checked) and ignored
 * @property {Record<string, Iterable<string>>} [nestedComputed] the same per nested schema name
 */

/**
 * Validates a request body against a model: unknown properties, required fields, types, maxLength,
 * numeric ranges, decimal patterns and enums. Read-only and computed properties are type-checked and dropped.
 * @param {string} schemaName
 * @param {unknown} body
 * @param {ValidateOptions} [opts]
 * @returns {{ value: Json, errors: FieldError[] }}
 */
function validateBody(schemaName, body, opts = {}) {
	/** @type {FieldError[]} */
	const errors = [];
	/** @type {Record<string, Set<string>>} */
	const computed = {};
	computed[schemaName] = new Set(opts.computed ?? []);
	for (const [name, list] of Object.entries(opts.nestedComputed ?? {}))
		computed[name] = new Set(list);
	const value = validateObject(schemaName, body, '', true, computed, errors);
	return { value: value ?? {}, errors };
}

/**
 * @param {string} schemaName
 * @param {unknown} body
 * @param {string} path
 * @param {boolean} strict false inside read-only parents: only types are checked
 * @param {Record<string, Set<string>>} computed
 * @param {FieldError[]} errors
 * @returns {Json | null}
 */
function validateObject(schemaName, body, path, strict, computed, errors) {
	const def = schema(schemaName);
	if (!isPlainObject(body)) {
		errors.push(
			fieldError(
				path || '$',
				`The JSON value could not be converted to ${schemaName}.`,
				'InvalidType',
			),
		);
		return null;
	}
	const obj = /** @type {Json} */ (body);
	const ignored = computed[schemaName] ?? new Set();
	/** @type {Json} */
	const out = {};
	for (const key of Object.keys(obj)) {
		const field = def.props[key];
		const fpath = path ? `${path}.${key}` : key;
		if (!field) {
			const hint = Object.keys(def.props).find((p) => p.toLowerCase() === key.toLowerCase());
			const msg = hint
				? `The property '${key}' does not exist on ${schemaName}. Property names are case-sensitive: did you mean '${hint}'?`
				: `The property '${key}' does not exist on ${schemaName}.`;
			errors.push(fieldError(fpath, msg, 'UnknownProperty'));
			continue;
		}
		const keep = strict && !field.readOnly && !ignored.has(key);
		const v = validateField(field, obj[key], fpath, key, keep, computed, errors);
		if (keep && v !== undefined) out[key] = v;
	}
	if (strict) {
		for (const key of def.required) {
			const v = obj[key];
			const field = def.props[key];
			const fpath = path ? `${path}.${key}` : key;
			const emptyString = field.type === 'string' && typeof v === 'string' && v.trim() === '';
			if (v === undefined || v === null || emptyString) {
				if (
					v === null &&
					field.type !== 'string' &&
					!field.nullable &&
					field.type !== 'object' &&
					field.type !== 'array'
				)
					continue; // already reported as a type error
				errors.push(fieldError(fpath, `The ${key} field is required.`, 'Required'));
			}
		}
	}
	return out;
}

/**
 * @param {FieldDef} field
 * @param {unknown} v
 * @param {string} fpath
 * @param {string} name
 * @param {boolean} strict
 * @param {Record<string, Set<string>>} computed
 * @param {FieldError[]} errors
 * @returns {unknown} the accepted value, or undefined if invalid
 */
function validateField(field, v, fpath, name, strict, computed, errors) {
	const typeError = () => {
		errors.push(
			fieldError(
				fpath,
				`The JSON value could not be converted to ${CLR_NAMES[field.type]}${field.nullable ? ' (nullable)' : ''}. Path: $.${fpath}`,
				'InvalidType',
			),
		);
		return undefined;
	};
	if (v === null) {
		// Reference types (string, arrays, objects) accept null like C#; value types need a nullable declaration.
		if (
			field.nullable ||
			field.type === 'string' ||
			field.type === 'array' ||
			field.type === 'object'
		)
			return null;
		return typeError();
	}
	switch (field.type) {
		case 'string': {
			if (typeof v !== 'string') return typeError();
			if (strict && field.maxLength !== undefined && v.length > field.maxLength) {
				errors.push(
					fieldError(
						fpath,
						`The field ${name} must be a string with a maximum length of ${field.maxLength} (got ${v.length}).`,
						'MaxLength',
					),
				);
				return undefined;
			}
			if (strict && field.minLength && v.length < field.minLength) {
				errors.push(
					fieldError(
						fpath,
						`The field ${name} must be a string with a minimum length of ${field.minLength}.`,
						'MinLength',
					),
				);
				return undefined;
			}
			return v;
		}
		case 'uuid':
			if (typeof v !== 'string') return typeError();
			if (!GUID_RE.test(v)) {
				errors.push(
					fieldError(
						fpath,
						`The value '${v}' is not a valid GUID. Path: $.${fpath}`,
						'InvalidFormat',
					),
				);
				return undefined;
			}
			return v.toLowerCase();
		case 'date':
			if (typeof v !== 'string') return typeError();
			if (!parseIsoDate(v)) {
				errors.push(
					fieldError(
						fpath,
						`The value '${v}' is not a valid ISO 8601 date or date-time. Path: $.${fpath}`,
						'InvalidFormat',
					),
				);
				return undefined;
			}
			return v;
		case 'bool':
			if (typeof v !== 'boolean') return typeError();
			return v;
		case 'int':
		case 'int64': {
			if (typeof v !== 'number' || !Number.isInteger(v)) return typeError();
			if (field.type === 'int' && (v > 2147483647 || v < -2147483648)) return typeError();
			if (field.type === 'int64' && !Number.isSafeInteger(v)) return typeError();
			if (strict && field.enum && !field.enum.includes(v)) {
				errors.push(
					fieldError(
						fpath,
						`The value ${v} is not valid for ${name}. Allowed values: ${field.enum.join(', ')}.`,
						'InvalidValue',
					),
				);
				return undefined;
			}
			if (strict && !rangeOk(field, v, fpath, name, errors)) return undefined;
			return v;
		}
		case 'number': {
			if (typeof v !== 'number' || !Number.isFinite(v)) return typeError();
			if (strict && !rangeOk(field, v, fpath, name, errors)) return undefined;
			if (strict && field.decimals !== undefined && countDecimals(v) > field.decimals) {
				errors.push(
					fieldError(
						fpath,
						`The field ${name} can have at most ${field.decimals} decimals (got ${v}).`,
						'Decimals',
					),
				);
				return undefined;
			}
			return v;
		}
		case 'array': {
			if (!Array.isArray(v)) return typeError();
			const items = /** @type {FieldDef} */ (field.items);
			/** @type {unknown[]} */
			const out = [];
			v.forEach((item, i) => {
				const r = validateField(
					items,
					item,
					`${fpath}[${i}]`,
					`${name}[${i}]`,
					strict,
					computed,
					errors,
				);
				out.push(r);
			});
			return out;
		}
		case 'object':
			return validateObject(/** @type {string} */ (field.ref), v, fpath, strict, computed, errors);
		default:
			return typeError();
	}
}

/**
 * @param {FieldDef} field
 * @param {number} v
 * @param {string} fpath
 * @param {string} name
 * @param {FieldError[]} errors
 */
function rangeOk(field, v, fpath, name, errors) {
	if ((field.min !== undefined && v < field.min) || (field.max !== undefined && v > field.max)) {
		errors.push(
			fieldError(
				fpath,
				`The field ${name} must be between ${field.min ?? '-∞'} and ${field.max ?? '∞'} (got ${v}).`,
				'Range',
			),
		);
		return false;
	}
	return true;
}

module.exports = { GUID_RE, isPlainObject, parseIsoDate, validateBody };

// @ts-check
'use strict';

/**
 * OData query subset used by Visma list endpoints: $filter (tokenizer → recursive-descent parser → AST →
 * type check → evaluation), $orderby, $select, $page, $pagesize.
 *
 * Grammar (OData v4 precedence, lowest first):
 *   or      := and ('or' and)*
 *   and     := compare ('and' compare)*
 *   compare := unary (('eq'|'ne'|'gt'|'ge'|'lt'|'le') unary)?
 *   unary   := 'not' unary | '-' unary | primary
 *   primary := '(' or ')' | literal | func '(' args ')' | Field | Field '/' ('any'|'all') '(' [var ':' or] ')' | var '/' Field
 */

const { SCALAR_TYPES, schema } = require('./schemas');
const { queryError } = require('./errors');
const { parseIsoDate } = require('./validate');
const { isRefused } = require('./rules');

/** @typedef {Record<string, any>} Json */
/** @typedef {'string'|'uuid'|'date'|'bool'|'number'|'null'} ValueType */

/**
 * @typedef {object} Token
 * @property {'ident'|'string'|'number'|'guid'|'date'|'lparen'|'rparen'|'comma'|'slash'|'colon'|'minus'|'eof'} kind
 * @property {string} text
 * @property {any} value
 * @property {number} pos
 */

/**
 * @typedef {{ type: 'logical', op: 'and'|'or', left: Node, right: Node, pos: number }
 *   | { type: 'not', operand: Node, pos: number }
 *   | { type: 'neg', operand: Node, pos: number }
 *   | { type: 'compare', op: string, left: Node, right: Node, pos: number }
 *   | { type: 'field', name: string, scope: string | null, valueType: ValueType, pos: number }
 *   | { type: 'literal', valueType: ValueType, value: any, pos: number, quoted: boolean }
 *   | { type: 'call', name: string, args: Node[], pos: number }
 *   | { type: 'lambda', op: 'any'|'all', collection: string, variable: string | null, body: Node | null, pos: number }} Node
 */

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const KEYWORDS = new Set(['and', 'or', 'not', ...COMPARE_OPS, 'true', 'false', 'null']);
/** @type {Record<string, { args: ValueType[], returns: ValueType }>} */
const FUNCTIONS = {
	contains: { args: ['string', 'string'], returns: 'bool' },
	startswith: { args: ['string', 'string'], returns: 'bool' },
	endswith: { args: ['string', 'string'], returns: 'bool' },
	tolower: { args: ['string'], returns: 'string' },
	toupper: { args: ['string'], returns: 'string' },
	trim: { args: ['string'], returns: 'string' },
	length: { args: ['string'], returns: 'number' },
};

const GUID_AT = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;
const DATETIME_AT =
	/\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})?)?/y;
const NUMBER_AT = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENT_AT = /[A-Za-z_][A-Za-z0-9_]*/y;
const IDENT_CHAR = /[A-Za-z0-9_]/;

/**
 * @param {RegExp} re sticky
 * @param {string} s
 * @param {number} i
 */
function matchAt(re, s, i) {
	re.lastIndex = i;
	const m = re.exec(s);
	if (!m) return null;
	// A literal must not run straight into an identifier character (e.g. 2024-01-01abc).
	if (IDENT_CHAR.test(s[i + m[0].length] ?? '')) return null;
	return m[0];
}

/**
 * @param {string} src
 * @returns {Token[]}
 */
function tokenize(src) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
			i++;
			continue;
		}
		const single = /** @type {Record<string, Token['kind']>} */ ({
			'(': 'lparen',
			')': 'rparen',
			',': 'comma',
			'/': 'slash',
			':': 'colon',
		})[c];
		if (single) {
			tokens.push({ kind: single, text: c, value: c, pos: i });
			i++;
			continue;
		}
		if (c === "'") {
			let j = i + 1;
			let value = '';
			for (;;) {
				if (j >= src.length) throw syntax(src, i, 'unterminated string literal');
				if (src[j] === "'") {
					if (src[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += src[j];
				j++;
			}
			tokens.push({ kind: 'string', text: src.slice(i, j + 1), value, pos: i });
			i = j + 1;
			continue;
		}
		const guid = matchAt(GUID_AT, src, i);
		if (guid) {
			tokens.push({ kind: 'guid', text: guid, value: guid.toLowerCase(), pos: i });
			i += guid.length;
			continue;
		}
		if (/\d/.test(c)) {
			const dt = matchAt(DATETIME_AT, src, i);
			if (dt) {
				const parsed = parseIsoDate(dt);
				if (!parsed) throw syntax(src, i, `'${dt}' is not a valid date or date-time`);
				tokens.push({ kind: 'date', text: dt, value: parsed.ms, pos: i });
				i += dt.length;
				continue;
			}
		}
		if (/\d/.test(c) || (c === '-' && /\d/.test(src[i + 1] ?? ''))) {
			const num = matchAt(NUMBER_AT, src, i);
			if (!num) throw syntax(src, i, `malformed number`);
			tokens.push({ kind: 'number', text: num, value: Number(num), pos: i });
			i += num.length;
			continue;
		}
		if (c === '-') {
			tokens.push({ kind: 'minus', text: c, value: c, pos: i });
			i++;
			continue;
		}
		const ident = matchAt(IDENT_AT, src, i);
		if (ident) {
			tokens.push({ kind: 'ident', text: ident, value: ident, pos: i });
			i += ident.length;
			continue;
		}
		throw syntax(src, i, `unexpected character '${c}'`);
	}
	tokens.push({ kind: 'eof', text: 'end of input', value: null, pos: src.length });
	return tokens;
}

/**
 * @param {string} src
 * @param {number} pos
 * @param {string} message
 */
function syntax(src, pos, message) {
	const caret = `${src.slice(0, pos)}>>>${src.slice(pos)}`;
	return queryError(`Invalid $filter: ${message} at position ${pos}: ${caret}`);
}

/**
 * @param {string} field
 * @returns {ValueType}
 */
function valueTypeOf(field) {
	if (field === 'int' || field === 'int64' || field === 'number') return 'number';
	return /** @type {ValueType} */ (field);
}

const EDM = {
	string: 'Edm.String',
	uuid: 'Edm.Guid',
	date: 'Edm.DateTimeOffset',
	bool: 'Edm.Boolean',
	number: 'Edm.Decimal',
	null: 'null',
};

/**
 * Parses and type-checks a $filter expression against a model.
 * @param {string} src decoded $filter value
 * @param {string} schemaName
 * @returns {Node}
 */
function parseFilter(src, schemaName) {
	const tokens = tokenize(src);
	let k = 0;
	/** @type {Map<string, string>} lambda variable → item schema */
	const scopes = new Map();
	const peek = () => tokens[k];
	const next = () => tokens[k++];
	/** @param {string} word */
	const isWord = (word) => peek().kind === 'ident' && peek().value === word;
	/**
	 * @param {Token['kind']} kind
	 * @param {string} what
	 */
	const expect = (kind, what) => {
		const t = peek();
		if (t.kind !== kind) throw syntax(src, t.pos, `expected ${what} but found '${t.text}'`);
		return next();
	};

	/** @returns {Node} */
	function parseOr() {
		let left = parseAnd();
		while (isWord('or')) {
			const t = next();
			const right = parseAnd();
			left = { type: 'logical', op: 'or', left, right, pos: t.pos };
		}
		return left;
	}
	/** @returns {Node} */
	function parseAnd() {
		let left = parseCompare();
		while (isWord('and')) {
			const t = next();
			const right = parseCompare();
			left = { type: 'logical', op: 'and', left, right, pos: t.pos };
		}
		return left;
	}
	/** @returns {Node} */
	function parseCompare() {
		const left = parseUnary();
		const t = peek();
		if (t.kind === 'ident' && COMPARE_OPS.has(t.value)) {
			next();
			const right = parseUnary();
			return { type: 'compare', op: t.value, left, right, pos: t.pos };
		}
		return left;
	}
	/** @returns {Node} */
	function parseUnary() {
		const t = peek();
		if (isWord('not')) {
			next();
			return { type: 'not', operand: parseUnary(), pos: t.pos };
		}
		if (t.kind === 'minus') {
			next();
			return { type: 'neg', operand: parseUnary(), pos: t.pos };
		}
		return parsePrimary();
	}
	/** @returns {Node} */
	function parsePrimary() {
		const t = next();
		switch (t.kind) {
			case 'lparen': {
				const e = parseOr();
				expect('rparen', "')'");
				return e;
			}
			case 'string':
				return { type: 'literal', valueType: 'string', value: t.value, pos: t.pos, quoted: true };
			case 'number':
				return { type: 'literal', valueType: 'number', value: t.value, pos: t.pos, quoted: false };
			case 'guid':
				return { type: 'literal', valueType: 'uuid', value: t.value, pos: t.pos, quoted: false };
			case 'date':
				return { type: 'literal', valueType: 'date', value: t.value, pos: t.pos, quoted: false };
			case 'ident':
				return parseIdent(t);
			default:
				throw syntax(src, t.pos, `expected a value, property or function but found '${t.text}'`);
		}
	}
	/**
	 * @param {Token} t
	 * @returns {Node}
	 */
	function parseIdent(t) {
		const name = t.value;
		if (name === 'true' || name === 'false')
			return {
				type: 'literal',
				valueType: 'bool',
				value: name === 'true',
				pos: t.pos,
				quoted: false,
			};
		if (name === 'null')
			return { type: 'literal', valueType: 'null', value: null, pos: t.pos, quoted: false };
		if (KEYWORDS.has(name)) throw syntax(src, t.pos, `unexpected keyword '${name}'`);
		if (peek().kind === 'lparen') {
			const fn = FUNCTIONS[name];
			if (!fn) throw syntax(src, t.pos, `unknown function '${name}'`);
			next();
			/** @type {Node[]} */
			const args = [];
			if (peek().kind !== 'rparen') {
				args.push(parseOr());
				while (peek().kind === 'comma') {
					next();
					args.push(parseOr());
				}
			}
			expect('rparen', "')'");
			return { type: 'call', name, args, pos: t.pos };
		}
		if (scopes.has(name)) {
			// lambda variable: r/Field
			expect('slash', "'/'");
			const prop = expect('ident', 'a property name');
			return fieldNode(/** @type {string} */ (scopes.get(name)), prop.value, prop.pos, name);
		}
		if (peek().kind === 'slash') {
			next();
			const op = expect('ident', "'any' or 'all'");
			if (op.value !== 'any' && op.value !== 'all')
				throw syntax(src, op.pos, `only the lambda operators any/all may follow '${name}/'`);
			const field = schema(schemaName).props[name];
			if (!field)
				throw queryError(
					`Invalid $filter: could not find a property named '${name}' on type '${schemaName}' (position ${t.pos}).`,
				);
			if (field.type !== 'array' || !field.items?.ref)
				throw queryError(
					`Invalid $filter: '${name}' is not a collection of objects (position ${t.pos}).`,
				);
			expect('lparen', "'('");
			if (peek().kind === 'rparen') {
				next();
				return {
					type: 'lambda',
					op: op.value,
					collection: name,
					variable: null,
					body: null,
					pos: t.pos,
				};
			}
			const v = expect('ident', 'a lambda variable name');
			expect('colon', "':'");
			scopes.set(v.value, field.items.ref);
			const body = parseOr();
			scopes.delete(v.value);
			expect('rparen', "')'");
			return {
				type: 'lambda',
				op: op.value,
				collection: name,
				variable: v.value,
				body,
				pos: t.pos,
			};
		}
		return fieldNode(schemaName, name, t.pos, null);
	}
	/**
	 * @param {string} model
	 * @param {string} name
	 * @param {number} pos
	 * @param {string | null} scope
	 * @returns {Node}
	 */
	function fieldNode(model, name, pos, scope) {
		const field = schema(model).props[name];
		if (!field) {
			const hint = Object.keys(schema(model).props).find(
				(p) => p.toLowerCase() === name.toLowerCase(),
			);
			throw queryError(
				`Invalid $filter: could not find a property named '${name}' on type '${model}' (position ${pos}).${hint ? ` Property names are case-sensitive: did you mean '${hint}'?` : ''}`,
			);
		}
		if (!SCALAR_TYPES.has(field.type))
			throw queryError(
				`Invalid $filter: '${name}' is not a scalar property and cannot be used here (position ${pos}).`,
			);
		return { type: 'field', name, scope, valueType: valueTypeOf(field.type), pos };
	}

	const ast = parseOr();
	if (peek().kind !== 'eof') throw syntax(src, peek().pos, `unexpected '${peek().text}'`);
	const type = typeCheck(ast, src);
	if (type !== 'bool')
		throw queryError(
			`Invalid $filter: the expression must evaluate to a boolean, not ${EDM[type]}.`,
		);
	return ast;
}

/**
 * @param {Node} n
 * @returns {string}
 */
function describe(n) {
	if (n.type === 'field') return `${n.name} (${EDM[n.valueType]})`;
	if (n.type === 'literal')
		return n.quoted ? `the quoted string '${n.value}'` : `the literal of type ${EDM[n.valueType]}`;
	return `an expression of type ${n.type}`;
}

/**
 * Strict typing: a quoted literal only matches string fields, an unquoted literal only non-string fields.
 * @param {Node} n
 * @param {string} src
 * @returns {ValueType}
 */
function typeCheck(n, src) {
	switch (n.type) {
		case 'literal':
		case 'field':
			return n.valueType;
		case 'logical': {
			for (const side of [n.left, n.right]) {
				if (typeCheck(side, src) !== 'bool')
					throw queryError(
						`Invalid $filter: the operands of '${n.op}' must be boolean (position ${n.pos}).`,
					);
			}
			return 'bool';
		}
		case 'not':
			if (typeCheck(n.operand, src) !== 'bool')
				throw queryError(`Invalid $filter: 'not' needs a boolean operand (position ${n.pos}).`);
			return 'bool';
		case 'neg':
			if (typeCheck(n.operand, src) !== 'number')
				throw queryError(`Invalid $filter: '-' needs a numeric operand (position ${n.pos}).`);
			return 'number';
		case 'call': {
			const fn = FUNCTIONS[n.name];
			if (n.args.length !== fn.args.length)
				throw queryError(
					`Invalid $filter: ${n.name}() takes ${fn.args.length} argument(s) (position ${n.pos}).`,
				);
			n.args.forEach((a, i) => {
				const t = typeCheck(a, src);
				if (t !== fn.args[i])
					throw queryError(
						`Invalid $filter: argument ${i + 1} of ${n.name}() must be ${EDM[fn.args[i]]}, got ${describe(a)} (position ${a.pos}).`,
					);
			});
			return fn.returns;
		}
		case 'lambda':
			if (n.body && typeCheck(n.body, src) !== 'bool')
				throw queryError(
					`Invalid $filter: the body of ${n.op}() must be boolean (position ${n.pos}).`,
				);
			return 'bool';
		case 'compare': {
			const lt = typeCheck(n.left, src);
			const rt = typeCheck(n.right, src);
			if (lt === 'null' || rt === 'null') {
				if (n.op !== 'eq' && n.op !== 'ne')
					throw queryError(
						`Invalid $filter: null can only be compared with eq or ne (position ${n.pos}).`,
					);
				return 'bool';
			}
			if (lt !== rt) {
				throw queryError(
					`Invalid $filter: cannot compare ${describe(n.left)} with ${describe(n.right)} using '${n.op}' (position ${n.pos}).${hintFor(n.left, n.right)}`,
				);
			}
			if (lt === 'bool' && n.op !== 'eq' && n.op !== 'ne')
				throw queryError(
					`Invalid $filter: booleans can only be compared with eq or ne (position ${n.pos}).`,
				);
			return 'bool';
		}
		default:
			throw queryError('Invalid $filter.');
	}
}

/**
 * @param {Node} a
 * @param {Node} b
 */
function hintFor(a, b) {
	const [field, lit] = a.type === 'field' ? [a, b] : [b, a];
	if (field.type !== 'field' || lit.type !== 'literal') return '';
	if (lit.quoted)
		return ` ${EDM[field.valueType]} values are written without quotes, e.g. ${field.name} eq ${field.valueType === 'uuid' ? '6d1f5a6e-0000-4000-8000-000000000000' : field.valueType === 'date' ? '2024-01-31' : field.valueType === 'bool' ? 'true' : '10'}.`;
	if (field.valueType === 'string')
		return ` String values must be quoted, e.g. ${field.name} eq '${String(lit.value)}'.`;
	return '';
}

/**
 * @param {Node} n
 * @param {Json} row
 * @param {Map<string, Json>} vars
 * @returns {any}
 */
function evaluate(n, row, vars) {
	switch (n.type) {
		case 'literal':
			return n.value;
		case 'field': {
			const src = n.scope ? (vars.get(n.scope) ?? {}) : row;
			const v = src[n.name];
			if (v === null || v === undefined) return null;
			if (n.valueType === 'date') {
				const p = parseIsoDate(String(v));
				return p ? p.ms : null;
			}
			if (n.valueType === 'uuid') return String(v).toLowerCase();
			return v;
		}
		case 'logical': {
			const l = evaluate(n.left, row, vars) === true;
			if (n.op === 'and') return l && evaluate(n.right, row, vars) === true;
			return l || evaluate(n.right, row, vars) === true;
		}
		case 'not':
			return evaluate(n.operand, row, vars) !== true;
		case 'neg': {
			const v = evaluate(n.operand, row, vars);
			return v === null ? null : -v;
		}
		case 'call': {
			const args = n.args.map((a) => evaluate(a, row, vars));
			if (args.some((a) => a === null))
				return n.name === 'contains' || n.name.endsWith('with') ? false : null;
			const [a, b] = /** @type {string[]} */ (args);
			switch (n.name) {
				case 'contains':
					return a.toLowerCase().includes(b.toLowerCase());
				case 'startswith':
					return a.toLowerCase().startsWith(b.toLowerCase());
				case 'endswith':
					return a.toLowerCase().endsWith(b.toLowerCase());
				case 'tolower':
					return a.toLowerCase();
				case 'toupper':
					return a.toUpperCase();
				case 'trim':
					return a.trim();
				case 'length':
					return a.length;
				default:
					return null;
			}
		}
		case 'lambda': {
			const items = Array.isArray(row[n.collection]) ? row[n.collection] : [];
			if (!n.body) return n.op === 'any' ? items.length > 0 : true;
			const body = n.body;
			/** @param {Json} item */
			const test = (item) =>
				evaluate(body, row, new Map([...vars, [/** @type {string} */ (n.variable), item]])) ===
				true;
			return n.op === 'any' ? items.some(test) : items.every(test);
		}
		case 'compare': {
			const l = evaluate(n.left, row, vars);
			const r = evaluate(n.right, row, vars);
			if (l === null || r === null) {
				if (n.op === 'eq') return l === r;
				if (n.op === 'ne') return l !== r;
				return false;
			}
			const c = l < r ? -1 : l > r ? 1 : 0;
			switch (n.op) {
				case 'eq':
					return c === 0;
				case 'ne':
					return c !== 0;
				case 'gt':
					return c > 0;
				case 'ge':
					return c >= 0;
				case 'lt':
					return c < 0;
				default:
					return c <= 0;
			}
		}
		default:
			return null;
	}
}

/**
 * What a list endpoint allows beyond the grammar (see rules.js).
 * @typedef {object} ListPolicy
 * @property {string} collection e.g. 'customerinvoices'
 * @property {number | null} maxFilterNodes
 * @property {string[]} refuseFilterOn
 * @property {string[]} refuseOrderByOn
 * @property {boolean | string[]} refuseSelect
 */

/** @type {ListPolicy} */
const NO_POLICY = {
	collection: '',
	maxFilterNodes: null,
	refuseFilterOn: [],
	refuseOrderByOn: [],
	refuseSelect: false,
};

/**
 * Node count as ASP.NET's MaxNodeCount sees it: one per operator (eq, and, not, unary -, any/all), per property
 * access (a lambda's collection and each r/Field too), per literal and per function call; parentheses are free.
 * @param {Node} n
 * @returns {number}
 */
function countNodes(n) {
	switch (n.type) {
		case 'logical':
		case 'compare':
			return 1 + countNodes(n.left) + countNodes(n.right);
		case 'not':
		case 'neg':
			return 1 + countNodes(n.operand);
		case 'call':
			return 1 + n.args.reduce((t, a) => t + countNodes(a), 0);
		case 'lambda':
			return 2 + (n.body ? countNodes(n.body) : 0);
		default:
			return 1;
	}
}

/**
 * Every property name the expression touches, including lambda collections and r/Field inside them.
 * @param {Node} n
 * @returns {string[]}
 */
function propertiesOf(n) {
	switch (n.type) {
		case 'field':
			return [n.name];
		case 'logical':
		case 'compare':
			return [...propertiesOf(n.left), ...propertiesOf(n.right)];
		case 'not':
		case 'neg':
			return propertiesOf(n.operand);
		case 'call':
			return n.args.flatMap(propertiesOf);
		case 'lambda':
			return [n.collection, ...(n.body ? propertiesOf(n.body) : [])];
		default:
			return [];
	}
}

/**
 * @param {string} property
 * @param {'$filter'|'$orderby'|'$select'} option
 */
function refusedProperty(property, option) {
	return queryError(`The property '${property}' cannot be used in the ${option} query option.`);
}

/**
 * Compiles a $filter into a predicate over rendered API objects.
 * @param {string} src
 * @param {string} schemaName
 * @param {ListPolicy} [policy]
 * @returns {(row: Json) => boolean}
 */
function compileFilter(src, schemaName, policy = NO_POLICY) {
	if (src.trim() === '') throw queryError('Invalid $filter: the expression is empty.');
	const ast = parseFilter(src, schemaName);
	const max = policy.maxFilterNodes;
	if (max && countNodes(ast) > max) {
		throw queryError(
			`The node count limit of '${max}' has been exceeded. To increase the limit, set the 'MaxNodeCount' property on EnableQueryAttribute or ODataValidationSettings.`,
		);
	}
	for (const name of propertiesOf(ast))
		if (isRefused(policy.refuseFilterOn, policy.collection, name))
			throw refusedProperty(name, '$filter');
	return (row) => evaluate(ast, row, new Map()) === true;
}

/**
 * @param {string} src
 * @param {string} schemaName
 * @param {ListPolicy} [policy]
 * @returns {(a: Json, b: Json) => number}
 */
function compileOrderBy(src, schemaName, policy = NO_POLICY) {
	const props = schema(schemaName).props;
	const keys = src.split(',').map((part) => {
		const words = part.trim().split(/\s+/);
		const [name, dir = 'asc', extra] = words;
		if (!name || extra !== undefined || (dir !== 'asc' && dir !== 'desc'))
			throw queryError(`Invalid $orderby: '${part.trim()}' must be 'Property [asc|desc]'.`);
		const field = props[name];
		if (!field)
			throw queryError(
				`Invalid $orderby: could not find a property named '${name}' on type '${schemaName}'.`,
			);
		if (!SCALAR_TYPES.has(field.type))
			throw queryError(`Invalid $orderby: '${name}' is not a scalar property.`);
		if (isRefused(policy.refuseOrderByOn, policy.collection, name))
			throw refusedProperty(name, '$orderby');
		return { name, desc: dir === 'desc', date: field.type === 'date' };
	});
	return (a, b) => {
		for (const key of keys) {
			let x = a[key.name];
			let y = b[key.name];
			if (key.date) {
				x = x == null ? null : (parseIsoDate(String(x))?.ms ?? null);
				y = y == null ? null : (parseIsoDate(String(y))?.ms ?? null);
			}
			// nulls sort first ascending, like SQL Server
			const c = x === y ? 0 : x == null ? -1 : y == null ? 1 : x < y ? -1 : x > y ? 1 : 0;
			if (c !== 0) return key.desc ? -c : c;
		}
		return 0;
	};
}

const LIST_OPTIONS = new Set(['$filter', '$orderby', '$page', '$pagesize', '$select']);
const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;

/**
 * @param {URLSearchParams} params
 * @param {string} name
 */
function single(params, name) {
	const all = params.getAll(name);
	if (all.length > 1) throw queryError(`The query option '${name}' was specified more than once.`);
	return all.length ? all[0] : null;
}

/**
 * @param {string | null} raw
 * @param {string} name
 * @param {number} dflt
 */
function positiveInt(raw, name, dflt) {
	if (raw === null) return dflt;
	if (!/^\d+$/.test(raw) || Number(raw) < 1)
		throw queryError(`Invalid ${name} '${raw}': must be a positive integer.`);
	return Number(raw);
}

/**
 * Rejects unknown `$` options (OData is strict about them); plain parameters are the endpoint's business.
 * @param {URLSearchParams} params
 * @param {boolean} isList
 */
function checkQueryOptions(params, isList) {
	for (const key of new Set(params.keys())) {
		if (!key.startsWith('$')) continue;
		if (!isList || !LIST_OPTIONS.has(key)) {
			throw queryError(
				`The query parameter '${key}' is not supported${isList ? '; use $filter, $orderby, $select, $page and $pagesize' : ' on this endpoint'}.`,
			);
		}
	}
}

/**
 * @typedef {object} PaginatedResponse
 * @property {{ CurrentPage: number, PageSize: number, TotalNumberOfPages: number, TotalNumberOfResults: number, ServerTimeUtc: string }} Meta
 * @property {Json[]} Data
 */

/**
 * Filter → order → page → select over already rendered API objects.
 * @param {Json[]} rows
 * @param {string} schemaName
 * @param {URLSearchParams} params
 * @param {Date} now
 * @param {ListPolicy} [policy]
 * @returns {PaginatedResponse}
 */
function applyListQuery(rows, schemaName, params, now, policy = NO_POLICY) {
	checkQueryOptions(params, true);
	const filter = single(params, '$filter');
	const orderby = single(params, '$orderby');
	const select = single(params, '$select');
	const page = positiveInt(single(params, '$page'), '$page', 1);
	const pageSize = positiveInt(single(params, '$pagesize'), '$pagesize', DEFAULT_PAGE_SIZE);
	if (pageSize > MAX_PAGE_SIZE)
		throw queryError(`Invalid $pagesize ${pageSize}: the maximum page size is ${MAX_PAGE_SIZE}.`);
	if (select !== null && policy.refuseSelect === true) {
		throw queryError(
			"Query option 'Select' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.",
		);
	}
	let result = rows;
	if (filter !== null) result = result.filter(compileFilter(filter, schemaName, policy));
	if (orderby !== null) {
		const cmp = compileOrderBy(orderby, schemaName, policy);
		result = result
			.map((r, i) => ({ r, i }))
			.sort((a, b) => cmp(a.r, b.r) || a.i - b.i)
			.map((x) => x.r);
	}
	const total = result.length;
	let data = result.slice((page - 1) * pageSize, page * pageSize);
	if (select !== null) {
		const props = schema(schemaName).props;
		const names = select.split(',').map((s) => s.trim());
		for (const name of names) {
			if (!props[name])
				throw queryError(
					`Invalid $select: could not find a property named '${name}' on type '${schemaName}'.`,
				);
			if (
				Array.isArray(policy.refuseSelect) &&
				isRefused(policy.refuseSelect, policy.collection, name)
			)
				throw refusedProperty(name, '$select');
		}
		data = data.map((row) => Object.fromEntries(names.map((n) => [n, row[n]])));
	}
	return {
		Meta: {
			CurrentPage: page,
			PageSize: pageSize,
			TotalNumberOfPages: Math.ceil(total / pageSize),
			TotalNumberOfResults: total,
			ServerTimeUtc: now.toISOString(),
		},
		Data: data,
	};
}

module.exports = {
	applyListQuery,
	checkQueryOptions,
	compileFilter,
	compileOrderBy,
	countNodes,
	parseFilter,
	tokenize,
	MAX_PAGE_SIZE,
};

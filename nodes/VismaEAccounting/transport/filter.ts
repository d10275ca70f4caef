/**
 * The only place that writes OData `$filter` text. Values are typed: strings are quoted with
 * `'` doubled, GUIDs and dates go unquoted, and field names are checked, so user input can
 * never change the shape of a filter.
 */
export type FilterValue =
	| { kind: 'string'; value: string }
	| { kind: 'guid'; value: string }
	| { kind: 'date'; value: string }
	| { kind: 'number'; value: number }
	| { kind: 'boolean'; value: boolean };

export type ValueKind = FilterValue['kind'];

export interface Filter {
	readonly text: string;
	/** Whether the text is a single comparison or function call (needs no parentheses). */
	readonly atomic: boolean;
	/**
	 * Nodes of its syntax tree as OData servers count them for a node limit (ASP.NET's
	 * MaxNodeCount): each operator, property and literal is one.
	 */
	readonly nodes: number;
}

const FIELD = /^[A-Z][A-Za-z0-9]*(\/[A-Z][A-Za-z0-9]*)*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export class FilterValueError extends Error {}

export const value = {
	string: (v: string): FilterValue => ({ kind: 'string', value: String(v) }),
	guid: (v: string): FilterValue => ({ kind: 'guid', value: v }),
	date: (v: string | Date): FilterValue => ({
		kind: 'date',
		value: v instanceof Date ? v.toISOString() : v,
	}),
	number: (v: number): FilterValue => ({ kind: 'number', value: v }),
	boolean: (v: boolean): FilterValue => ({ kind: 'boolean', value: v }),
	of: (kind: ValueKind, v: string | number | boolean): FilterValue => {
		switch (kind) {
			case 'string':
				return value.string(String(v));
			case 'guid':
				return value.guid(String(v));
			case 'date':
				return value.date(String(v));
			case 'number':
				return value.number(Number(v));
			case 'boolean':
				return value.boolean(Boolean(v));
		}
	},
};

export function isGuid(text: string): boolean {
	return GUID.test(text);
}

function field(name: string): string {
	if (!FIELD.test(name)) throw new FilterValueError(`"${name}" is not a valid field name`);
	return name;
}

export function literal(v: FilterValue): string {
	switch (v.kind) {
		case 'string':
			return `'${v.value.replace(/'/g, "''")}'`;
		case 'guid':
			if (!GUID.test(v.value)) throw new FilterValueError(`"${v.value}" is not a valid ID (GUID)`);
			return v.value.toLowerCase();
		case 'date':
			if (!ISO_DATE.test(v.value) || Number.isNaN(Date.parse(v.value))) {
				throw new FilterValueError(`"${v.value}" is not a valid ISO date`);
			}
			return v.value;
		case 'number':
			if (!Number.isFinite(v.value)) throw new FilterValueError(`"${v.value}" is not a number`);
			return String(v.value);
		case 'boolean':
			return v.value ? 'true' : 'false';
	}
}

type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

function compare(op: Comparison, name: string, v: FilterValue): Filter {
	return { text: `${field(name)} ${op} ${literal(v)}`, atomic: true, nodes: 3 };
}

export const eq = (name: string, v: FilterValue) => compare('eq', name, v);
export const ne = (name: string, v: FilterValue) => compare('ne', name, v);
export const gt = (name: string, v: FilterValue) => compare('gt', name, v);
export const ge = (name: string, v: FilterValue) => compare('ge', name, v);
export const lt = (name: string, v: FilterValue) => compare('lt', name, v);
export const le = (name: string, v: FilterValue) => compare('le', name, v);

export function contains(name: string, text: string): Filter {
	return {
		text: `contains(${field(name)},${literal(value.string(text))})`,
		atomic: true,
		nodes: 3,
	};
}

function join(op: 'and' | 'or', filters: Array<Filter | undefined>): Filter | undefined {
	const parts = filters.filter((f): f is Filter => f !== undefined);
	if (parts.length === 0) return undefined;
	if (parts.length === 1) return parts[0];
	return {
		text: parts.map((f) => (f.atomic ? f.text : `(${f.text})`)).join(` ${op} `),
		atomic: false,
		nodes: parts.reduce((sum, f) => sum + f.nodes, parts.length - 1),
	};
}

export const and = (...filters: Array<Filter | undefined>) => join('and', filters);
export const or = (...filters: Array<Filter | undefined>) => join('or', filters);

/** `Field eq v1 or Field eq v2 ...` */
export function anyOf(name: string, values: FilterValue[]): Filter | undefined {
	return or(...values.map((v) => eq(name, v)));
}

export function render(filter: Filter | undefined): string | undefined {
	return filter?.text;
}

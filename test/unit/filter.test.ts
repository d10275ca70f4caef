import { describe, expect, it } from '@jest/globals';

import {
	and,
	anyOf,
	contains,
	eq,
	FilterValueError,
	ge,
	or,
	render,
	value,
} from '../../nodes/VismaEAccounting/transport/filter';

describe('OData filter builder', () => {
	it('quotes strings and doubles single quotes', () => {
		expect(render(eq('Name', value.string("O'Brien & Söner")))).toBe("Name eq 'O''Brien & Söner'");
		expect(render(eq('CustomerNumber', value.string("1' or 1 eq 1 or '")))).toBe(
			"CustomerNumber eq '1'' or 1 eq 1 or '''",
		);
	});

	it('writes GUIDs and dates unquoted and refuses malformed ones', () => {
		const id = '6D2E1F70-1234-4ABC-8DEF-0123456789AB';
		expect(render(eq('CustomerId', value.guid(id)))).toBe(
			'CustomerId eq 6d2e1f70-1234-4abc-8def-0123456789ab',
		);
		expect(render(ge('ChangedUtc', value.date('2026-11-01T10:00:00.000Z')))).toBe(
			'ChangedUtc ge 2026-11-01T10:00:00.000Z',
		);
		expect(() => render(eq('CustomerId', value.guid("x' or 1 eq 1")))).toThrow(FilterValueError);
		expect(() => render(ge('ChangedUtc', value.date('yesterday')))).toThrow(FilterValueError);
	});

	it('refuses field names that are not plain PascalCase paths', () => {
		expect(() => eq('Name eq 1 or Name', value.string('x'))).toThrow(FilterValueError);
		expect(() => eq('name', value.string('x'))).toThrow(FilterValueError);
	});

	it('parenthesises nested groups', () => {
		const f = and(
			eq('IsActive', value.boolean(true)),
			or(contains('Name', 'ab'), eq('CustomerNumber', value.string('7'))),
		);
		expect(render(f)).toBe("IsActive eq true and (contains(Name,'ab') or CustomerNumber eq '7')");
		expect(render(anyOf('Number', [value.string('A'), value.string('B')]))).toBe(
			"Number eq 'A' or Number eq 'B'",
		);
		expect(render(and(undefined, undefined))).toBeUndefined();
	});
});

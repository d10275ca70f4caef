import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkArticleNumber } from '../../domain/article';
import { Checker } from '../../domain/check';
import { checkCustomerNumber } from '../../domain/customer';
import type { SimplifiedKind } from '../../domain/simplify';
import { simplify } from '../../domain/simplify';
import { problemsError } from '../../services/outcome';
import type { RecordKind, RecordRef } from '../../services/records';
import { ARTICLES, CUSTOMERS, DRAFTS, INVOICES } from '../../services/records';
import { isGuid } from '../../transport';

/** What the operations need to know about one record type. */
export interface RecordType {
	kind: RecordKind;
	/** Name of its locator parameter. */
	parameter: string;
	simplify: SimplifiedKind;
	/** Checks a By Number value; none means the locator has no number mode. */
	checkNumber?: (c: Checker, value: unknown) => string | undefined;
}

export const CUSTOMER: RecordType = {
	kind: CUSTOMERS,
	parameter: 'customer',
	simplify: 'customer',
	checkNumber: (c, v) => checkCustomerNumber(c, v),
};

export const ARTICLE: RecordType = {
	kind: ARTICLES,
	parameter: 'article',
	simplify: 'article',
	checkNumber: (c, v) => checkArticleNumber(c, v),
};

export const DRAFT: RecordType = { kind: DRAFTS, parameter: 'draft', simplify: 'draft' };

export const INVOICE: RecordType = {
	kind: INVOICES,
	parameter: 'invoice',
	simplify: 'invoice',
	checkNumber: (c, v) => {
		const n = c.number('Invoice Number', v, { integer: true, min: 1, required: true });
		return n === undefined ? undefined : String(n);
	},
};

/**
 * Reads a resource locator: From List and By ID give an ID, By Number a number. A plain value
 * (an expression, an AI agent's answer) counts as an ID when it looks like one, else a number.
 */
export function readLocator(c: Checker, raw: unknown, label: string, type: RecordType): RecordRef | undefined {
	const { mode, value } =
		raw !== null && typeof raw === 'object' ? (raw as { mode?: string; value?: unknown }) : { mode: undefined, value: raw };
	if (value === undefined || value === null || value === '') return c.fail(label, 'is required');
	const plainNumber = mode === undefined && !(typeof value === 'string' && isGuid(value.trim()));
	if (type.checkNumber && (mode === 'number' || plainNumber)) {
		const number = type.checkNumber(c.scope(label), value);
		return number === undefined ? undefined : { number };
	}
	const id = c.guid(label, value, true);
	return id ? { id } : undefined;
}

/** The locator of item `i`, or the error that names what is wrong with it. */
export function locatorOf(ctx: IExecuteFunctions, type: RecordType, i: number, label = type.kind.label): RecordRef {
	const c = new Checker();
	const ref = readLocator(c, ctx.getNodeParameter(type.parameter, i), label, type);
	if (!ref || !c.ok) throw problemsError(ctx.getNode(), c.problems, i);
	return ref;
}

/** A record as output: its Simplify fields, or all of it. */
export function recordJson(ctx: IExecuteFunctions, i: number, record: object, kind: SimplifiedKind): IDataObject {
	const simple = ctx.getNodeParameter('simplify', i, true) as boolean;
	return (simple ? simplify(record as Record<string, unknown>, kind) : record) as IDataObject;
}

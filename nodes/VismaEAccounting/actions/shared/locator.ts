import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Checker } from '../../domain/check';
import type { LocatableType, RecordType } from '../../records/types';
import { simplify } from '../../records/types';
import type { IdOrNumber } from '../../services/getRecords';
import { fetchRecords } from '../../services/getRecords';
import type { Outcome } from '../../services/outcome';
import { problemsError, success } from '../../services/outcome';
import type { VismaClient } from '../../transport';
import { isGuid } from '../../transport';

export interface LocatorOptions {
	/**
	 * What a plain value (an expression, an AI agent's answer) is: `guess` takes it as an ID when
	 * it looks like one, else as a number; `id` always as an ID.
	 */
	plain?: 'guess' | 'id';
	/** An empty locator names no record rather than being a missing field. */
	optional?: boolean;
}

/** Another record a form names (a draft's customer): a plain value is an ID, empty is allowed. */
export const OPTIONAL_BY_ID: LocatorOptions = { plain: 'id', optional: true };

/**
 * The one reader of resource locators: From List and By ID give an ID, By Number a number
 * checked by the record type's own rule.
 */
export function readLocator(
	c: Checker,
	raw: unknown,
	label: string,
	type: RecordType,
	options: LocatorOptions = {},
): IdOrNumber | undefined {
	const { mode, value } =
		raw !== null && typeof raw === 'object'
			? (raw as { mode?: string; value?: unknown })
			: { mode: undefined, value: raw };
	if (value === undefined || value === null || value === '') {
		return options.optional ? undefined : c.fail(label, 'is required');
	}
	const plainNumber =
		mode === undefined &&
		options.plain !== 'id' &&
		!(typeof value === 'string' && isGuid(value.trim()));
	if (type.key && (mode === 'number' || plainNumber)) {
		const number = type.key.check(c.scope(label), value);
		return number === undefined ? undefined : { number };
	}
	const id = c.guid(label, value, true);
	return id ? { id } : undefined;
}

/** The record item `i` names in the type's locator parameter, or the error naming what is wrong. */
export function locatorOf(ctx: IExecuteFunctions, type: LocatableType, i: number): IdOrNumber {
	const c = new Checker();
	const which = readLocator(c, ctx.getNodeParameter(type.locator.parameter, i), type.label, type);
	if (!which || !c.ok) throw problemsError(ctx.getNode(), c.problems, i);
	return which;
}

/** A record as output: its Simplify fields, or all of it. */
export function recordJson(
	ctx: IExecuteFunctions,
	i: number,
	record: object,
	type: RecordType,
): IDataObject {
	const simple = ctx.getNodeParameter('simplify', i, true) as boolean;
	return (simple ? simplify(type, record as Record<string, unknown>) : record) as IDataObject;
}

/**
 * The ID of the record each request names: IDs as given (the write that follows finds out
 * whether they exist), numbers through one batched look-up for all items.
 */
export async function idsOf(
	client: VismaClient,
	type: RecordType,
	requests: Array<{ itemIndex: number; which: IdOrNumber }>,
): Promise<Array<Outcome<string>>> {
	const byNumber = requests.filter((r) => 'number' in r.which);
	const found = byNumber.length ? await fetchRecords(client, type, byNumber) : [];
	const numbered = new Map(byNumber.map((r, j) => [r.itemIndex, found[j]]));
	return requests.map((r) => {
		if ('id' in r.which) return success(r.which.id);
		const outcome = numbered.get(r.itemIndex)!;
		return outcome.ok ? success(outcome.value.Id) : outcome;
	});
}

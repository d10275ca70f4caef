import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { Checker } from '../../domain/check';
import type { ItemError, Outcome } from '../../services/outcome';
import { asItemError, itemError, problemsError, withAdvice } from '../../services/outcome';

/**
 * The error item n8n's "Continue (using error output)" and "Continue" settings expect: what
 * happened (`error`) and what to do (`message`), so a webhook's error branch can answer with
 * both. Exactly these two keys: n8n 1.x sends an item to the error output only when its fields
 * are `error` or `error` and `message` (2.x also accepts `details`), and it would replace all
 * fields of an item that carried the error object itself with the bare message.
 */
export function errorItem(error: ItemError, itemIndex: number): INodeExecutionData {
	withAdvice(error);
	return {
		json: { error: error.message, message: error.description ?? null },
		pairedItem: { item: itemIndex },
	};
}

/** Whether an output item is one of our error items. */
export function isErrorItem(item: INodeExecutionData): boolean {
	const keys = Object.keys(item.json);
	return (
		typeof item.json.error === 'string' &&
		keys.length === 2 &&
		keys.every((k) => k === 'error' || k === 'message')
	);
}

export function toItems(
	ctx: IExecuteFunctions,
	data: IDataObject | IDataObject[],
	itemIndex: number,
): INodeExecutionData[] {
	return ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(data), {
		itemData: { item: itemIndex },
	});
}

/**
 * Runs `fn` for each item; with Continue On Fail a failing item becomes an error item and the
 * rest go on, otherwise the first failure stops the node.
 */
export async function perItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...toItems(ctx, await fn(i), i));
		} catch (error) {
			const nodeError = asItemError(ctx.getNode(), error, i);
			if (!ctx.continueOnFail()) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	return out;
}

/**
 * Output of a batch operation: one item per input item, in input order. Items that failed
 * validation or the API become error items with Continue On Fail, or stop the node.
 */
export function emitOutcomes<T>(
	ctx: IExecuteFunctions,
	itemCount: number,
	invalid: Map<number, ItemError>,
	requests: Array<{ itemIndex: number }>,
	outcomes: Array<Outcome<T>>,
	toJson: (value: T) => IDataObject,
): INodeExecutionData[] {
	const byItem = new Map<number, Outcome<T>>();
	requests.forEach((r, k) => byItem.set(r.itemIndex, outcomes[k]));
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < itemCount; i++) {
		const outcome = byItem.get(i);
		// An item never disappears silently: no result at all is reported as an error too.
		const error =
			invalid.get(i) ??
			(outcome && !outcome.ok ? outcome.error : undefined) ??
			(outcome
				? undefined
				: itemError(
						ctx.getNode(),
						'No result was produced for this item',
						i,
						'This should not happen: nothing is known about this item, so check eAccounting before running it again, and report it with the execution.',
					));
		if (error) {
			if (!ctx.continueOnFail()) throw error;
			out.push(errorItem(error, i));
		} else if (outcome?.ok) {
			out.push(...toItems(ctx, toJson(outcome.value), i));
		}
	}
	return out;
}

/** Without Continue On Fail, one invalid item stops the node before anything is written. */
export function stopOnInvalid(ctx: IExecuteFunctions, invalid: Map<number, ItemError>): void {
	if (invalid.size === 0 || ctx.continueOnFail()) return;
	const first = Math.min(...invalid.keys());
	throw invalid.get(first)!;
}

/**
 * Reads and checks every item before anything is written: `read` returns the item's request, or
 * records problems on the checker. Without Continue On Fail one invalid item stops the node here.
 */
export async function checkEachItem<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (c: Checker, itemIndex: number) => T | Promise<T>,
): Promise<{ requests: Array<T & { itemIndex: number }>; invalid: Map<number, ItemError> }> {
	const requests: Array<T & { itemIndex: number }> = [];
	const invalid = new Map<number, ItemError>();
	for (let i = 0; i < items.length; i++) {
		const c = new Checker();
		const request = await read(c, i);
		if (c.ok) requests.push({ ...request, itemIndex: i });
		else invalid.set(i, problemsError(ctx.getNode(), c.problems, i));
	}
	stopOnInvalid(ctx, invalid);
	return { requests, invalid };
}

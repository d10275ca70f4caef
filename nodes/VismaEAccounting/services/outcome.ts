import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FieldProblem } from '../domain/check';
import { describeProblems } from '../domain/check';
import { markItem, summaryOf } from '../transport';

export type ItemError = NodeApiError | NodeOperationError;

/** What happened to one input item: a value, or the error that item ends with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ItemError };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = <T>(error: ItemError): Outcome<T> => ({ ok: false, error });

/** The error of one item: what happened, and what to do about it. */
export function itemError(
	node: INode,
	summary: string,
	itemIndex: number,
	description?: string,
): NodeOperationError {
	return markItem(
		new NodeOperationError(node, summary, { itemIndex, description }),
		summary,
		itemIndex,
	);
}

/** A validation error naming the item and every field to fix. */
export function problemsError(
	node: INode,
	problems: FieldProblem[],
	itemIndex: number,
): NodeOperationError {
	const [first] = problems;
	return itemError(
		node,
		`${first.field} ${first.message}`,
		itemIndex,
		problems.length > 1
			? `Fix these fields of item ${itemIndex}: ${describeProblems(problems)}. Nothing was written for this item.`
			: `Fix this field of item ${itemIndex}. Nothing was written for this item.`,
	);
}

/** Re-targets an error raised for one item at another item that shares the same cause. */
export function forItem(node: INode, error: ItemError, itemIndex: number): ItemError {
	const summary = summaryOf(error);
	const options = { itemIndex, description: error.description ?? undefined };
	const copy =
		error instanceof NodeApiError
			? new NodeApiError(
					node,
					{ message: summary },
					{ ...options, message: summary, httpCode: error.httpCode ?? undefined },
				)
			: new NodeOperationError(node, summary, options);
	return markItem(copy, summary, itemIndex);
}

/** Any failure as an n8n error of the item: n8n's own errors keep their item if they have one. */
export function asItemError(node: INode, error: unknown, itemIndex: number): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FieldProblem } from '../domain/check';
import { describeProblems } from '../domain/check';

export type ItemError = NodeApiError | NodeOperationError;

/** What happened to one input item: a value, or the error that item ends with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ItemError };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const failure = <T>(error: ItemError): Outcome<T> => ({ ok: false, error });

/** A validation error naming the item and every field to fix. */
export function problemsError(node: INode, problems: FieldProblem[], itemIndex: number): NodeOperationError {
	const [first] = problems;
	return new NodeOperationError(node, `${first.field} ${first.message} [item ${itemIndex}]`, {
		itemIndex,
		description:
			problems.length > 1
				? `Fix these fields of item ${itemIndex}: ${describeProblems(problems)}. Nothing was written for this item.`
				: `Fix this field of item ${itemIndex}. Nothing was written for this item.`,
	});
}

/** Re-targets an error raised for one item at another item that shares the same cause. */
export function forItem(node: INode, error: ItemError, itemIndex: number): ItemError {
	const message = error.message.replace(/ \[item \d+\]$/, '');
	const options = { itemIndex, description: error.description ?? undefined };
	return error instanceof NodeApiError
		? new NodeApiError(node, { message } as never, { ...options, message: `${message} [item ${itemIndex}]`, httpCode: error.httpCode ?? undefined })
		: new NodeOperationError(node, `${message} [item ${itemIndex}]`, options);
}

export function asItemError(node: INode, error: unknown, itemIndex: number): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

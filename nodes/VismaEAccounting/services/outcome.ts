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
			? `Fix these fields: ${describeProblems(problems)}. Nothing was written for this item.`
			: 'Fix this field in the input and run again. Nothing was written for this item.',
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
		return withAdvice(error);
	}
	return withAdvice(new NodeOperationError(node, error as Error, { itemIndex }));
}

/**
 * For the few errors that reach us without advice (n8n's own, or something unexpected): what
 * a person can still do. Every other error is made with a description of its own.
 */
export const GENERAL_ADVICE =
	"Run it again. If it fails the same way, open the Visma eAccounting credential and reconnect it, and check this node's parameters; the execution log has the full error.";

/** The error, with a description that says what to do (GENERAL_ADVICE if it had none). */
export function withAdvice<E extends ItemError>(error: E): E {
	if (typeof error.description !== 'string' || !error.description.trim())
		error.description = GENERAL_ADVICE;
	return error;
}

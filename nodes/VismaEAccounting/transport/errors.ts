import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Failure } from './failures';

interface Advice {
	message: string;
	description: string;
}

const SUPPORT = (errorId?: string) =>
	errorId ? ` If you contact Visma support, quote error ID ${errorId}.` : '';

/** What each Visma ErrorCode means for the user, and what they can do about it. */
const BY_ERROR_CODE: Record<number, Advice> = {
	3000: {
		message: 'A record this request refers to does not exist in eAccounting',
		description: 'Check the ID or number you used; the record may have been deleted.',
	},
	4000: {
		message: 'A record with the same number already exists in eAccounting',
		description: 'Use a different number, or update the existing record instead.',
	},
	4001: {
		message: 'eAccounting cannot delete this record because other records use it',
		description:
			'A customer with invoices or drafts cannot be deleted. Deactivate it instead (Update with Active turned off).',
	},
	4002: {
		// Visma uses 4002 for two things: a record that cannot be created or changed, and no access to a module.
		message:
			'Visma eAccounting refused to create or change the record, or the company has no access to this module',
		description:
			"Visma's own words below say which. For no access: in eAccounting, open Settings > Apps/Integrations, activate the API integration and check you connected the right company.",
	},
	4003: {
		message: "The company's startup guide in eAccounting is not completed",
		description:
			'Log in to eAccounting, finish the startup guide for this company, then run again.',
	},
	4004: {
		message: 'The eAccounting company is not active',
		description:
			'Reactivate the company in eAccounting or connect the credential to an active company.',
	},
	4005: {
		message: 'The connected user is not authorized for this request',
		description: 'Reconnect the credential with a user that has access to this company.',
	},
	4006: {
		message: 'The credential is missing a permission (scope) this request needs',
		description:
			"The credential asks Visma for ea:api, offline_access and ea:sales, plus its Additional Scopes. VAT codes need ea:accounting_readonly: add it under Additional Scopes and reconnect (the bank accounts of Record Payment need ea:purchase_readonly, and creating projects needs ea:accounting, the same way) (an article's VAT also shows in its account coding: Article Account Coding > Get Many). For anything else, reconnect the credential so Visma grants the scopes again.",
	},
	4007: {
		message: 'The connected eAccounting user does not have permission for this',
		description:
			'Ask an administrator to give your eAccounting user the needed rights, then run again.',
	},
	4009: {
		message: "This feature is not part of the company's eAccounting product variant",
		description:
			'Customers, articles and invoices need the Standard, Invoicing, Pro or Solo variant; the Bookkeeping variant does not include them.',
	},
	4010: {
		message: 'Visma eAccounting rate limit reached and retries ran out',
		description:
			'Visma allows 600 requests per minute per endpoint. Wait a minute and run again, or spread the work over time.',
	},
	4011: {
		message: 'The connected user has no access to this eAccounting company',
		description: 'Reconnect the credential with a user that belongs to the company.',
	},
	4012: {
		message: 'The licence agreement for this eAccounting company has not been accepted',
		description: 'Log in to eAccounting, accept the licence agreement, then run again.',
	},
	4019: {
		message: 'The connected eAccounting user is read-only',
		description: 'Reconnect the credential with a user that may create and change records.',
	},
	4025: {
		message: 'Visma rejected the VAT number',
		description:
			'A VAT number starts with a 2-letter country code followed by 8 to 12 letters or digits, and must be valid in the EU VIES register.',
	},
	4034: {
		message: 'Visma refused this request for a sandbox client',
		description:
			'The credential uses a Visma sandbox client, which may only reach sandbox companies and some endpoints. Reconnect with the sandbox company, or use a production client for a production company.',
	},
	5000: {
		message: 'Visma eAccounting had an internal error',
		description: 'This is usually temporary. Run again in a few minutes.',
	},
	5001: {
		message: 'Visma eAccounting could not reach one of its own services',
		description: 'This is usually temporary. Run again in a few minutes.',
	},
	6000: {
		message: 'Visma eAccounting rejected a query parameter',
		description: 'Check the filters you set on this operation.',
	},
	6001: {
		message: 'Visma eAccounting rejected a value in the query',
		description: 'Check the format of dates and numbers in the filters.',
	},
};

/** Codes whose meaning depends on the case: Visma's own message is always shown with them. */
const AMBIGUOUS = new Set([4002]);

function byStatus(f: Failure): Advice {
	if (f.status === undefined) {
		return {
			message: `Could not reach Visma eAccounting (${f.code ?? f.message})`,
			description:
				'Check the network connection and the API URL of the credential, then run again.',
		};
	}
	if (f.status === 401) {
		return {
			message: 'Visma eAccounting did not accept the credential',
			description:
				'Reconnect the credential. If it keeps failing, the refresh token may have been revoked (for example after a password change).',
		};
	}
	if (f.status === 403) {
		return {
			message: 'Visma eAccounting refused access to this company',
			description:
				'Check that the API is activated and the startup guide is completed in eAccounting.',
		};
	}
	if (f.status === 404) {
		return {
			message: 'The record was not found in eAccounting',
			description: 'Check the ID; the record may have been deleted.',
		};
	}
	if (f.status === 414) {
		return {
			message: 'The request URL was too long for Visma eAccounting',
			description: 'Use fewer or shorter filter values.',
		};
	}
	if (f.status >= 500) {
		return {
			message: `Visma eAccounting is unavailable (HTTP ${f.status})`,
			description: 'This is usually temporary. Run again in a few minutes.',
		};
	}
	return {
		message: `Visma eAccounting rejected the request (HTTP ${f.status})`,
		description: 'Check the values you sent.',
	};
}

/** "Name: is too long; Rows[1].UnitPrice: ..." from Visma's field-level errors. */
export function fieldErrors(f: Failure): string[] {
	return (f.body?.Errors ?? [])
		.map((e) => [e.Field, e.Message ?? e.ErrorCode].filter(Boolean).join(': '))
		.filter((s) => s.length > 0);
}

/**
 * Turns a failed call into an error a person can act on: the message says what happened,
 * the description how to fix it. Built from the response body only, so no request header
 * (and no token) can end up in the error.
 */
export function toNodeApiError(
	node: INode,
	f: Failure,
	options: { itemIndex?: number; action?: string; hint?: string } = {},
): NodeApiError {
	const code = f.body?.ErrorCode;
	const advice = (code !== undefined && BY_ERROR_CODE[code]) || byStatus(f);
	const fields = fieldErrors(f);
	const developerMessage = f.body?.DeveloperErrorMessage ?? f.body?.Message;

	const specific = code !== undefined && BY_ERROR_CODE[code] !== undefined && !AMBIGUOUS.has(code);
	let message = advice.message;
	if (
		code === 2000 ||
		(f.status === 400 && code === undefined) ||
		(code !== undefined && !BY_ERROR_CODE[code])
	) {
		// No advice of our own: Visma's words are the message.
		message = `Visma eAccounting rejected the ${options.action ?? 'request'}`;
		if (fields.length > 0) message += `: ${fields[0]}`;
		else if (developerMessage) message += `: ${developerMessage}`;
		else if (code !== undefined) message += ` (ErrorCode ${code})`;
	} else if (
		code !== undefined &&
		developerMessage &&
		(!specific || code === 3000 || code === 4000)
	) {
		message += `: ${developerMessage}`;
	}

	const details: string[] = [];
	if (fields.length > 1 || (fields.length === 1 && !message.includes(fields[0])))
		details.push(`Fields: ${fields.join('; ')}.`);
	if (developerMessage && !message.includes(developerMessage))
		details.push(`Visma said: ${developerMessage}`);
	if (code === 2000) details.push('Correct these values in the input and run again.');
	else details.push(advice.description);
	if (options.hint) details.push(options.hint);
	details.push(SUPPORT(f.body?.ErrorId).trim());

	const response: JsonObject = {
		httpCode: f.status === undefined ? null : String(f.status),
		ErrorCode: code ?? null,
		DeveloperErrorMessage: developerMessage ?? null,
		ErrorId: f.body?.ErrorId ?? null,
		Errors: (f.body?.Errors ?? []) as unknown as JsonObject[],
		networkError: f.code ?? null,
	};
	const error = new NodeApiError(node, response, {
		message,
		description: details.filter(Boolean).join(' '),
		httpCode: f.status === undefined ? undefined : String(f.status),
		itemIndex: options.itemIndex,
	});
	// Where n8n keeps a response body; readFailure() finds Visma's ErrorCode here again.
	error.context.data = response;
	return options.itemIndex === undefined ? error : markItem(error, message, options.itemIndex);
}

/**
 * Ties an error to an item: the message ends with "[item N]" for people, and the context keeps
 * the index and the message without it as data, so the error can be re-targeted at another item.
 */
export function markItem<E extends NodeApiError | NodeOperationError>(
	error: E,
	summary: string,
	itemIndex: number,
): E {
	error.message = `${summary} [item ${itemIndex}]`;
	error.context.itemIndex = itemIndex;
	error.context.summary = summary;
	return error;
}

/** The message of an error without its item. */
export const summaryOf = (error: NodeApiError | NodeOperationError): string =>
	typeof error.context.summary === 'string' ? error.context.summary : error.message;

/** An error to pass on: n8n's own errors as they are, anything else wrapped for this node. */
export function passOn(node: INode, error: unknown): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(node, error as Error);
}

import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RecordType } from '../../records/types';
import type { ItemError } from '../../services/outcome';
import { withAdvice } from '../../services/outcome';
import { summaryOf } from '../../transport';
import { isErrorItem } from './items';

/**
 * Running as an AI agent's tool. n8n offers the node to agents as "<name>Tool" (usableAsTool);
 * n8n 2.x runs that tool node as a node of the workflow whose output goes to the agent
 * (`rewireOutputLogTo`), older agents call it through a supply-data context that says so
 * (`isToolExecution`). Any of the three means an agent reads the answer.
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	const node = ctx.getNode() as INode & { rewireOutputLogTo?: string };
	if (node.type.endsWith('Tool') || node.rewireOutputLogTo === 'ai_tool') return true;
	const check = (ctx as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	try {
		return typeof check === 'function' && check.call(ctx) === true;
	} catch {
		return false;
	}
}

/** Visma's fields are PascalCase; what the node adds (outcome, summaries, reports) is camelCase. */
const isVismaField = (key: string) => /^[A-Z]/.test(key);
const present = (value: unknown) => value !== null && value !== undefined;

/**
 * What an agent gets for one item: `outcome` first, then the record's Simplify fields, then what
 * the node adds, all without nulls. A whole customer is 66 fields, mostly empty; the model needs
 * to know what happened and to which record.
 */
export function forAgent(json: IDataObject, record?: RecordType): IDataObject {
	const out: IDataObject = {};
	if (present(json.outcome)) out.outcome = json.outcome;
	const fields = record?.simplify ?? Object.keys(json).filter(isVismaField);
	for (const field of fields) if (present(json[field])) out[field] = json[field];
	for (const [key, value] of Object.entries(json))
		if (key !== 'outcome' && !isVismaField(key) && present(value)) out[key] = value;
	return out;
}

/** An error item for an agent: the message without "[item N]", and what to do. */
function errorForAgent(json: IDataObject): IDataObject {
	return { error: String(json.error).replace(/ \[item \d+\]$/, ''), message: json.message };
}

export function itemsForAgent(
	items: INodeExecutionData[],
	record?: RecordType,
): INodeExecutionData[] {
	return items.map((item) => ({
		...item,
		json: isErrorItem(item) ? errorForAgent(item.json) : forAgent(item.json, record),
	}));
}

/**
 * A failure told to an agent, which sees only the message: what happened and what to do in one
 * sentence, and no item index (the agent sent one call, not a list of items).
 */
export function agentError(node: INode, error: ItemError): NodeOperationError {
	withAdvice(error);
	const summary = summaryOf(error).replace(/[.\s]+$/, '');
	return new NodeOperationError(node, `${summary}. ${error.description ?? ''}`.trim(), {
		description: error.description ?? undefined,
	});
}

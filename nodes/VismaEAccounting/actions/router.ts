import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forItem, withAdvice } from '../services/outcome';
import { asExecution, passOn, VismaClient } from '../transport';
import { operationOf, recordOf } from './resources';
import { agentError, itemsForAgent, runsAsTool } from './shared/agent';
import { errorItem } from './shared/items';

/**
 * Hands the items to the operation chosen in the node (resource + operation). What comes back
 * is shaped for its reader: an AI agent gets compact answers and errors without item indexes,
 * and with Continue On Fail a failure of the whole run still gives every item an error item
 * (with what to do), so an error branch can answer each one.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const asTool = runsAsTool(this);

	if (operation === '__CUSTOM_API_CALL__' || resource === '__CUSTOM_API_CALL__') {
		throw new NodeOperationError(
			this.getNode(),
			'Custom API calls are made with the HTTP Request node',
			{
				description:
					'Add an HTTP Request node, choose "Predefined Credential Type" and select Visma eAccounting OAuth2 API.',
			},
		);
	}
	const op = operationOf(resource, operation);
	if (!op) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{ description: 'Open the node and choose the resource and operation again.' },
		);
	}
	let out: INodeExecutionData[];
	try {
		const client = await VismaClient.create(this);
		// Counted while it runs: look-ups wait for companions only when there are others.
		out = await asExecution(client.scope, async () => await op.execute.call(this, items, client));
	} catch (thrown) {
		const error = withAdvice(passOn(this.getNode(), thrown));
		if (asTool) throw agentError(this.getNode(), error);
		if (!this.continueOnFail()) throw error;
		out = items.map((_, i) => errorItem(forItem(this.getNode(), error, i), i));
	}
	return [asTool ? itemsForAgent(out, recordOf(resource)) : out];
}

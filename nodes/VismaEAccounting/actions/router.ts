import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { VismaClient, asExecution } from '../transport';
import { operationOf } from './resources';

/** Hands the items to the operation chosen in the node (resource + operation). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

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
		);
	}
	const client = await VismaClient.create(this);
	// Counted while it runs: look-ups wait for companions only when there are others.
	return [await asExecution(client.scope, async () => await op.execute.call(this, items, client))];
}

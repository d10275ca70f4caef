import type { INode } from 'n8n-workflow';

/** The Visma eAccounting node as n8n describes it to a context, with or without a credential. */
export function vismaNode(credentialId?: string): INode {
	return {
		id: 'n1',
		name: 'Visma eAccounting',
		type: 'n8n-nodes-visma-eaccounting.vismaEAccounting',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: credentialId
			? { vismaEAccountingOAuth2Api: { id: credentialId, name: 'Visma' } }
			: undefined,
	};
}

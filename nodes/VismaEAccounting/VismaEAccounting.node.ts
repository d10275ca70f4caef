import type { INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties } from './actions/resources';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class VismaEAccounting implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Visma eAccounting',
		name: 'vismaEAccounting',
		icon: { light: 'file:vismaEAccounting.svg', dark: 'file:vismaEAccounting.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Export approved invoices as draft invoices and manage customers, articles and invoices in Visma eAccounting (Spiris)',
		defaults: { name: 'Visma eAccounting' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'vismaEAccountingOAuth2Api', required: true }],
		properties,
	};

	methods = { loadOptions, listSearch };

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

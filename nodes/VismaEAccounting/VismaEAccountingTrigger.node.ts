import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { withAdvice } from './services/outcome';
import { passOn } from './transport';
import { triggerProperties } from './trigger/description';
import { poll } from './trigger/poll';

/**
 * Polls Visma eAccounting for new and changed records (Visma offers no usable webhooks).
 * How it avoids duplicates and gaps is described in domain/polling.ts.
 */
export class VismaEAccountingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Visma eAccounting Trigger',
		name: 'vismaEAccountingTrigger',
		icon: { light: 'file:vismaEAccounting.svg', dark: 'file:vismaEAccounting.dark.svg' },
		group: ['trigger'],
		version: 1,
		// "newBookedInvoice" -> "New Booked Invoice"
		subtitle:
			'={{ $parameter["event"].charAt(0).toUpperCase() + $parameter["event"].slice(1).replace(/([A-Z])/g, " $1") }}',
		description:
			'Starts the workflow when customers, articles, draft invoices or invoices change in Visma eAccounting (Spiris)',
		defaults: { name: 'Visma eAccounting Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'vismaEAccountingOAuth2Api', required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await poll.call(this);
		} catch (error) {
			// Whatever failed, the error says what to do (most say it themselves already).
			throw withAdvice(passOn(this.getNode(), error));
		}
	}
}

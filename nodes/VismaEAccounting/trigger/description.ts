import type { INodeProperties } from 'n8n-workflow';

import { simplifyProperty } from '../actions/shared/fields';
import type { TriggerEvent } from './events';
import { EVENTS } from './events';

const eventOrder: TriggerEvent[] = [
	'changedCustomer',
	'invoicePaid',
	'newArticle',
	'newBookedInvoice',
	'newCustomer',
	'newDraftInvoice',
];

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		default: 'newBookedInvoice',
		options: eventOrder.map((value) => ({
			name: EVENTS[value].name,
			value,
			description: EVENTS[value].description,
		})),
	},
	{
		displayName:
			'Starts from the moment the workflow is activated: records that already exist are not emitted. A manual test run shows the latest few records.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	simplifyProperty,
];

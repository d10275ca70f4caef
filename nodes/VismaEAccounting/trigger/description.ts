import type { INodeProperties } from 'n8n-workflow';

import { simplifyProperty } from '../actions/shared/fields';
import type { SourceReferenceField } from '../domain/invoice';
import { SOURCE_REFERENCE_LABELS } from '../domain/invoice';
import type { TriggerEvent } from './events';
import { EVENTS, ORIGIN_EVENTS } from './events';

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
	{
		displayName: 'Source Reference Stored In',
		name: 'sourceReferenceField',
		type: 'options',
		displayOptions: { show: { event: ORIGIN_EVENTS } },
		options: (Object.keys(SOURCE_REFERENCE_LABELS) as SourceReferenceField[])
			.map((value) => ({ name: SOURCE_REFERENCE_LABELS[value], value }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: 'ContractNumber',
		description:
			"The field your export stores the source system's invoice number in (Store Source Reference In). Each item gets it as sourceReference, with the draft it was booked from as draftId.",
	},
];

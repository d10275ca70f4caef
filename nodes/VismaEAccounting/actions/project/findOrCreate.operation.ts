import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { checkProjectInput } from '../../domain/project';
import { CUSTOMER } from '../../records/customer';
import type { IdOrNumber } from '../../services/getRecords';
import { findCustomersByNumber } from '../../services/findOrCreateCustomers';
import type { ProjectRequest, ProjectResult } from '../../services/findOrCreateProjects';
import { findOrCreateProjects } from '../../services/findOrCreateProjects';
import type { Outcome } from '../../services/outcome';
import { failure, itemError } from '../../services/outcome';
import { recordLocator } from '../shared/fields';
import { OPTIONAL_BY_ID, readLocator } from '../shared/locator';
import { batchOperation } from '../shared/operations';
import { projectStatusOptions } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Project Number',
		name: 'projectNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. P100',
		description: 'Identifies the project (at most 9 characters)',
	},
	{
		displayName: 'Project Name',
		name: 'projectName',
		type: 'string',
		default: '',
		description:
			'Used only when the project must be created, and then required (at most 200 characters)',
	},
	{
		displayName: 'Additional Project Fields',
		name: 'projectFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Used only when the project must be created',
		options: [
			{
				...recordLocator(
					CUSTOMER,
					'The customer the project is for: pick it from the list, or give its ID or customer number',
				),
				required: false,
				default: { mode: 'list', value: '' },
			},
			{ displayName: 'End Date', name: 'endDate', type: 'dateTime', default: '' },
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Empty: today',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: projectStatusOptions,
				default: 'ongoing',
			},
		],
	},
];

interface Input {
	project: ReturnType<typeof checkProjectInput>;
	customer?: IdOrNumber;
}

export const { option, description, execute } = batchOperation<Input, ProjectResult>({
	option: {
		name: 'Find or Create',
		description: 'Find a project by project number, or create it if no project has that number',
		action: 'Find or create a project',
	},
	properties,
	read: (ctx, c, i) => {
		const extra = ctx.getNodeParameter('projectFields', i, {}) as IDataObject;
		const customer = readLocator(c, extra.customer, 'Customer', CUSTOMER, OPTIONAL_BY_ID);
		const project = checkProjectInput(c, {
			...extra,
			customerId: undefined,
			number: ctx.getNodeParameter('projectNumber', i, ''),
			name: ctx.getNodeParameter('projectName', i, ''),
		});
		return { project, customer };
	},
	run: async (client, requests) => {
		// Customers named by number are looked up once for all items.
		const numbers = requests.flatMap(({ input }) =>
			input.customer && 'number' in input.customer ? [input.customer.number] : [],
		);
		const byNumber = numbers.length
			? await findCustomersByNumber(client, numbers)
			: new Map<string, { Id: string }>();
		const results = new Array<Outcome<ProjectResult> | undefined>(requests.length);
		const asks: Array<{ k: number; request: ProjectRequest }> = [];
		requests.forEach(({ itemIndex, input }, k) => {
			const which = input.customer;
			let customerId: string | undefined;
			if (which && 'id' in which) customerId = which.id;
			else if (which) {
				customerId = byNumber.get(which.number.toLowerCase())?.Id;
				if (!customerId) {
					results[k] = failure(
						itemError(
							client.node,
							`Customer with number ${which.number} is not in eAccounting`,
							itemIndex,
						),
					);
					return;
				}
			}
			asks.push({ k, request: { itemIndex, input: { ...input.project, customerId } } });
		});
		const outcomes = await findOrCreateProjects(
			client,
			asks.map((a) => a.request),
		);
		asks.forEach(({ k }, j) => (results[k] = outcomes[j]));
		return results as Array<Outcome<ProjectResult>>;
	},
	toJson: (_ctx, { project, outcome }) => ({ ...(project as IDataObject), outcome }),
});

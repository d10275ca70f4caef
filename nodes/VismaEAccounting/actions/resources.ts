import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { LocatableType, RecordType } from '../records/types';
import { isLocatable } from '../records/types';
import { article } from './article/Article.resource';
import { articleAccountCoding } from './articleAccountCoding/ArticleAccountCoding.resource';
import { company } from './company/Company.resource';
import { customer } from './customer/Customer.resource';
import { customerInvoice } from './customerInvoice/CustomerInvoice.resource';
import { customerInvoiceDraft } from './customerInvoiceDraft/CustomerInvoiceDraft.resource';
import { project } from './project/Project.resource';
import type { Operation, Resource } from './shared/types';
import { termsOfPayment } from './termsOfPayment/TermsOfPayment.resource';
import { unit } from './unit/Unit.resource';
import { vatCode } from './vatCode/VatCode.resource';

/**
 * Every resource of the node, by its parameter value. The Resource and Operation dropdowns,
 * every parameter's displayOptions, the router and the list searches all come from this table.
 */
export const resources = {
	customer,
	article,
	customerInvoiceDraft,
	customerInvoice,
	project,
	company,
	unit,
	articleAccountCoding,
	termsOfPayment,
	vatCode,
} satisfies Record<string, Resource>;

export type ResourceName = keyof typeof resources;

const DEFAULT_RESOURCE: ResourceName = 'customerInvoiceDraft';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

const table: Array<[string, Resource]> = Object.entries(resources);

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: table.map(([value, r]) => ({ name: r.displayName, value })).sort(byName),
	default: DEFAULT_RESOURCE,
};

/** The Operation dropdown of one resource, then each operation's parameters, shown only for it. */
function resourceProperties(resource: string, r: Resource): INodeProperties[] {
	const operations = Object.entries(r.operations);
	const defaultOperation = r.default;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: operations.map(([value, op]) => ({ ...op.option, value })).sort(byName),
			default: defaultOperation,
		},
		...operations.flatMap(([operation, op]) =>
			updateDisplayOptions(
				{ show: { resource: [resource], operation: [operation] } },
				op.description,
			),
		),
	];
}

/** The parameters of one resource: its Operation dropdown and its operations' parameters. */
export const propertiesOf = (resource: ResourceName): INodeProperties[] =>
	resourceProperties(resource, resources[resource]);

/** The node's parameters: Resource, then each resource's operations and their parameters. */
export const properties: INodeProperties[] = [
	resourceProperty,
	...table.flatMap(([resource, r]) => resourceProperties(resource, r)),
];

/** The operation the router runs, if the pair names one. */
export function operationOf(resource: string, operation: string): Operation | undefined {
	const r = table.find(([name]) => name === resource)?.[1];
	return r && Object.prototype.hasOwnProperty.call(r.operations, operation)
		? r.operations[operation]
		: undefined;
}

/** The record type a resource works on, if it has one. */
export function recordOf(resource: string): RecordType | undefined {
	return table.find(([name]) => name === resource)?.[1].record;
}

/** The record types whose locators have a From List search. */
export const searchableRecords: LocatableType[] = table.flatMap(([, r]) =>
	isLocatable(r.record) ? [r.record] : [],
);

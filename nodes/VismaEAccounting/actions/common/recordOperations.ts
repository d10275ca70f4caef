import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { Checker } from '../../domain/check';
import type { SimplifiedKind } from '../../domain/simplify';
import type { Outcome } from '../../services/outcome';
import { problemsError, success } from '../../services/outcome';
import type { RecordRef, VismaRecord } from '../../services/records';
import { fetchRecord, fetchRecords, recordId } from '../../services/records';
import type { ListOptions, VismaClient } from '../../transport';
import { resourcePath } from '../../transport';
import { limitProperty, returnAllProperty, simplifyProperty } from './descriptions';
import { emitOutcomes, perItem, checkEachItem } from './items';
import type { RecordType } from './records';
import { locatorOf, readLocator, recordJson } from './records';
import type { Operation } from './types';

const show = (resource: string, operation: string) => ({ show: { resource: [resource], operation: [operation] } });

/**
 * An operation that checks every item before anything is written, then hands all of them to a
 * batched service (one look-up for all items). Invalid items stop the node, or become error
 * items with Continue On Fail.
 */
export function batchOperation<I, R>(args: {
	resource: string;
	operation: string;
	properties: INodeProperties[];
	read: (ctx: IExecuteFunctions, c: Checker, itemIndex: number, client: VismaClient) => Promise<I> | I;
	run: (client: VismaClient, requests: Array<{ itemIndex: number; input: I }>) => Promise<Array<Outcome<R>>>;
	toJson: (ctx: IExecuteFunctions, result: R, itemIndex: number) => IDataObject;
}): Operation {
	return {
		description: updateDisplayOptions(show(args.resource, args.operation), args.properties),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			const { requests, invalid } = await checkEachItem(this, items, async (c, i) => ({
				input: await args.read(this, c, i, client),
			}));
			const outcomes = (await args.run(client, requests)).map((o, k) =>
				o.ok ? success({ result: o.value, itemIndex: requests[k].itemIndex }) : o,
			);
			return emitOutcomes(this, items.length, invalid, requests, outcomes, ({ result, itemIndex }) =>
				args.toJson(this, result, itemIndex),
			);
		},
	};
}

/**
 * Get: the records the items name, by ID or number, with one batched look-up per kind of
 * reference for all items.
 */
export function getOperation(args: { resource: string; type: RecordType; locator: INodeProperties }): Operation {
	const { type } = args;
	return batchOperation({
		resource: args.resource,
		operation: 'get',
		properties: [args.locator, simplifyProperty],
		read: (ctx, c, i) => readLocator(c, ctx.getNodeParameter(type.parameter, i), type.kind.label, type) as RecordRef,
		run: async (client, requests) =>
			await fetchRecords(client, type.kind, requests.map(({ itemIndex, input }) => ({ itemIndex, ref: input }))),
		toJson: (ctx, record, i) => recordJson(ctx, i, record, type.simplify),
	});
}

/**
 * Update: checks the item's fields, fetches the record its locator names, and lets `apply`
 * lay the fields over it (Visma's PUT replaces the whole record).
 */
export function updateOperation<I, T extends VismaRecord>(args: {
	resource: string;
	type: RecordType;
	properties: INodeProperties[];
	read: (ctx: IExecuteFunctions, c: Checker, itemIndex: number, client: VismaClient) => Promise<I>;
	apply: (client: VismaClient, existing: T, input: I, itemIndex: number) => Promise<IDataObject>;
}): Operation {
	return {
		description: updateDisplayOptions(show(args.resource, 'update'), args.properties),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const c = new Checker();
				const input = await args.read(this, c, i, client);
				if (!c.ok) throw problemsError(this.getNode(), c.problems, i);
				const existing = await fetchRecord<T>(client, args.type.kind, locatorOf(this, args.type, i), i);
				return await args.apply(client, existing, input, i);
			});
		},
	};
}

/** What one item asks Get Many for: the filter and query of the list call. */
export type QueryReader = (
	ctx: IExecuteFunctions,
	c: Checker,
	filters: IDataObject,
	itemIndex: number,
	client: VismaClient,
) => Promise<Pick<ListOptions, 'filter' | 'qs'>>;

/**
 * Get Many: one output item per record, Return All or up to Limit, optionally filtered and
 * simplified. Each input item runs its own list call.
 */
export function getManyOperation(args: {
	resource: string;
	path: string;
	simplify?: SimplifiedKind;
	filters?: INodeProperties[];
	query?: QueryReader;
}): Operation {
	const properties: INodeProperties[] = [returnAllProperty, limitProperty];
	if (args.filters?.length) {
		properties.push({
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: args.filters,
		});
	}
	if (args.simplify) properties.push(simplifyProperty);
	return {
		description: updateDisplayOptions(show(args.resource, 'getAll'), properties),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const c = new Checker();
				const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
				const query = args.query ? await args.query(this, c, filters, i, client) : {};
				if (!c.ok) throw problemsError(this.getNode(), c.problems, i);
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const limit = returnAll ? undefined : (this.getNodeParameter('limit', i, 50) as number);
				const records = await client.all<IDataObject>(args.path, { ...query, limit, itemIndex: i });
				return args.simplify ? records.map((r) => recordJson(this, i, r, args.simplify!)) : records;
			});
		},
	};
}

/** Delete: removes the record and returns `{ deleted: true, id }`. */
export function deleteOperation(args: { resource: string; type: RecordType; locator: INodeProperties }): Operation {
	const { type } = args;
	return {
		description: updateDisplayOptions(show(args.resource, 'delete'), [args.locator]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const id = await recordId(client, type.kind, locatorOf(this, type, i), i);
				await client.request({
					method: 'DELETE',
					path: resourcePath(type.kind.path, id),
					action: `${type.kind.label.toLowerCase()} deletion`,
					itemIndex: i,
				});
				return { deleted: true, id };
			});
		},
	};
}

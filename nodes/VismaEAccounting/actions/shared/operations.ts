import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { Checker } from '../../domain/check';
import type { Outcome } from '../../services/outcome';
import { problemsError, success } from '../../services/outcome';
import type { VismaRecord } from '../../domain/visma';
import type { IdOrNumber } from '../../services/getRecords';
import { fetchRecord, fetchRecords, recordId } from '../../services/getRecords';
import type { ListOptions, VismaClient } from '../../transport';
import { resourcePath } from '../../transport';
import type { LocatableType, RecordType } from '../../records/types';
import { limitProperty, recordLocator, returnAllProperty, simplifyProperty } from './fields';
import { checkEachItem, emitOutcomes, perItem } from './items';
import { locatorOf, readLocator, recordJson } from './locator';
import type { Operation, OperationOption } from './types';
import { defineResource } from './types';

/**
 * An operation that checks every item before anything is written, then hands all of them to a
 * batched service (one look-up for all items). Invalid items stop the node, or become error
 * items with Continue On Fail.
 */
export function batchOperation<I, R>(args: {
	option: OperationOption;
	properties: INodeProperties[];
	read: (
		ctx: IExecuteFunctions,
		c: Checker,
		itemIndex: number,
		client: VismaClient,
	) => Promise<I> | I;
	run: (
		client: VismaClient,
		requests: Array<{ itemIndex: number; input: I }>,
	) => Promise<Array<Outcome<R>>>;
	toJson: (ctx: IExecuteFunctions, result: R, itemIndex: number) => IDataObject;
}): Operation {
	return {
		option: args.option,
		description: args.properties,
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			const { requests, invalid } = await checkEachItem(this, items, async (c, i) => ({
				input: await args.read(this, c, i, client),
			}));
			const outcomes = (await args.run(client, requests)).map((o, k) =>
				o.ok ? success({ result: o.value, itemIndex: requests[k].itemIndex }) : o,
			);
			return emitOutcomes(
				this,
				items.length,
				invalid,
				requests,
				outcomes,
				({ result, itemIndex }) => args.toJson(this, result, itemIndex),
			);
		},
	};
}

/**
 * Get: the records the items name, by ID or number, with one batched look-up for all IDs and
 * one for all numbers.
 */
export function getOperation(
	type: LocatableType,
	args: { option: OperationOption; locator: string },
): Operation {
	return batchOperation({
		option: args.option,
		properties: [recordLocator(type, args.locator), simplifyProperty],
		read: (ctx, c, i) =>
			readLocator(
				c,
				ctx.getNodeParameter(type.locator.parameter, i),
				type.label,
				type,
			) as IdOrNumber,
		run: async (client, requests) =>
			await fetchRecords(
				client,
				type,
				requests.map(({ itemIndex, input }) => ({ itemIndex, which: input })),
			),
		toJson: (ctx, record, i) => recordJson(ctx, i, record, type),
	});
}

/**
 * Update: checks the item's fields, fetches the record its locator names, and lets `apply`
 * lay the fields over it (Visma's PUT replaces the whole record).
 */
export function updateOperation<I, T extends VismaRecord>(
	type: LocatableType,
	args: {
		option: OperationOption;
		properties: INodeProperties[];
		read: (
			ctx: IExecuteFunctions,
			c: Checker,
			itemIndex: number,
			client: VismaClient,
		) => Promise<I>;
		apply: (client: VismaClient, existing: T, input: I, itemIndex: number) => Promise<IDataObject>;
	},
): Operation {
	return {
		option: args.option,
		description: args.properties,
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const c = new Checker();
				const input = await args.read(this, c, i, client);
				if (!c.ok) throw problemsError(this.getNode(), c.problems, i);
				const existing = await fetchRecord<T>(client, type, locatorOf(this, type, i), i);
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
export function getManyOperation(
	type: RecordType,
	args: {
		option: OperationOption;
		filters?: INodeProperties[];
		query?: QueryReader;
	},
): Operation {
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
	if (type.simplify) properties.push(simplifyProperty);
	return {
		option: args.option,
		description: properties,
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const c = new Checker();
				const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
				const query = args.query ? await args.query(this, c, filters, i, client) : {};
				if (!c.ok) throw problemsError(this.getNode(), c.problems, i);
				const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
				const limit = returnAll ? undefined : (this.getNodeParameter('limit', i, 50) as number);
				const records = await client.all<IDataObject>(`/${type.path}`, {
					...query,
					limit,
					itemIndex: i,
				});
				return type.simplify ? records.map((r) => recordJson(this, i, r, type)) : records;
			});
		},
	};
}

/** Delete: removes the record and returns `{ deleted: true, id }`. */
export function deleteOperation(
	type: LocatableType,
	args: { option: OperationOption; locator: string },
): Operation {
	return {
		option: args.option,
		description: [recordLocator(type, args.locator)],
		async execute(this: IExecuteFunctions, items: INodeExecutionData[], client: VismaClient) {
			return await perItem(this, items, async (i) => {
				const id = await recordId(client, type, locatorOf(this, type, i), i);
				await client.request({
					method: 'DELETE',
					path: resourcePath(type.path, id),
					action: `${type.label.toLowerCase()} deletion`,
					itemIndex: i,
				});
				return { deleted: true, id };
			});
		},
	};
}

/**
 * A read-only list of company reference data (units, account codings, ...): one Get Many
 * operation with Return All and Limit.
 */
export function referenceDataResource(
	type: RecordType,
	args: { displayName: string; description: string },
) {
	return defineResource({
		displayName: args.displayName,
		record: type,
		default: 'getAll',
		operations: {
			getAll: getManyOperation(type, {
				option: {
					name: 'Get Many',
					description: args.description,
					action: `Get many ${type.plural}`,
				},
			}),
		},
	});
}

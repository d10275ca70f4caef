import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	IPollFunctions,
} from 'n8n-workflow';

import type { StoredCredential } from './credentials';
import { httpRequestWithAuthentication } from './http';

/** A parameter value, or a function standing in for an n8n expression evaluated per item. */
export type ParamValue = unknown | ((item: INodeExecutionData, itemIndex: number) => unknown);

export interface ContextOptions {
	nodeType: INodeType;
	parameters: Record<string, ParamValue>;
	credential: StoredCredential;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	nodeName?: string;
	mode?: 'manual' | 'trigger';
	staticData?: IDataObject;
	/**
	 * Run as n8n 2.x runs a tool node for its AI Agent: the node type is the generated
	 * "<name>Tool" and its output is rewired to the agent (`rewireOutputLogTo: 'ai_tool'`).
	 */
	asTool?: boolean;
	/** The workflow's time zone (getTimezone), default UTC. */
	timezone?: string;
}

/** Counts the HTTP calls the node made through the credential (n8n-side view). */
export interface CallCounter {
	calls: number;
}

function getPath(source: unknown, path: string): unknown {
	let current = source;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

/** n8n fills in defaults of visible parameters when a workflow is saved; do the same. */
function defaultFor(
	properties: INodeProperties[],
	name: string,
	current: (n: string) => unknown,
): unknown {
	const matches = (p: INodeProperties) => {
		const show = p.displayOptions?.show ?? {};
		return Object.entries(show).every(([key, allowed]) => {
			if (key.startsWith('@')) return true;
			return (allowed as unknown[]).includes(current(key));
		});
	};
	const candidates = properties.filter((p) => p.name === name && matches(p));
	return candidates.length ? candidates[0].default : undefined;
}

/** The subset of resource-locator handling n8n does for `extractValue`. */
function extractLocatorValue(value: unknown, property: INodeProperties | undefined): unknown {
	if (!value || typeof value !== 'object' || !('__rl' in value)) return value;
	const locator = value as unknown as { mode: string; value: unknown };
	const mode = property?.modes?.find((m) => m.name === locator.mode);
	const regex = mode?.extractValue?.type === 'regex' ? mode.extractValue.regex : undefined;
	if (regex && typeof locator.value === 'string') {
		const match = new RegExp(regex).exec(locator.value);
		return match ? match[1] : locator.value;
	}
	return locator.value;
}

export function buildContext(options: ContextOptions, counter: CallCounter) {
	const properties = options.nodeType.description.properties;
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const node: INode & { rewireOutputLogTo?: string } = {
		id: 'node-1',
		name: options.nodeName ?? options.nodeType.description.defaults.name ?? 'Node',
		type: `n8n-nodes-visma-eaccounting.${options.nodeType.description.name}${options.asTool ? 'Tool' : ''}`,
		...(options.asTool ? { rewireOutputLogTo: 'ai_tool' } : {}),
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as never,
		credentials: {
			vismaEAccountingOAuth2Api: { id: options.credential.id, name: options.credential.name },
		},
	};
	const staticData = options.staticData ?? {};

	const resolve = (name: string, itemIndex: number): unknown => {
		const item = items[itemIndex] ?? items[0];
		// Expressions can sit anywhere inside a parameter (collections, fixed collections).
		const evaluate = (v: unknown): unknown => {
			if (typeof v === 'function') return v(item, itemIndex);
			if (Array.isArray(v)) return v.map(evaluate);
			if (
				v &&
				typeof v === 'object' &&
				!('__rl' in v && typeof (v as unknown as { value: unknown }).value !== 'function')
			) {
				return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evaluate(x)]));
			}
			return v;
		};
		const top = name.split('.')[0];
		const raw = top in options.parameters ? evaluate(options.parameters[top]) : undefined;
		let value = name === top ? raw : getPath(raw, name.slice(top.length + 1));
		if (value === undefined && name === top) {
			value = defaultFor(properties, name, (n) => resolve(n, itemIndex));
		}
		return value;
	};

	const getNodeParameter = (
		name: string,
		itemIndex = 0,
		fallback?: unknown,
		opts?: { extractValue?: boolean },
	): unknown => {
		let value = resolve(name, itemIndex);
		if (value === undefined) {
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			value = fallback;
		}
		if (opts?.extractValue) {
			value = extractLocatorValue(
				value,
				properties.find((p) => p.name === name),
			);
		}
		return value;
	};

	const helpers = {
		httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) =>
			await httpRequestWithAuthentication(node, options.credential, request, counter),
		returnJsonArray: (data: IDataObject | IDataObject[]) =>
			(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
		constructExecutionMetaData: (
			data: INodeExecutionData[],
			meta: { itemData: { item: number } | Array<{ item: number }> },
		) => data.map(({ json, ...rest }) => ({ json, pairedItem: meta.itemData, ...rest })),
		// n8n's binary helpers, over the items' binary data held in memory as base64.
		assertBinaryData: (itemIndex: number, propertyName: string) => {
			const data = items[itemIndex]?.binary?.[propertyName];
			if (!data)
				throw new Error(
					`This operation expects the node's input data to contain a binary file '${propertyName}', but none was found [item ${itemIndex}]`,
				);
			return data;
		},
		getBinaryDataBuffer: async (itemIndex: number, propertyName: string) => {
			const data = items[itemIndex]?.binary?.[propertyName];
			if (!data) throw new Error(`No binary data '${propertyName}' on item ${itemIndex}`);
			return Buffer.from(data.data, 'base64');
		},
		prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) =>
			({
				data: buffer.toString('base64'),
				fileName,
				mimeType: mimeType ?? 'application/octet-stream',
				fileSize: String(buffer.length),
			}) as IBinaryData,
	};

	const ctx = {
		getInputData: () => items,
		getNodeParameter,
		getCurrentNodeParameter: (name: string) => resolve(name, 0),
		getNode: () => node,
		getCredentials: async () => options.credential.data,
		continueOnFail: () => options.continueOnFail ?? false,
		getMode: () => options.mode ?? 'trigger',
		getWorkflowStaticData: () => staticData,
		getExecutionId: () => 'exec-1',
		isToolExecution: () => false,
		getTimezone: () => options.timezone ?? 'UTC',
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		helpers,
	};
	// Poll and load-options contexts have no items: n8n's signature there is (name, fallback, options).
	const itemless = {
		...ctx,
		getNodeParameter: (name: string, fallback?: unknown, opts?: { extractValue?: boolean }) =>
			getNodeParameter(name, 0, fallback, opts),
	};
	return {
		execute: ctx as unknown as IExecuteFunctions,
		loadOptions: itemless as unknown as ILoadOptionsFunctions,
		poll: itemless as unknown as IPollFunctions,
		staticData,
	};
}

export interface RunResult {
	items: INodeExecutionData[];
	calls: number;
}

/** Runs the node's execute() over `items` the way n8n would, returning its first output. */
export async function runNode(options: ContextOptions): Promise<RunResult> {
	const counter = { calls: 0 };
	const { execute } = buildContext(options, counter);
	const output = (await options.nodeType.execute!.call(execute)) as INodeExecutionData[][] | null;
	return { items: (output ?? [[]])[0] ?? [], calls: counter.calls };
}

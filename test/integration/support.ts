import { afterAll, afterEach, beforeAll, beforeEach, jest } from '@jest/globals';
import type { INodeExecutionData, INodeType } from 'n8n-workflow';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { resetPacing } from '../../nodes/VismaEAccounting/transport';
import type { ParamValue, RunResult } from '../../dev/harness/context';
import { runNode } from '../../dev/harness/context';
import type { StoredCredential } from '../../dev/harness/credentials';
import type { Sim, SimOptions } from '../support/simulator';
import { credentialFor, SEED_IDS, startTestSimulator } from '../support/simulator';

export { SEED_IDS };

export type Simulator = Sim;

export interface TestBed {
	sim: Simulator;
	credential: StoredCredential;
	/** Runs the Visma eAccounting node with these parameters over these items. */
	run(
		parameters: Record<string, ParamValue>,
		items?: Array<INodeExecutionData['json'] | INodeExecutionData>,
		options?: {
			continueOnFail?: boolean;
			nodeType?: INodeType;
			timezone?: string;
			nodeName?: string;
			signal?: AbortSignal;
			asTool?: boolean;
		},
	): Promise<RunResult>;
	close(): Promise<void>;
}

/**
 * A simulator plus a credential connected to it, the way a user's n8n would hold it; `scopes`
 * are the ones the credential was granted (default: ea:api offline_access ea:sales).
 */
export async function testBed(
	options: SimOptions = {},
	grant: { scopes?: string[] } = {},
): Promise<TestBed> {
	resetPacing();
	const sim = await startTestSimulator(options);
	const credential = credentialFor(sim, grant);
	const nodeType = new VismaEAccounting();
	return {
		sim,
		credential,
		run: async (parameters, items = [{}], opts = {}) =>
			await runNode({
				nodeType: opts.nodeType ?? nodeType,
				parameters,
				credential,
				// An item is its JSON, or a whole item ({ json, binary }) when it carries files.
				items: items.map((item) =>
					isItem(item) ? item : { json: item as INodeExecutionData['json'] },
				),
				continueOnFail: opts.continueOnFail,
				asTool: opts.asTool,
				timezone: opts.timezone,
				nodeName: opts.nodeName,
				signal: opts.signal,
			}),
		close: async () => await sim.close(),
	};
}

/**
 * The test bed of a describe block's tests: one for all of them (or, with `eachTest`, a fresh one
 * for each), started before them, then `ready` runs (pacing, data); closed after them with pacing
 * reset. Its tests use what it returns as the bed.
 */
export function useTestBed(
	options: SimOptions = {},
	setup: { scopes?: string[]; ready?: (bed: TestBed) => void; eachTest?: boolean } = {},
): TestBed {
	let bed: TestBed | undefined;
	const [before, after] = setup.eachTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
	before(async () => {
		bed = await testBed(options, { scopes: setup.scopes });
		setup.ready?.(bed);
	});
	after(async () => {
		resetPacing();
		await bed?.close();
	});
	const current = () => {
		if (!bed) throw new Error('The test bed starts before the tests of its describe block');
		return bed;
	};
	return {
		get sim() {
			return current().sim;
		},
		get credential() {
			return current().credential;
		},
		run: async (...args) => await current().run(...args),
		close: async () => await current().close(),
	};
}

/** For tests that each start a test bed of their own: it is closed after each, pacing reset. */
export function closeAfterEach(bed: () => TestBed | undefined): void {
	afterEach(async () => {
		resetPacing();
		await bed()?.close();
	});
}

/** Another n8n process: the node with module state (locks, gates, look-ups) of its own. */
export async function otherProcess(): Promise<INodeType> {
	let node: INodeType | undefined;
	await jest.isolateModulesAsync(async () => {
		const mod = await import('../../nodes/VismaEAccounting/VismaEAccounting.node');
		node = new mod.VismaEAccounting();
	});
	return node!;
}

const isItem = (v: unknown): v is INodeExecutionData =>
	typeof v === 'object' &&
	v !== null &&
	'json' in v &&
	'binary' in v &&
	Object.keys(v).every((k) => ['json', 'binary'].includes(k));

/** An input item with files as n8n holds them (base64 binary data). */
export function withFiles(
	json: INodeExecutionData['json'],
	files: Record<string, { data: Buffer | string; fileName?: string; mimeType?: string }>,
): INodeExecutionData {
	return {
		json,
		binary: Object.fromEntries(
			Object.entries(files).map(([key, f]) => {
				const bytes = typeof f.data === 'string' ? Buffer.from(f.data) : f.data;
				return [
					key,
					{
						data: bytes.toString('base64'),
						fileName: f.fileName,
						mimeType: f.mimeType ?? 'application/octet-stream',
						fileSize: String(bytes.length),
					},
				];
			}),
		),
	};
}

/** A parameter read from the current item, like `{{ $json.field }}` in n8n. */
export const fromItem =
	(path: string) =>
	(item: INodeExecutionData): unknown =>
		path
			.split('.')
			.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], item.json);

export const byId = (value: string) => ({ __rl: true, mode: 'id', value });
export const byNumber = (value: string) => ({ __rl: true, mode: 'number', value });

/** Export Invoice as Draft reading an approved invoice ({invoiceNumber, customer, rows}) from each item. */
/** The default article the tests use: DEFAULT, "Other", in pieces, services at 25 %. */
const defaultArticleParameters = {
	defaultArticleNumber: 'DEFAULT',
	defaultArticleName: 'Other',
	defaultArticleUnitId: SEED_IDS.units.styck,
	defaultArticleCodingId: SEED_IDS.codings.tjanster25,
};

export const ensureDefaultArticleParameters = {
	resource: 'article',
	operation: 'ensureDefault',
	...defaultArticleParameters,
};

export const exportInvoiceParameters = {
	resource: 'customerInvoiceDraft',
	operation: 'exportInvoice',
	customerNumber: fromItem('customer.number'),
	customerName: fromItem('customer.name'),
	postalCode: fromItem('customer.postalCode'),
	city: fromItem('customer.city'),
	rowsSource: 'mapFromInput',
	rowsData: fromItem('rows'),
	...defaultArticleParameters,
	exportOptions: { sourceReference: fromItem('invoiceNumber') },
};

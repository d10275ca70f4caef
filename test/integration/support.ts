import type { INodeExecutionData, INodeType } from 'n8n-workflow';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { resetPacing } from '../../nodes/VismaEAccounting/transport';
import type { ParamValue, RunResult } from '../../dev/harness/context';
import { runNode } from '../../dev/harness/context';
import type { OAuthTokenData } from '../../dev/harness/credentials';
import { StoredCredential } from '../../dev/harness/credentials';
import { SEED_IDS, startSimulator } from '../../dev/simulator';

export { SEED_IDS };

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;
type SimulatorOptions = Parameters<typeof startSimulator>[0];

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
	options: SimulatorOptions = {},
	grant: { scopes?: string[] } = {},
): Promise<TestBed> {
	resetPacing();
	const sim = await startSimulator({ seed: 'default', ...options });
	const credential = new StoredCredential({
		environment: 'custom',
		identityUrl: sim.url,
		apiUrl: sim.url,
		clientId: 'sim-client',
		clientSecret: 'sim-secret',
		oauthTokenData: {
			...sim.issueTokens({ scopes: grant.scopes }),
			token_type: 'Bearer',
		} as OAuthTokenData,
	});
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
			}),
		close: async () => await sim.close(),
	};
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
export const exportInvoiceParameters = {
	resource: 'customerInvoiceDraft',
	operation: 'exportInvoice',
	customerNumber: fromItem('customer.number'),
	customerName: fromItem('customer.name'),
	postalCode: fromItem('customer.postalCode'),
	city: fromItem('customer.city'),
	rowsSource: 'mapFromInput',
	rowsData: fromItem('rows'),
	defaultArticleNumber: 'DEFAULT',
	defaultArticleName: 'Other',
	defaultArticleUnitId: SEED_IDS.units.styck,
	defaultArticleCodingId: SEED_IDS.codings.tjanster25,
	exportOptions: { sourceReference: fromItem('invoiceNumber') },
};

// @ts-check
'use strict';

/**
 * Workflows and simulator queries the e2e suites share.
 */

const fs = require('fs');
const path = require('path');
const { SEED_IDS } = require('../../../dev/simulator');
const {
	readExample,
	adaptExample,
	EXAMPLE_CREDENTIAL,
	EXAMPLES_DIR,
	NODE_TYPE,
} = require('../../../dev/stack/examples');
const { e2eContext } = require('./context');

/**
 * What the node chooses for the default article ("DEFAULT", "Other") when it creates it with
 * the unit and account coding left empty, as the examples ship, in the simulator's company: the
 * pieces unit and the goods coding at the standard VAT rate. The seeded companies have no
 * default article, so the first export of each suite creates it; the output of the item that
 * created it says `chosenAutomatically`.
 */
const CHOSEN_DEFAULTS = Object.freeze({
	unit: Object.freeze({ Id: SEED_IDS.units.styck, Name: 'Styck', rule: 'piecesUnit' }),
	accountCoding: Object.freeze({
		Id: SEED_IDS.codings.varor25,
		Name: 'Varor 25 %',
		rule: 'goodsAtStandardRate',
	}),
});

/**
 * An example workflow as it ships (empty default-article unit and coding included), writing
 * files into `filesDir`.
 * @param {string} file
 * @param {string} [filesDir]
 */
function example(file, filesDir) {
	return adaptExample(readExample(file), { filesDir });
}

/**
 * The JSON items a node output in an execution fetched with its data (first run, main output 0).
 * @param {any} execution
 * @param {string} nodeName
 * @returns {any[]}
 */
function nodeOutput(execution, nodeName) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) throw new Error(`execution ${execution?.id} has no run of node ${nodeName}`);
	return (runs[0].data?.main?.[0] ?? []).map((/** @type {{ json: any }} */ i) => i.json);
}

/** Path of a file in examples/. */
function examplePath(/** @type {string} */ rel) {
	return path.join(EXAMPLES_DIR, rel);
}

/**
 * The spreadsheets in `dir` whose names match `pattern`, read with n8n's own xlsx library:
 * `{ file, sheets: { [name]: rows[] } }`.
 * @param {string} dir
 * @param {RegExp} pattern
 */
function readSpreadsheets(dir, pattern) {
	// n8n 2.x ships SheetJS as @e965/xlsx; n8n 1.x as xlsx (0.18.5 through the runtime's override).
	const modules = path.join(e2eContext().rt.dir, 'node_modules');
	const XLSX = require(
		fs.existsSync(path.join(modules, '@e965', 'xlsx'))
			? path.join(modules, '@e965', 'xlsx')
			: path.join(modules, 'xlsx'),
	);
	return fs
		.readdirSync(dir)
		.filter((f) => pattern.test(f))
		.map((f) => {
			const wb = XLSX.read(fs.readFileSync(path.join(dir, f)), { type: 'buffer' });
			/** @type {Record<string, any[]>} */
			const sheets = {};
			for (const name of wb.SheetNames) sheets[name] = XLSX.utils.sheet_to_json(wb.Sheets[name]);
			return { file: f, sheets };
		});
}

/**
 * Test-only workflow: one webhook call carrying many invoices → Split Out → Export Invoice as
 * Draft, so one execution runs the node with many items. Responds with all items.
 * @param {string} id
 * @param {string} webhookPath
 */
function batchExportWorkflow(id, webhookPath) {
	const oneStep = example('approval-webhook-export-invoice.json');
	const exportNode = JSON.parse(
		JSON.stringify(oneStep.nodes.find((n) => n.name === 'Export Invoice as Draft')),
	);
	const params = JSON.parse(
		JSON.stringify(exportNode.parameters).replace(/\$json\.body\./g, '$json.'),
	);
	return {
		id,
		name: 'e2e: many invoices in one execution',
		nodes: [
			{
				id: 'b1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5a0e1f6c-0000-4000-8000-00000000b001',
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'b2',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.invoices', options: {} },
			},
			{
				id: 'b3',
				name: 'Export Invoice as Draft',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: params,
				credentials: { vismaEAccountingOAuth2Api: { ...EXAMPLE_CREDENTIAL } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Export Invoice as Draft', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Test-only workflows for the steps after the draft, one webhook each, answering with the
 * node's output: Record Payment (`e2e/pay`: invoiceId, reference, bankAccountId, amount),
 * Send by email (`e2e/send`: invoiceId, to) and Add Attachment to an invoice (`e2e/attach`:
 * invoiceId, fileName and the file as base64 `file`, made binary by n8n's Convert to File).
 */
function afterDraftWorkflows() {
	const credentials = { vismaEAccountingOAuth2Api: { ...EXAMPLE_CREDENTIAL } };
	/**
	 * @param {string} id
	 * @param {string} webhookPath
	 * @param {string} webhookNo 12 hex digits, the end of the webhook's id
	 * @param {any[]} steps nodes after the webhook, in order
	 */
	const flow = (id, webhookPath, webhookNo, steps) => {
		const nodes = [
			{
				id: `${id}-0`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `5a0e1f6c-0000-4000-8000-${webhookNo}`,
				parameters: {
					httpMethod: 'POST',
					path: webhookPath,
					responseMode: 'lastNode',
					responseData: 'firstEntryJson',
					options: {},
				},
			},
			...steps.map((step, i) => ({
				id: `${id}-${i + 1}`,
				typeVersion: 1,
				position: [220 * (i + 1), 0],
				...step,
			})),
		];
		/** @type {Record<string, any>} */
		const connections = {};
		nodes.slice(0, -1).forEach((n, i) => {
			connections[n.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
		});
		return {
			id,
			name: `e2e: ${webhookPath}`,
			nodes,
			connections,
			settings: { executionOrder: 'v1' },
		};
	};
	const invoice = { __rl: true, mode: 'id', value: '={{ $json.body.invoiceId }}' };
	return {
		pay: flow('e2ePayAfterDraft', 'e2e/pay', '00000000c001', [
			{
				name: 'Record Payment',
				type: NODE_TYPE,
				credentials,
				parameters: {
					resource: 'customerInvoice',
					operation: 'recordPayment',
					invoice,
					paymentReference: '={{ $json.body.reference }}',
					bankAccountId: '={{ $json.body.bankAccountId }}',
					amount: "={{ $json.body.amount ?? '' }}",
				},
			},
		]),
		send: flow('e2eSendAfterDraft', 'e2e/send', '00000000c002', [
			{
				name: 'Send',
				type: NODE_TYPE,
				credentials,
				parameters: {
					resource: 'customerInvoice',
					operation: 'send',
					invoice,
					sendBy: 'email',
					emailFields: { to: "={{ $json.body.to ?? '' }}" },
				},
			},
		]),
		attach: flow('e2eAttachAfterDraft', 'e2e/attach', '00000000c003', [
			{
				name: 'Convert to File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				parameters: {
					operation: 'toBinary',
					sourceProperty: 'body.file',
					options: { fileName: '={{ $json.body.fileName }}', mimeType: 'application/pdf' },
				},
			},
			{
				name: 'Add Attachment',
				type: NODE_TYPE,
				credentials,
				parameters: {
					resource: 'customerInvoice',
					operation: 'addAttachment',
					invoice: {
						__rl: true,
						mode: 'id',
						value: "={{ $('Webhook').item.json.body.invoiceId }}",
					},
					binaryPropertyName: 'data',
				},
			},
		]),
	};
}

/**
 * Simulator records, filtered.
 * @param {any} sim
 */
function simQueries(sim) {
	return {
		customersNumbered: (/** @type {string} */ n) =>
			sim.list('customers').filter((/** @type {any} */ c) => c.CustomerNumber === n),
		articlesNumbered: (/** @type {string} */ n) =>
			sim.list('articles').filter((/** @type {any} */ a) => a.Number === n),
		draftsWithReference: (/** @type {string} */ ref, field = 'ContractNumber') =>
			sim.list('customerinvoicedrafts').filter((/** @type {any} */ d) => d[field] === ref),
		/** Log entries after `seq` (sim.log entries carry an increasing seq). */
		logSince: (/** @type {number} */ seq) => sim.log.filter((/** @type {any} */ e) => e.seq > seq),
		lastSeq: () => (sim.log.length ? sim.log[sim.log.length - 1].seq : 0),
	};
}

module.exports = {
	CHOSEN_DEFAULTS,
	example,
	nodeOutput,
	examplePath,
	readSpreadsheets,
	batchExportWorkflow,
	afterDraftWorkflows,
	simQueries,
};

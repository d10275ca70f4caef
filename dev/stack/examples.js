// @ts-check
'use strict';

/**
 * The importable example workflows in examples/, and how the demo and the e2e suite adapt
 * them to a local simulator: the credential placeholder is kept (we import a credential with
 * that id and name). The default article's unit and account coding stay empty, as the examples
 * ship: the node chooses them when it creates the article (the pieces unit and the goods coding
 * at the standard VAT rate, output `chosenAutomatically`), so the demo and the e2e suite run that
 * choice in real n8n.
 */

const fs = require('fs');
const path = require('path');
const { REPO } = require('./runtime');

const EXAMPLES_DIR = path.join(REPO, 'examples');
/** The credential every example refers to; import a credential with this id and name. */
const EXAMPLE_CREDENTIAL = Object.freeze({
	id: 'vismaEAccountingCred',
	name: 'Visma eAccounting account',
});
const NODE_TYPE = 'n8n-nodes-visma-eaccounting.vismaEAccounting';

/** @typedef {{ id: string, name: string, nodes: any[], connections: Record<string, any>, settings?: any, active?: boolean, [k: string]: any }} Workflow */

/** File names of all examples. */
function exampleFiles() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
}

/**
 * @param {string} file name inside examples/
 * @returns {Workflow}
 */
function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

/** The folder the examples write files to: n8n's allowed folder in its Docker image. */
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files';
/** Where the Invoice Paid example tells the source app; the demo and e2e use a local receiver. */
const EXAMPLE_SOURCE_APP_URL = 'https://source-app.example.com';

/**
 * A copy of `wf` ready for the simulator: optionally another credential, files written to
 * `filesDir` instead of EXAMPLE_FILES_DIR (which must then be n8n's N8N_RESTRICT_FILE_ACCESS_TO),
 * and the source app's webhook at `sourceAppUrl` instead of EXAMPLE_SOURCE_APP_URL. Everything
 * else, the empty default-article unit and coding included, is left as it ships.
 * @param {Workflow} wf
 * @param {{ credential?: { id: string, name: string }, filesDir?: string, sourceAppUrl?: string }} [o]
 * @returns {Workflow}
 */
function adaptExample(wf, o = {}) {
	const copy = JSON.parse(JSON.stringify(wf));
	for (const node of copy.nodes) {
		if (o.sourceAppUrl && node.type === 'n8n-nodes-base.httpRequest') {
			node.parameters.url = String(node.parameters.url).replace(
				EXAMPLE_SOURCE_APP_URL,
				o.sourceAppUrl,
			);
		}
		if (o.filesDir && node.type === 'n8n-nodes-base.readWriteFile') {
			node.parameters = JSON.parse(
				JSON.stringify(node.parameters).split(EXAMPLE_FILES_DIR).join(o.filesDir),
			);
		}
		if (!String(node.type).startsWith('n8n-nodes-visma-eaccounting.')) continue;
		if (o.credential) node.credentials = { vismaEAccountingOAuth2Api: { ...o.credential } };
	}
	return copy;
}

/**
 * Whether a workflow can be activated: it has a trigger other than the Manual Trigger.
 * @param {Workflow} wf
 */
function isActivatable(wf) {
	return wf.nodes.some(
		(n) => /trigger$|\.webhook$/i.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger',
	);
}

/**
 * @param {Workflow} wf
 * @param {string} name
 */
function nodeByName(wf, name) {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`workflow ${wf.id} has no node named ${name}`);
	return node;
}

/**
 * Webhook/form paths of a workflow's trigger nodes.
 * @param {Workflow} wf
 */
function triggerPaths(wf) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-base.webhook') out[node.name] = `webhook/${node.parameters.path}`;
		if (node.type === 'n8n-nodes-base.formTrigger')
			out[node.name] =
				`form/${node.parameters.path || node.parameters.options?.path || node.webhookId}`;
	}
	return out;
}

/** A sample approval for the webhook examples. */
function sampleApproval(
	/** @type {string} */ invoiceNumber,
	/** @type {Partial<Record<string, any>>} */ over = {},
) {
	return {
		invoiceNumber,
		customer: {
			number: '2001',
			name: 'Fjällbacka Fastigheter AB',
			address1: 'Hamngatan 4',
			postalCode: '457 40',
			city: 'Fjällbacka',
			email: 'faktura@fjallbackafastigheter.se',
		},
		invoiceDate: '',
		yourReference: 'Anna Holm',
		rows: [
			{ articleNumber: 'A100', text: 'Snickeri, vecka 47', quantity: 16, unitPrice: 650 },
			{ articleNumber: 'RESA', text: 'Resekostnad Umeå–Fjällbacka', quantity: 1, unitPrice: 420 },
			{ isTextRow: true, text: 'Enligt offert 2031.' },
		],
		...over,
	};
}

/**
 * Tradespeople's approvals for the one-step webhook example, as the README shows them: ROT with
 * two persons and work and material rows, RUT split by shares, reverse charge between two firms,
 * and rows on projects (the simulator's P100 and P101).
 * @param {string} prefix invoice numbers are `${prefix}-ROT`, `${prefix}-RUT`, ...
 */
function tradesApprovals(prefix = 'FS-2026') {
	return {
		rot: {
			invoiceNumber: `${prefix}-ROT`,
			customer: {
				number: '20031',
				name: 'Maria Sund',
				address1: 'Björkvägen 3',
				postalCode: '903 45',
				city: 'Umeå',
				privatePerson: true,
			},
			taxReduction: {
				type: 'ROT',
				propertyType: 'property',
				propertyName: 'Umeå Björken 1:23',
				persons: [
					{ ssn: '19800101-0019', amount: 1500 },
					{ ssn: '820202-0007', amount: 900 },
				],
			},
			rows: [
				{
					articleNumber: 'A100',
					text: 'Snickeri badrum',
					quantity: 8,
					unitPrice: 650,
					workType: 'RotConstructionWork',
					workHours: 8,
				},
				{
					articleNumber: 'A101',
					text: 'Elarbete',
					quantity: 2,
					unitPrice: 695,
					workType: 'RotElectricalWork',
					workHours: 2,
				},
				{ articleNumber: 'A110', text: 'Gipsskivor', quantity: 10, unitPrice: 89 },
			],
		},
		rut: {
			invoiceNumber: `${prefix}-RUT`,
			customer: {
				number: '20032',
				name: 'Karl Berg',
				postalCode: '903 46',
				city: 'Umeå',
				privatePerson: true,
			},
			taxReduction: {
				type: 'RUT',
				amount: 1200,
				persons: [
					{ ssn: '19800101-0019', share: 50 },
					{ ssn: '19820202-0007', share: 50 },
				],
			},
			rows: [
				{
					articleNumber: 'A129',
					text: 'Fönsterputs',
					quantity: 6,
					workType: 'RutCleanJobWork',
					workHours: 6,
				},
			],
		},
		reverseCharge: {
			invoiceNumber: `${prefix}-OMV`,
			customer: {
				number: '20033',
				name: 'Umeå Markbygg AB',
				postalCode: '903 31',
				city: 'Umeå',
				vatNumber: 'SE556123456701',
				organisationNumber: '556123-4567',
			},
			reverseCharge: true,
			rows: [
				{ articleNumber: 'A100', text: 'Stomresning', quantity: 10, unitPrice: 650 },
				{ articleNumber: 'A110', text: 'Gipsskivor', quantity: 10, unitPrice: 89 },
			],
		},
		projects: {
			invoiceNumber: `${prefix}-PRJ`,
			customer: { number: '1001', name: 'Bergström Bygg AB', postalCode: '903 26', city: 'Umeå' },
			projectNumber: 'P100',
			rows: [
				{ articleNumber: 'A100', text: 'Badrum, vecka 48', quantity: 4, unitPrice: 650 },
				{
					articleNumber: 'A103',
					text: 'VVS, takbyte',
					quantity: 2,
					unitPrice: 720,
					projectNumber: 'P101',
				},
			],
		},
	};
}

module.exports = {
	EXAMPLES_DIR,
	EXAMPLE_CREDENTIAL,
	EXAMPLE_FILES_DIR,
	EXAMPLE_SOURCE_APP_URL,
	NODE_TYPE,
	exampleFiles,
	readExample,
	adaptExample,
	isActivatable,
	nodeByName,
	triggerPaths,
	sampleApproval,
	tradesApprovals,
};

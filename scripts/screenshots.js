#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run screenshots: PNGs of the editor for the README, taken with Debian's Chromium driven by
 * playwright-core, saved to docs/images/.
 *
 * Uses a running `npm run demo` at --url (default http://127.0.0.1:5678) when there is one;
 * otherwise starts the demo itself and stops it afterwards.
 *
 *   npm run screenshots [-- --url http://127.0.0.1:5678] [--no-build] [--chromium /usr/bin/chromium]
 */

const fs = require('fs');
const os = require('os');
const path = require('path');
const { REPO, ensureRuntime, which } = require('../dev/stack/runtime');
const { OWNER } = require('../dev/stack/n8n');
const { sampleApproval } = require('../dev/stack/examples');

const OUT_DIR = path.join(REPO, 'docs', 'images');
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--hide-scrollbars',
	'--font-render-hinting=none',
];
const VIEWPORT = { width: 1440, height: 900 };

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = {
		url: 'http://127.0.0.1:5678',
		build: true,
		chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		urlGiven: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--url') {
			o.url = argv[++i].replace(/\/+$/, '');
			o.urlGiven = true;
		} else if (a === '--no-build') o.build = false;
		else if (a === '--chromium') o.chromium = argv[++i];
		else throw new Error(`unknown option ${a} (use --url URL, --no-build, --chromium PATH)`);
	}
	return o;
}

/** A new invoice number per run, so every test run in the editor creates a draft (outcome "created"). */
const runStamp = String((Math.floor(Date.now() / 1000) % 9000) + 1000);
const invoiceNumber = (/** @type {number} */ n) => `APP-2026-${runStamp}${n}`;

/** @param {string} m */
const log = (m) => process.stdout.write(`[screenshots] ${m}\n`);

/** @param {string} url */
async function isDemoRunning(url) {
	try {
		const res = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			signal: AbortSignal.timeout(3000),
		});
		return res.ok;
	} catch {
		return false;
	}
}

/**
 * @param {import('playwright-core').Page} page
 */
async function dismissPopups(page) {
	// Close whatever modal or toast n8n shows on first visit.
	for (const sel of [
		'.el-dialog__headerbtn',
		'[data-test-id="close-button"]',
		'.el-notification__closeBtn',
	]) {
		for (const el of await page.$$(sel)) await el.click({ timeout: 1000 }).catch(() => {});
	}
	await page.keyboard.press('Escape').catch(() => {});
}

/**
 * The canvas of a workflow, fitted to the view.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {string} workflowId
 */
async function openWorkflow(page, baseUrl, workflowId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('.vue-flow__node', { timeout: 60000 });
	await page.waitForTimeout(800);
	await dismissPopups(page);
	// "1" is n8n's shortcut for zoom to fit.
	await page
		.locator('.vue-flow__pane')
		.click({ position: { x: 5, y: VIEWPORT.height / 2 } })
		.catch(() => {});
	await page.keyboard.press('1');
	await page.waitForTimeout(600);
}

/**
 * Runs the workflow from the editor ("Execute workflow"), feeding its Webhook trigger a sample
 * approval through the test URL, and waits until every node shows its success mark.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 * @param {string} webhookPath
 * @param {unknown} body
 * @param {number} nodeCount
 */
async function executeFromEditor(page, baseUrl, webhookPath, body, nodeCount) {
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	await page
		.waitForSelector(
			'[data-test-id="stop-execution-waiting-for-webhook-button"], [data-test-id="stop-execution-button"]',
			{ timeout: 30000 },
		)
		.catch(() => {});
	// The test webhook is registered once the editor waits for the trigger event.
	const until = Date.now() + 30000;
	for (;;) {
		const res = await fetch(`${baseUrl}/webhook-test/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (res.status !== 404) break;
		if (Date.now() > until) throw new Error(`the test webhook ${webhookPath} was not registered`);
		await page.waitForTimeout(500);
	}
	await page.waitForFunction(
		(n) => document.querySelectorAll('[data-test-id="canvas-node-status-success"]').length >= n,
		nodeCount,
		{ timeout: 60000 },
	);
	await page.waitForTimeout(800);
	await dismissPopups(page);
}

/**
 * Opens a node's details view by double-clicking it.
 * @param {import('playwright-core').Page} page
 * @param {string} nodeName
 */
async function openNode(page, nodeName) {
	await page
		.locator(
			`[data-test-id="canvas-node"][data-node-name="${nodeName}"], [data-node-name="${nodeName}"]`,
		)
		.first()
		.dblclick();
	await page.waitForSelector('[data-test-id="ndv"] [data-test-id="node-parameters"]', {
		timeout: 30000,
	});
	await page.waitForTimeout(1000);
	// Input: fold the webhook's request metadata so the approval body is visible.
	const input = page.locator('[data-test-id="ndv-input-panel"]');
	for (const key of ['headers', 'params', 'query']) {
		await input
			.locator('[data-test-id="run-data-schema-item"]', { hasText: new RegExp(`^\\s*${key}\\s*$`) })
			.first()
			.locator('.toggle, [class*="toggle"], svg')
			.first()
			.click({ timeout: 1500 })
			.catch(() => {});
	}
	// Output: the JSON view, scrolled to what the node adds (outcome, articleMatches, customer...).
	const output = page
		.locator('[data-test-id="output-panel"], [data-test-id="ndv-output-panel"]')
		.first();
	await output
		.locator('[data-test-id="radio-button-json"]')
		.first()
		.click({ timeout: 3000 })
		.catch(() => {});
	await page.waitForTimeout(800);
	await output
		.locator('[data-test-id="ndv-data-container"]')
		.first()
		.evaluate((el) => {
			const scroller = [el, ...el.querySelectorAll('*')].find(
				(e) => e.scrollHeight > e.clientHeight + 20 && getComputedStyle(e).overflowY !== 'visible',
			);
			if (scroller) scroller.scrollTop = scroller.scrollHeight;
		})
		.catch(() => {});
	await page.waitForTimeout(800);
}

/**
 * Closes the node details view.
 * @param {import('playwright-core').Page} page
 */
async function closeNode(page) {
	await page
		.locator('[data-test-id="ndv-close-button"]')
		.first()
		.click()
		.catch(() => page.keyboard.press('Escape'));
	await page.waitForTimeout(500);
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {boolean} [fullPage]
 */
async function shot(page, name, fullPage = false) {
	// Toasts ("Workflow executed successfully") would cover the canvas; a hovered node shows buttons.
	for (const el of await page.$$('.el-notification__closeBtn'))
		await el.click({ timeout: 1000 }).catch(() => {});
	if (!(await page.$('[data-test-id="ndv"]')))
		await page.mouse.move(VIEWPORT.width - 80, VIEWPORT.height - 140);
	await page.waitForTimeout(400);
	const file = path.join(OUT_DIR, name);
	await page.screenshot({ path: file, fullPage });
	log(`saved ${path.relative(REPO, file)} (${(fs.statSync(file).size / 1024).toFixed(0)} KB)`);
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(o.chromium)) {
		if (!which('chromium')) {
			log(
				'Chromium is missing; installing it if allowed (dev/stack/setup-runtime.sh --with-chromium)',
			);
			await ensureRuntime({ log, withChromium: true });
		}
		o.chromium = which('chromium') ?? o.chromium;
	}
	if (!fs.existsSync(o.chromium))
		throw new Error(
			`Chromium not found at ${o.chromium}: apt-get install -y chromium, or pass --chromium PATH`,
		);

	/** @type {{ stop: () => Promise<void>, url: string } | null} */
	let demo = null;
	let baseUrl = o.url;
	if (await isDemoRunning(o.url)) log(`using the demo running at ${o.url}`);
	else {
		if (o.urlGiven)
			throw new Error(`no demo answers at ${o.url} (the login ${OWNER.email} failed)`);
		log('no demo is running; starting one (npm run demo)');
		const { startDemo } = require('./demo');
		demo = await startDemo({ build: o.build, log: (m) => process.stdout.write(`${m}\n`) });
		baseUrl = demo.url;
	}

	const { chromium } = require('playwright-core');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'visma-screenshots-'));
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: o.chromium,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
		colorScheme: 'light',
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		log('logging in');
		const login = await context.request.post(`${baseUrl}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: ${login.status()}`);

		log('four-node workflow: canvas, test run, node parameters');
		await openWorkflow(page, baseUrl, 'vismaApprovalToDraft');
		await shot(page, 'workflow-approval-to-draft.png');
		await executeFromEditor(page, baseUrl, 'visma/approval', sampleApproval(invoiceNumber(1)), 4);
		await shot(page, 'workflow-approval-to-draft-executed.png');
		await openNode(page, 'Create Draft Invoice');
		await shot(page, 'node-create-draft-invoice.png');
		await closeNode(page);

		log('one-step workflow: canvas, test run, node parameters');
		await openWorkflow(page, baseUrl, 'vismaApprovalExport');
		await executeFromEditor(
			page,
			baseUrl,
			'visma/export',
			sampleApproval(invoiceNumber(2), {
				customer: {
					number: '2002',
					name: 'Tornedalens Bygg AB',
					address1: 'Storgatan 9',
					postalCode: '953 31',
					city: 'Haparanda',
				},
			}),
			3,
		);
		await shot(page, 'workflow-export-invoice.png');
		await openNode(page, 'Export Invoice as Draft');
		await shot(page, 'node-export-invoice.png');
		await closeNode(page);

		log('CSV import and daily export canvases');
		await openWorkflow(page, baseUrl, 'vismaCsvImport');
		await shot(page, 'workflow-csv-import.png');
		await openWorkflow(page, baseUrl, 'vismaDailyInvoiceXlsx');
		await shot(page, 'workflow-daily-export.png');

		log('approval form');
		await page.goto(`${baseUrl}/form/visma-approval-form`, { waitUntil: 'domcontentloaded' });
		await page.waitForSelector('form, input', { timeout: 30000 });
		const values = [
			invoiceNumber(3),
			'2005',
			'Skellefteå Takplåt AB',
			'Nygatan 21',
			'931 30',
			'Skellefteå',
			'ekonomi@takplat.se',
			'A104',
			'Plåtarbete tak, etapp 1',
			'12',
			'540',
		];
		const inputs = page.locator('form input:not([type="hidden"]), form textarea');
		for (let i = 0; i < values.length && i < (await inputs.count()); i++)
			await inputs
				.nth(i)
				.fill(values[i])
				.catch(() => {});
		await page
			.locator('h1, .header, body')
			.first()
			.click({ position: { x: 2, y: 2 } })
			.catch(() => {});
		await page.waitForTimeout(500);
		await shot(page, 'approval-form.png', true);
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
		if (demo) await demo.stop();
	}
	log('done');
}

main().catch((e) => {
	process.stderr.write(`[screenshots] ERROR: ${e instanceof Error ? e.stack : String(e)}\n`);
	process.exit(1);
});

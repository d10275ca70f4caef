#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run demo: a local n8n with this package, the Visma eAccounting simulator (demo company),
 * the credential and every example workflow imported and active, and one approval already sent
 * so a draft invoice exists. Runs until Ctrl-C, then stops everything it started.
 *
 *   npm run demo [-- --port 5678] [--sim-port 5680] [--latency 50] [--no-build]
 */

const fs = require('fs');
const path = require('path');
const {
	REPO,
	ensureRuntime,
	buildPackage,
	packPackage,
	portIsFree,
	freePort,
} = require('../dev/stack/runtime');
const { startStack } = require('../dev/stack/stack');
const { startReceiver } = require('../dev/stack/receiver');
const {
	exampleFiles,
	readExample,
	adaptExample,
	triggerPaths,
	sampleApproval,
} = require('../dev/stack/examples');

const DEMO_DIR = path.join(REPO, '.demo');
const PID_FILE = path.join(DEMO_DIR, 'demo.json');

/** The demo another process is running from this folder, if any. */
function runningDemo() {
	try {
		const info = JSON.parse(fs.readFileSync(PID_FILE, 'utf8'));
		if (info.pid === process.pid) return null;
		process.kill(info.pid, 0);
		return /** @type {{ pid: number, url: string }} */ (info);
	} catch {
		return null;
	}
}

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ port: number, simPort: number, latency: number, build: boolean }} */
	const o = { port: 5678, simPort: 5680, latency: 50, build: true };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--no-build') o.build = false;
		else if (a === '--port') o.port = Number(argv[++i]);
		else if (a === '--sim-port') o.simPort = Number(argv[++i]);
		else if (a === '--latency') o.latency = Number(argv[++i]);
		else
			throw new Error(`unknown option ${a} (use --port N, --sim-port N, --latency MS, --no-build)`);
	}
	return o;
}

/** @param {number} preferred */
async function portOrNext(preferred) {
	return (await portIsFree(preferred)) ? preferred : await freePort();
}

/**
 * Starts the demo and returns it (used by scripts/screenshots.js too).
 * @param {{ port?: number, simPort?: number, latency?: number, build?: boolean, log?: (msg: string) => void }} [opts]
 */
async function startDemo(opts = {}) {
	const t0 = Date.now();
	const log = opts.log ?? ((/** @type {string} */ m) => process.stdout.write(`${m}\n`));
	let stepNo = 0;
	const step = (/** @type {string} */ m) => log(`[demo] ${++stepNo}/6 ${m}`);

	const running = runningDemo();
	if (running)
		throw new Error(
			`a demo is already running (pid ${running.pid}, ${running.url || 'starting'}); stop it with Ctrl-C in its terminal first`,
		);

	step(
		opts.build === false
			? 'using the existing dist/ (--no-build)'
			: 'building the package (npm run build)',
	);
	if (opts.build !== false) await buildPackage({ log });

	step('preparing the n8n runtime (dev/stack/setup-runtime.sh; the first time takes 5-10 minutes)');
	const rt = await ensureRuntime({ log });

	fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	fs.writeFileSync(PID_FILE, JSON.stringify({ pid: process.pid, url: '' }));
	const tarball = await packPackage(path.join(DEMO_DIR, 'package'));
	const { startSimulator, SEED_IDS } = require('../dev/simulator');

	const simPort = await portOrNext(opts.simPort ?? 5680);
	step(`starting the Visma eAccounting simulator (demo company, ${opts.latency ?? 50} ms latency)`);
	const sim = await startSimulator({ port: simPort, seed: 'demo', latencyMs: opts.latency ?? 50 });
	log(`[demo]     simulator on ${sim.url}`);

	// Stands in for the source app the Invoice Paid example tells; what it gets is logged.
	const sourceApp = await startReceiver({ log: (m) => log(`[demo] ${m}`) });
	log(`[demo]     source app stand-in on ${sourceApp.url}`);
	const filesDir = path.join(DEMO_DIR, 'files');
	// As the examples ship: the first approval creates the default article with the unit and
	// coding the node chooses (the demo company has no default article yet).
	const workflows = exampleFiles().map((f) =>
		adaptExample(readExample(f), { filesDir, sourceAppUrl: sourceApp.url }),
	);
	const port = await portOrNext(opts.port ?? 5678);
	if (port !== (opts.port ?? 5678))
		log(`[demo]     port ${opts.port ?? 5678} is taken; using ${port}`);
	step(
		`starting n8n ${rt.version} with the package, the credential and ${workflows.length} example workflows`,
	);
	/** @type {Awaited<ReturnType<typeof startStack>>} */
	let stack;
	try {
		stack = await startStack({
			rt,
			tarball,
			workDir: DEMO_DIR,
			sim,
			workflows,
			port,
			filesDir,
			log: (m) => log(`[demo]     ${m.replace(/^\[(stack|n8n)\] /, '')}`),
		});
	} catch (e) {
		await sim.close();
		await sourceApp.close();
		throw e;
	}

	step('sending one approval to the webhook so a draft invoice appears');
	const approval = sampleApproval('APP-2026-0042');
	fs.writeFileSync(path.join(DEMO_DIR, 'approval.json'), JSON.stringify(approval, null, 2));
	const res = await stack.webhook('visma/approval', approval);
	if (res.status !== 200)
		log(`[demo]     the approval failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	else {
		const d = res.body;
		log(
			`[demo]     draft ${d.Id} for customer ${approval.customer.number} (${approval.customer.name}): ${d.Rows.length} rows, total ${d.TotalAmount}${d.InvoiceCurrencyCode ? ` ${d.InvoiceCurrencyCode}` : ''} incl. VAT, outcome "${d.outcome}"`,
		);
		for (const m of d.articleMatches) log(`[demo]       row ${m.row}: ${m.reason}`);
	}

	// The rest of the invoice's life: booked and paid in eAccounting, so the Invoice Paid example
	// tells the source app (its next poll, within a minute).
	if (res.status === 200 && res.body?.Id) {
		const invoice = sim.api('POST', `/customerinvoicedrafts/${res.body.Id}/convert`);
		const paid =
			invoice.status < 300
				? sim.api('POST', `/customerinvoices/${invoice.body.Id}/payments`, {
						CompanyBankAccountId: SEED_IDS.bankAccounts.foretagskonto,
						PaymentAmount: invoice.body.RemainingAmountInvoiceCurrency,
						PaymentCurrency: invoice.body.CurrencyCode,
						PaymentType: 2,
						Reference: 'DEMO-PAYMENT-1',
					})
				: invoice;
		if (paid.status < 300)
			log(
				`[demo]     booked it as invoice ${invoice.body.InvoiceNumber} and paid it: within a minute Invoice Paid tells the source app ([source app] lines below)`,
			);
	}

	// Book one of the company's older drafts today, so the daily export has a new invoice to write.
	const booked = sim.api('POST', `/customerinvoicedrafts/${SEED_IDS.drafts.first}/convert`);
	if (booked.status < 300)
		log(
			`[demo]     booked an older draft as invoice ${booked.body.InvoiceNumber} today (a row for the daily export)`,
		);

	fs.writeFileSync(PID_FILE, JSON.stringify({ pid: process.pid, url: stack.url }));
	step(`ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	const paths = Object.assign({}, ...workflows.map(triggerPaths));
	const url = stack.url;
	const lines = [
		'',
		`  n8n editor      ${url}/`,
		`  login           ${stack.owner.email}  /  ${stack.owner.password}`,
		`  workflows       ${workflows.map((w) => w.name.replace(/^Visma eAccounting: /, '')).join('; ')}`,
		'',
		`  webhook         ${url}/webhook/visma/approval   (Webhook → Find or Create Customer → Ensure Default Article → Create Draft Invoice)`,
		`                  ${url}/webhook/visma/export     (Webhook → Export Invoice as Draft)`,
		...(paths['Approval Form'] ? [`  approval form   ${url}/${paths['Approval Form']}`] : []),
		...(paths['CSV Upload']
			? [`  CSV import      ${url}/${paths['CSV Upload']}   (templates in examples/csv/)`]
			: []),
		`  daily export    open "daily export of new invoices" and click Execute workflow; the .xlsx goes to ${path.relative(process.cwd(), filesDir)}/`,
		`  simulator       ${sim.url}/__sim/state/customerinvoicedrafts   (drafts in the fake eAccounting)`,
		`  source app      ${sourceApp.url}   (stand-in told by "invoice paid → tell the source app"; requests are logged here)`,
		'',
		'  Send another approval (a new invoice number makes a new draft; the same one returns the existing draft):',
		`    curl -s -X POST ${url}/webhook/visma/approval -H 'content-type: application/json' \\`,
		`      -d '{"invoiceNumber":"APP-2026-0043","customer":{"number":"2001","name":"Fjällbacka Fastigheter AB","postalCode":"457 40","city":"Fjällbacka"},"rows":[{"articleNumber":"A100","text":"Snickeri","quantity":8,"unitPrice":650},{"text":"Resa","quantity":1,"unitPrice":420}]}'`,
		`    curl -s -X POST ${url}/webhook/visma/export -H 'content-type: application/json' -d @${path.relative(process.cwd(), path.join(DEMO_DIR, 'approval.json'))}`,
		'',
		'  Logs: .demo/n8n-main.log.  Press Ctrl-C to stop n8n and the simulator.',
		'',
	];
	for (const l of lines) log(l);

	let stopping = false;
	return {
		stack,
		sim,
		url,
		async stop() {
			if (stopping) return;
			stopping = true;
			await stack.stop();
			await sim.close();
			await sourceApp.close();
			fs.rmSync(PID_FILE, { force: true });
		},
	};
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const demo = await startDemo(o);
	await new Promise((resolve) => {
		const onSignal = (/** @type {string} */ sig) => {
			process.stdout.write(
				`\n[demo] ${sig}: stopping n8n (and its task runner) and the simulator\n`,
			);
			resolve(undefined);
		};
		process.once('SIGINT', () => onSignal('Ctrl-C'));
		process.once('SIGTERM', () => onSignal('SIGTERM'));
	});
	await demo.stop();
	process.stdout.write('[demo] stopped\n');
	process.exit(0);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`[demo] ERROR: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	});
}

module.exports = { startDemo, runningDemo, DEMO_DIR };

// @ts-check
'use strict';
/**
 * Benchmark: API calls and time against the simulator with Visma-like latency and Visma's 600
 * calls per minute per endpoint. Prints figures; the last line is one JSON object.
 *
 * In process (bench/inProcess.js, the node's execute() through dev/harness):
 *   - webhook-style executions: one approval, then 30 single-item executions started at once;
 *   - 1,000 approved invoices in one execution, once against a server that refuses $filter
 *     expressions over 100 nodes (ASP.NET's default, the simulator's default) and once without;
 *   - the same invoices through a naive per-item flow.
 * Through real n8n (bench/n8n.js, the pinned runtime, the one-step webhook example): one
 * isolated approval and bursts of 30, in regular mode and in queue mode with 2 workers.
 *
 *   npm run bench                                   everything (about 10 minutes)
 *   npm run bench -- --only n8n                     only the real-n8n part (about 2 minutes)
 *   npm run bench -- --only in-process --invoices 200 --latency 50   a quicker in-process look
 *   npm run bench -- --help                         all options
 */
const path = require('path');
const { company } = require('./company');

const HELP = `npm run bench [-- options]

  --only in-process|n8n   run one part (default: both)
  --invoices N            approved invoices in the in-process batch (default 1000)
  --latency MS            API latency in the in-process runs (default 100)
  --n8n-latency MS        API latency in the real-n8n runs (default 50)
  --no-queue              real n8n: regular mode only
  --no-build              real n8n: pack the existing dist/ instead of running npm run build
  --verbose               real n8n: show the stack's start-up steps
  --lookup-wait MS        real n8n: measure with look-ups waiting MS for companions instead of
                          the shipped COMPANION_WAIT_MS (patches the packed copy; how it was
                          chosen)
  --help                  this text

The real-n8n part needs the pinned n8n runtime (dev/stack/setup-runtime.sh); without it, it is
skipped and the JSON says so. Queue mode also needs redis-server and PostgreSQL.`;

/** @param {string[]} argv */
function parseArgs(argv) {
	const o = {
		only: /** @type {'in-process' | 'n8n' | undefined} */ (undefined),
		invoices: 1000,
		latency: 100,
		n8nLatency: 50,
		queue: true,
		build: true,
		verbose: false,
		lookupWait: /** @type {number | undefined} */ (undefined),
		help: false,
	};
	const number = (/** @type {string} */ name, /** @type {string | undefined} */ v) => {
		const n = Number(v);
		if (!Number.isFinite(n) || n < 0) throw new Error(`${name} needs a number, got ${v}`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--help' || a === '-h') o.help = true;
		else if (a === '--only') {
			const v = argv[++i];
			if (v !== 'in-process' && v !== 'n8n') throw new Error(`--only in-process or n8n, got ${v}`);
			o.only = v;
		} else if (a === '--invoices') o.invoices = number(a, argv[++i]);
		else if (a === '--latency') o.latency = number(a, argv[++i]);
		else if (a === '--n8n-latency') o.n8nLatency = number(a, argv[++i]);
		else if (a === '--no-queue') o.queue = false;
		else if (a === '--no-build') o.build = false;
		else if (a === '--verbose') o.verbose = true;
		else if (a === '--lookup-wait') o.lookupWait = number(a, argv[++i]);
		else throw new Error(`unknown option ${a}\n\n${HELP}`);
	}
	return o;
}

/**
 * @param {ReturnType<typeof company>} c
 * @param {number} latencyMs
 */
async function inProcess(c, latencyMs) {
	const { inProcessBench } = require('./inProcess');
	const bench = inProcessBench({ company: c, latencyMs });
	const sim = await bench.startSimulator();
	try {
		const hooks = await bench.webhookBursts(sim);
		const node = await bench.node(sim);
		const unlimited = await bench.nodeNoFilterLimit(sim);
		const naive = await bench.naive(sim);
		return {
			callsPerInvoice: Number(node.callsPerInvoice.toFixed(3)),
			wallSeconds: Number((node.wallMs / 1000).toFixed(1)),
			refusedFilters: node.refused,
			noFilterLimitCallsPerInvoice: Number(unlimited.callsPerInvoice.toFixed(3)),
			noFilterLimitWallSeconds: Number((unlimited.wallMs / 1000).toFixed(1)),
			writeFloor: Number(bench.writeFloor.toFixed(3)),
			floorRatio: Number(node.floorRatio.toFixed(3)),
			rateLimited429: node.rateLimited429,
			duplicates: node.duplicates,
			naiveCallsPerInvoice: Number(naive.callsPerInvoice.toFixed(3)),
			naiveCallsRatio: Number((naive.callsPerInvoice / node.callsPerInvoice).toFixed(2)),
			webhookOneApprovalCalls: hooks.single,
			webhookOneApprovalMs: hooks.singleMs,
			webhook30CallsPerApproval: hooks.burstCallsPerApproval,
			webhook30DraftedOnce: hooks.notDraftedOnce.length === 0,
			failed: node.failed + unlimited.failed + hooks.failed,
		};
	} finally {
		await sim.close();
	}
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	if (o.help) {
		console.log(HELP);
		return;
	}
	const c = company(o.invoices);
	const started = Date.now();
	/** @type {Record<string, unknown>} */
	let summary = {};
	if (o.only !== 'n8n') {
		console.log(
			`in process: ${c.invoices} invoices x ${c.rows} rows, ${c.customers} customers (${c.newCustomers} new), ` +
				`${c.articles} article numbers (${c.unknownArticles} unknown), ${o.latency} ms per call, 600 calls/min per endpoint`,
		);
		summary = await inProcess(c, o.latency);
	}
	if (o.only !== 'in-process') {
		const { n8nBench } = require('./n8n');
		summary.n8n = await n8nBench({
			company: c,
			latencyMs: o.n8nLatency,
			build: o.build,
			queue: o.queue,
			verbose: o.verbose,
			lookupWaitMs: o.lookupWait,
			workDir: path.join(__dirname, '..', '.bench', 'n8n'),
			log: (msg) => console.log(msg),
		});
	}
	summary.benchSeconds = Math.round((Date.now() - started) / 1000);
	console.log(JSON.stringify(summary));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});

// @ts-check
'use strict';
/**
 * The webhook part of the benchmark through a real n8n: the pinned runtime (as the e2e suite uses
 * it), the packed package installed like a community package, the simulator standing in for
 * Visma, and the one-step example (approval-webhook-export-invoice.json) as it ships. Approvals
 * are POSTed to its webhook; the answer time is the webhook's, measured by the caller.
 *
 * Per mode (regular: one n8n process; queue: main + 2 workers with Redis and PostgreSQL), on a
 * fresh simulator with the bench company, at the given API latency and 600 calls per minute per
 * endpoint, in steady state (the customers and the default article exist, every n8n process has
 * run an approval):
 *   - 3 isolated approvals, one after the other;
 *   - 30 approvals at once with distinct references over 10 customers ("10 customers");
 *   - 30 approvals at once, each of 10 references three times ("10 references x 3");
 *   - a trickle: 20 approvals with distinct references over 10 customers, one every 250 ms, so
 *     two to four overlap (what the companion wait costs when there is little to share).
 * Every burst checks exactly-once: each reference is carried by one draft, and every answer for
 * a reference names that draft.
 */
const fs = require('fs');
const path = require('path');
const {
	installedRuntime,
	buildPackage,
	packPackage,
	goldenFolder,
	run,
} = require('../dev/stack/runtime');
const { startStack } = require('../dev/stack/stack');
const { missingQueueDeps } = require('../dev/stack/services');
const { readExample, adaptExample, triggerPaths } = require('../dev/stack/examples');
const { startSimulator } = require('../dev/simulator');
const { notDraftedOnce, callFigures, answerTimes } = require('./company');

/** @typedef {ReturnType<typeof import('./company').company>} Company */
/** @typedef {import('./company').Simulator} Simulator */
/** @typedef {import('./company').Approval} Approval */
/** @typedef {Awaited<ReturnType<typeof startStack>>} Stack */

const ONE_STEP = adaptExample(readExample('approval-webhook-export-invoice.json'));
const WEBHOOK = (triggerPaths(ONE_STEP).Webhook ?? '').replace(/^webhook\//, '');
const BURST = 30;
const ISOLATED = 3;
const TRICKLE = 20;
const TRICKLE_EVERY_MS = 250;

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (/** @type {number} */ since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/**
 * @param {Stack} stack
 * @param {Approval} approval
 */
async function send(stack, approval) {
	const started = Date.now();
	const res = await stack.webhook(WEBHOOK, approval);
	return { ...res, ms: Date.now() - started, ref: approval.invoiceNumber };
}

/**
 * Steady state: the first approval creates the default article; then approvals in small bursts
 * until every n8n process that runs executions has run one (its token use is warm).
 * @param {Stack} stack
 * @param {Company} company
 * @param {(msg: string) => void} log
 */
async function warmUp(stack, company, log) {
	const first = await send(stack, company.approvalUsingDefault('WARM', 0, 0));
	if (first.status !== 200)
		throw new Error(`warm-up approval failed: ${first.status} ${first.text}`);
	const finished = (/** @type {import('../dev/stack/n8n').N8nProcess} */ w) =>
		(w.log().match(/Worker finished execution \d+/g) ?? []).length;
	for (let round = 1; stack.workers.some((w) => finished(w) === 0); round++) {
		if (round > 5) throw new Error('warm-up: a worker ran no execution after 5 rounds');
		const answers = await Promise.all(
			Array.from(
				{ length: 4 },
				async (_, k) => await send(stack, company.approval('WARM', round * 10 + k, k)),
			),
		);
		const bad = answers.find((a) => a.status !== 200);
		if (bad) throw new Error(`warm-up approval failed: ${bad.status} ${bad.text}`);
	}
	if (stack.workers.length)
		log(`[n8n] warm: executions per worker ${stack.workers.map(finished).join(' + ')}`);
}

/**
 * What a set of answers says: failures, and whether each reference was drafted exactly once
 * with every answer for it naming that draft.
 * @param {Simulator} sim
 * @param {Array<Awaited<ReturnType<typeof send>>>} answers
 */
function exactlyOnce(sim, answers) {
	const failed = answers
		.filter((a) => a.status !== 200 || !a.body?.Id)
		.map((a) => `${a.ref}: ${a.status} ${a.text.slice(0, 200)}`);
	const problems = notDraftedOnce(
		sim,
		answers.map((a) => a.ref),
	);
	/** @type {Map<string, string>} */
	const draftOf = new Map();
	for (const d of sim.list('customerinvoicedrafts')) draftOf.set(d.ContractNumber, d.Id);
	for (const a of answers)
		if (a.status === 200 && a.body?.Id && a.body.Id !== draftOf.get(a.ref))
			problems.push(
				`${a.ref}: answered draft ${a.body.Id}, eAccounting keeps ${draftOf.get(a.ref)}`,
			);
	/** @type {Record<string, number>} */
	const outcomes = {};
	for (const a of answers) {
		const o = String(a.body?.outcome ?? `HTTP ${a.status}`);
		outcomes[o] = (outcomes[o] ?? 0) + 1;
	}
	return { failed, problems, outcomes };
}

/**
 * @param {string} label
 * @param {Simulator} sim
 * @param {Array<Awaited<ReturnType<typeof send>>>} answers
 * @param {number} wallMs
 * @param {(msg: string) => void} log
 */
function report(label, sim, answers, wallMs, log) {
	const figures = callFigures(sim.stats(), answers.length);
	const times = answerTimes(answers.map((a) => a.ms));
	const check = exactlyOnce(sim, answers);
	log(
		`[n8n] ${label}: ${figures.callsPerApproval} calls per approval, answers p50 ${times.p50Ms} ms / ` +
			`max ${times.maxMs} ms, all in ${(wallMs / 1000).toFixed(1)} s, outcomes ${JSON.stringify(check.outcomes)}, ` +
			`failed ${check.failed.length}, drafted once: ${check.problems.length ? 'NO' : 'yes'}`,
	);
	log(`       calls by endpoint: ${JSON.stringify(figures.byEndpoint)}`);
	for (const line of [...check.failed, ...check.problems]) log(`       ${line}`);
	return {
		callsPerApproval: figures.callsPerApproval,
		perApproval: figures.perApproval,
		p50Ms: times.p50Ms,
		maxMs: times.maxMs,
		wallMs,
		rateLimited429: figures.rateLimited429,
		outcomes: check.outcomes,
		failed: check.failed.length,
		exactlyOnce: check.failed.length === 0 && check.problems.length === 0,
	};
}

/**
 * @param {Stack} stack
 * @param {Simulator} sim
 * @param {Company} company
 * @param {string} label
 * @param {(msg: string) => void} log
 */
async function isolated(stack, sim, company, label, log) {
	sim.resetStats();
	const answers = [];
	const started = Date.now();
	for (let n = 0; n < ISOLATED; n++) {
		answers.push(await send(stack, company.approval('ONE', n, n)));
		await sleep(1000);
	}
	return report(
		`${label}, one isolated approval (x${ISOLATED})`,
		sim,
		answers,
		Date.now() - started,
		log,
	);
}

/**
 * 30 approvals POSTed at the same moment.
 * @param {Stack} stack
 * @param {Simulator} sim
 * @param {Approval[]} approvals
 * @param {string} label
 * @param {(msg: string) => void} log
 */
async function burst(stack, sim, approvals, label, log) {
	await sleep(2000);
	sim.resetStats();
	const mark = sim.log.at(-1)?.seq ?? 0;
	const started = Date.now();
	const answers = await Promise.all(approvals.map(async (a) => await send(stack, a)));
	const result = report(label, sim, answers, Date.now() - started, log);
	const spreadMs = firstLookupSpread(sim, mark, approvals);
	log(`       the first look-up of each reference reached the simulator over ${spreadMs} ms`);
	return { ...result, firstLookupSpreadMs: spreadMs };
}

/**
 * Approvals POSTed one every TRICKLE_EVERY_MS, each answered whenever it is.
 * @param {Stack} stack
 * @param {Simulator} sim
 * @param {Approval[]} approvals
 * @param {string} label
 * @param {(msg: string) => void} log
 */
async function trickle(stack, sim, approvals, label, log) {
	await sleep(2000);
	sim.resetStats();
	const started = Date.now();
	const answers = await Promise.all(
		approvals.map(async (a, n) => {
			await sleep(n * TRICKLE_EVERY_MS);
			return await send(stack, a);
		}),
	);
	return report(label, sim, answers, Date.now() - started, log);
}

/**
 * How far apart n8n started the executions of a burst, as the node shows it: the time between
 * the first and the last reference's first look-up (each waits at most the companion wait).
 * @param {Simulator} sim
 * @param {number} mark log sequence number before the burst
 * @param {Approval[]} approvals
 */
function firstLookupSpread(sim, mark, approvals) {
	const refs = new Set(approvals.map((a) => a.invoiceNumber));
	/** @type {Map<string, number>} */
	const first = new Map();
	for (const e of sim.log) {
		if (e.seq <= mark || e.method !== 'GET' || e.endpoint !== 'customerinvoicedrafts') continue;
		for (const [, ref] of (e.query.$filter ?? '').matchAll(/'([^']*)'/g))
			if (refs.has(ref) && !first.has(ref)) first.set(ref, Date.parse(e.t));
	}
	const times = [...first.values()];
	return times.length ? Math.max(...times) - Math.min(...times) : 0;
}

/**
 * One stack (regular or queue mode) on a fresh simulator: warm-up, isolated approvals, bursts.
 * @param {{ rt: import("../dev/stack/runtime").Runtime, tarball: string, workDir: string, company: Company, latencyMs: number, verbose: boolean, log: (msg: string) => void }} o
 * @param {'regular' | 'queue'} mode
 */
async function runMode(o, mode) {
	const { company, log } = o;
	const started = Date.now();
	const sim = await startSimulator({ seed: 'empty' });
	company.seed(sim);
	/** @type {Stack | undefined} */
	let stack;
	try {
		log(
			`[n8n] ${mode} mode: starting n8n${mode === 'queue' ? ' (main + 2 workers, Redis, PostgreSQL)' : ''}`,
		);
		stack = await startStack({
			rt: o.rt,
			tarball: o.tarball,
			workDir: path.join(o.workDir, mode),
			sim,
			workflows: [ONE_STEP],
			accessToken: 'valid',
			...(mode === 'queue'
				? { queue: { workers: 2, concurrency: 10 }, db: /** @type {const} */ ('postgres') }
				: {}),
			log: o.verbose ? log : () => {},
		});
		log(`[n8n] ${mode} mode: n8n ready in ${seconds(started)}`);
		sim.configure({ latencyMs: o.latencyMs, rateLimit: { perMinute: 600, windowMs: 60_000 } });
		await warmUp(stack, company, log);
		const one = await isolated(stack, sim, company, mode, log);
		const customers10 = await burst(
			stack,
			sim,
			Array.from({ length: BURST }, (_, n) => company.approval('C10', n, n % 10)),
			`${mode}, ${BURST} at once, 10 customers`,
			log,
		);
		const references10x3 = await burst(
			stack,
			sim,
			Array.from({ length: BURST }, (_, n) => company.approval('R10', n % 10, n % 10)),
			`${mode}, ${BURST} at once, 10 references x 3`,
			log,
		);
		const trickle20 = await trickle(
			stack,
			sim,
			Array.from({ length: TRICKLE }, (_, n) => company.approval('T20', n, n % 10)),
			`${mode}, ${TRICKLE} one every ${TRICKLE_EVERY_MS} ms, 10 customers`,
			log,
		);
		log(`[n8n] ${mode} mode done in ${seconds(started)}`);
		return { isolated: one, customers10, references10x3, trickle20 };
	} finally {
		if (stack)
			fs.writeFileSync(path.join(stack.workDir, 'simulator-log.json'), JSON.stringify(sim.log));
		await stack?.stop();
		await sim.close();
	}
}

/**
 * A copy of the packed package whose look-ups wait `ms` for companions instead of the shipped
 * COMPANION_WAIT_MS (`--lookup-wait`): how it was chosen. Measurement only.
 * @param {string} tarball
 * @param {number} ms
 */
async function withLookupWait(tarball, ms) {
	const dir = path.join(path.dirname(tarball), 'patched');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', dir]);
	const file = path.join(dir, 'package/dist/nodes/VismaEAccounting/transport/companions.js');
	const text = fs.readFileSync(file, 'utf8');
	const pattern = /^exports\.COMPANION_WAIT_MS = \d+;$/m;
	if (!pattern.test(text)) throw new Error(`--lookup-wait: no COMPANION_WAIT_MS in ${file}`);
	fs.writeFileSync(file, text.replace(pattern, `exports.COMPANION_WAIT_MS = ${ms};`));
	const patched = path.join(dir, `lookup-wait-${ms}.tgz`);
	await run('tar', ['-czf', patched, '-C', dir, 'package']);
	return patched;
}

/**
 * The real-n8n part. Without an installed runtime it says so and returns `{ skipped }`.
 * @param {{ company: Company, latencyMs: number, build: boolean, queue: boolean, verbose: boolean, workDir: string, lookupWaitMs?: number, log: (msg: string) => void }} o
 */
async function n8nBench(o) {
	const { log } = o;
	const rt = installedRuntime();
	if (!rt) {
		const skipped = 'no n8n runtime installed (dev/stack/setup-runtime.sh installs it)';
		log(`[n8n] skipping the real-n8n part: ${skipped}`);
		return { skipped };
	}
	const started = Date.now();
	log(
		`[n8n] n8n ${rt.version} on Node ${rt.nodeVersion}, ${o.latencyMs} ms per call, 600 calls/min per endpoint`,
	);
	if (o.build) await buildPackage({ log });
	fs.rmSync(o.workDir, { recursive: true, force: true });
	const packed = await packPackage(path.join(o.workDir, 'package'));
	const patched = o.lookupWaitMs !== undefined;
	const tarball = patched ? await withLookupWait(packed, o.lookupWaitMs ?? 0) : packed;
	if (patched) log(`[n8n] measuring with look-ups waiting ${o.lookupWaitMs} ms for companions`);
	await goldenFolder(rt, { log });
	const common = { ...o, rt, tarball };
	const regular = await runMode(common, 'regular');
	const missing = missingQueueDeps();
	let queue;
	if (!o.queue) queue = { skipped: 'not asked for (--no-queue)' };
	else if (missing.length) {
		queue = { skipped: `queue mode needs ${missing.join('; ')}` };
		log(`[n8n] skipping queue mode: ${queue.skipped}`);
	} else queue = await runMode(common, 'queue');
	const total = (Date.now() - started) / 1000;
	log(`[n8n] real-n8n part done in ${total.toFixed(0)} s`);
	return {
		version: rt.version,
		latencyMs: o.latencyMs,
		...(patched ? { lookupWaitMs: o.lookupWaitMs } : {}),
		seconds: Math.round(total),
		regular,
		queue,
	};
}

module.exports = { n8nBench };

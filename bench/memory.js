// @ts-check
'use strict';
/**
 * Memory held per credential, and given back: `npm run bench:memory`.
 *
 * Fills the node's per-credential state the way a busy n8n process would over time: 2,000
 * credentials (each with a JWT access token) x 5 endpoints, every rate gate with a full window
 * of request times, a warm-up state per credential, learned batch limits and refused query
 * options. Measures the heap after a full GC, then lets an hour pass on the shared-state clock
 * and measures again. Prints figures; the last line is one JSON object.
 *
 *   npm run bench:memory -- --credentials 500 --per-gate 100    a quicker look
 */
const path = require('path');

const args = Object.fromEntries(
	process.argv
		.slice(2)
		.reduce(
			(acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
			/** @type {string[][]} */ ([]),
		),
);
const CREDENTIALS = Number(args.credentials ?? 2000);
const PER_GATE = Number(args['per-gate'] ?? 580);
const ENDPOINTS = ['customers', 'articles', 'customerinvoicedrafts', 'customerinvoices', 'units'];

const build = path.join(__dirname, '..', '.bench', 'nodes/VismaEAccounting/transport');
const { gateFor, configurePacing } = require(path.join(build, 'pacing.js'));
const { noteToken, throughWarmup } = require(path.join(build, 'warmup.js'));
const { batchRefused } = require(path.join(build, 'batchLimits.js'));
const { refuseOption } = require(path.join(build, 'queryOptions.js'));
const { sharedStateSizes, useSharedStateClock } = require(path.join(build, 'idleMap.js'));

const gc = /** @type {(() => void) | undefined} */ (/** @type {any} */ (globalThis).gc);
if (!gc) {
	process.stderr.write('bench:memory needs node --expose-gc (npm run bench:memory does that)\n');
	process.exit(2);
}

/** Heap in use after a full collection, in MB. */
function heapMb() {
	for (let i = 0; i < 3; i++) gc();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** A JWT-sized access token, as Visma issues (about 1 KB). */
const token = (/** @type {number} */ c) =>
	`${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(
		JSON.stringify({
			customer_id: `company-${c}`,
			exp: 2e9,
			scope: ['ea:api', 'ea:sales'],
			pad: 'x'.repeat(700),
		}),
	).toString('base64url')}.${'s'.repeat(342)}`;

async function main() {
	let clock = Date.now();
	useSharedStateClock(() => clock);
	configurePacing({ limit: PER_GATE });
	const before = heapMb();
	const started = Date.now();
	for (let c = 0; c < CREDENTIALS; c++) {
		const credential = `credential-${c}`;
		noteToken(credential, token(c), 3600);
		await throughWarmup(credential, async () => undefined);
		for (const endpoint of ENDPOINTS) {
			const gate = gateFor(`${credential}|${endpoint}`);
			for (let i = 0; i < PER_GATE; i++) await gate.acquire();
			if (c % 4 === 0) batchRefused(`${credential}|${endpoint}`, 30);
			if (c % 4 === 1) refuseOption(`${credential}|${endpoint}`, 'select');
		}
	}
	const held = heapMb();
	const sizesHeld = sharedStateSizes();
	clock += 61 * 60_000;
	const sizesAfter = sharedStateSizes();
	const after = heapMb();
	const result = {
		credentials: CREDENTIALS,
		endpoints: ENDPOINTS.length,
		requestsPerGate: PER_GATE,
		heapBeforeMb: Number(before.toFixed(1)),
		heapHeldMb: Number(held.toFixed(1)),
		retainedMb: Number((held - before).toFixed(1)),
		heapAfterIdleHourMb: Number(after.toFixed(1)),
		retainedAfterIdleHourMb: Number((after - before).toFixed(1)),
		entriesHeld: sizesHeld,
		entriesAfterIdleHour: sizesAfter,
		fillSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
	};
	process.stdout.write(
		[
			`${CREDENTIALS} credentials x ${ENDPOINTS.length} endpoints, ${PER_GATE} requests per gate (filled in ${result.fillSeconds} s)`,
			`heap after GC: ${result.heapBeforeMb} MB before, ${result.heapHeldMb} MB held (+${result.retainedMb} MB), ${result.heapAfterIdleHourMb} MB an idle hour later (+${result.retainedAfterIdleHourMb} MB)`,
			`entries held: ${JSON.stringify(sizesHeld)}`,
			`entries an idle hour later: ${JSON.stringify(sizesAfter)}`,
			JSON.stringify(result),
			'',
		].join('\n'),
	);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});

#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node test/simulator/cli.js [--port 0] [--seed default|empty|demo] [--latency ms]
 *   [--rate-limit perMinute] [--rate-window ms] [--retry-after]
 *   [--faults rate] [--fault-kinds 503,500-5001,lost-response] [--fault-seed n]
 *   [--token-ttl seconds] [--client-id id] [--client-secret secret] [--max-url-length n] [--port-file path]
 */

const fs = require('fs');
const { startSimulator } = require('./index');

/**
 * @param {string[]} argv
 * @returns {Record<string, string | true>}
 */
function parseArgs(argv) {
	/** @type {Record<string, string | true>} */
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`Unexpected argument '${a}'`);
		const [key, inline] = a.slice(2).split('=', 2);
		if (inline !== undefined) out[key] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[key] = argv[++i];
		else out[key] = true;
	}
	return out;
}

/**
 * @param {string | true | undefined} v
 * @param {string} name
 */
function num(v, name) {
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number`);
	return n;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(`${fs.readFileSync(__filename, 'utf8').split('*/')[0].split('/**')[1] ?? ''}\n`);
		return;
	}
	const known = new Set(['port', 'seed', 'latency', 'rate-limit', 'rate-window', 'retry-after', 'faults', 'fault-kinds', 'fault-seed', 'token-ttl', 'client-id', 'client-secret', 'max-url-length', 'port-file', 'help']);
	for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`Unknown option --${k}`);
	const perMinute = num(args['rate-limit'], 'rate-limit');
	const faultRate = num(args.faults, 'faults');
	const sim = await startSimulator({
		port: num(args.port, 'port') ?? 0,
		seed: /** @type {any} */ (typeof args.seed === 'string' ? args.seed : 'default'),
		latencyMs: num(args.latency, 'latency') ?? 0,
		rateLimit: perMinute ? { perMinute, windowMs: num(args['rate-window'], 'rate-window') ?? 60000, sendRetryAfter: args['retry-after'] === true } : null,
		faults: faultRate
			? {
					rate: faultRate,
					kinds: /** @type {any} */ (typeof args['fault-kinds'] === 'string' ? args['fault-kinds'].split(',') : undefined),
					seed: num(args['fault-seed'], 'fault-seed') ?? 1,
				}
			: null,
		accessTokenTtlSeconds: num(args['token-ttl'], 'token-ttl') ?? 3600,
		clientId: typeof args['client-id'] === 'string' ? args['client-id'] : undefined,
		clientSecret: typeof args['client-secret'] === 'string' ? args['client-secret'] : undefined,
		maxUrlLength: num(args['max-url-length'], 'max-url-length'),
	});
	if (typeof args['port-file'] === 'string') fs.writeFileSync(args['port-file'], String(sim.port));
	process.stdout.write(`simulator listening on ${sim.url}\n`);
	const stop = () => {
		sim.close().then(() => process.exit(0), () => process.exit(1));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});

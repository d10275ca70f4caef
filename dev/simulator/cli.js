#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * node dev/simulator/cli.js [--port 0] [--seed default|empty|demo] [--latency ms]
 *   [--rate-limit perMinute] [--rate-window ms] [--retry-after]
 *   [--faults rate] [--fault-kinds 503,500-5001,lost-response] [--fault-seed n]
 *   [--token-ttl seconds] [--client-id id] [--client-secret secret] [--max-url-length n] [--port-file path]
 *   [--max-filter-nodes n (0 = unlimited)] [--duplicate-error-code n]
 *   [--refuse-filter Field,collection.Field] [--refuse-orderby Field,...] [--refuse-select [Field,...]]
 *   [--opaque-tokens]
 *   [--max-attachment-bytes n]
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
 * Comma-separated list; a bare flag is an error.
 * @param {string | true | undefined} v
 * @param {string} name
 */
function names(v, name) {
	if (v === undefined) return undefined;
	if (v === true)
		throw new Error(
			`--${name} needs a comma-separated list such as Id,customerinvoices.ModifiedUtc`,
		);
	return v
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
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

const KNOWN = new Set([
	'port',
	'seed',
	'latency',
	'rate-limit',
	'rate-window',
	'retry-after',
	'faults',
	'fault-kinds',
	'fault-seed',
	'token-ttl',
	'client-id',
	'client-secret',
	'max-url-length',
	'max-filter-nodes',
	'duplicate-error-code',
	'refuse-filter',
	'refuse-orderby',
	'refuse-select',
	'max-attachment-bytes',
	'port-file',
	'opaque-tokens',
	'help',
]);

/**
 * Command-line arguments → startSimulator options (exported so tests can check the mapping without a process).
 * @param {string[]} argv arguments after the script name
 * @returns {{ options: import('./index').SimulatorOptions, portFile: string | undefined, help: boolean }}
 */
function optionsFromArgs(argv) {
	const args = parseArgs(argv);
	if (args.help) return { options: {}, portFile: undefined, help: true };
	for (const k of Object.keys(args)) if (!KNOWN.has(k)) throw new Error(`Unknown option --${k}`);
	const perMinute = num(args['rate-limit'], 'rate-limit');
	const faultRate = num(args.faults, 'faults');
	/** @type {import('./index').SimulatorOptions} */
	const options = {
		port: num(args.port, 'port') ?? 0,
		seed: /** @type {any} */ (typeof args.seed === 'string' ? args.seed : 'default'),
		latencyMs: num(args.latency, 'latency') ?? 0,
		rateLimit: perMinute
			? {
					perMinute,
					windowMs: num(args['rate-window'], 'rate-window') ?? 60000,
					sendRetryAfter: args['retry-after'] === true,
				}
			: null,
		faults: faultRate
			? {
					rate: faultRate,
					kinds: /** @type {any} */ (
						typeof args['fault-kinds'] === 'string' ? args['fault-kinds'].split(',') : undefined
					),
					seed: num(args['fault-seed'], 'fault-seed') ?? 1,
				}
			: null,
		accessTokenTtlSeconds: num(args['token-ttl'], 'token-ttl') ?? 3600,
		accessTokenFormat: args['opaque-tokens'] ? 'opaque' : 'jwt',
		clientId: typeof args['client-id'] === 'string' ? args['client-id'] : undefined,
		clientSecret: typeof args['client-secret'] === 'string' ? args['client-secret'] : undefined,
		maxUrlLength: num(args['max-url-length'], 'max-url-length'),
		maxFilterNodes: num(args['max-filter-nodes'], 'max-filter-nodes'),
		duplicateErrorCode: num(args['duplicate-error-code'], 'duplicate-error-code'),
		refuseFilterOn: names(args['refuse-filter'], 'refuse-filter'),
		refuseOrderByOn: names(args['refuse-orderby'], 'refuse-orderby'),
		refuseSelect:
			args['refuse-select'] === true ? true : names(args['refuse-select'], 'refuse-select'),
		maxAttachmentBytes: num(args['max-attachment-bytes'], 'max-attachment-bytes'),
	};
	return {
		options,
		portFile: typeof args['port-file'] === 'string' ? args['port-file'] : undefined,
		help: false,
	};
}

async function main() {
	const { options, portFile, help } = optionsFromArgs(process.argv.slice(2));
	if (help) {
		process.stdout.write(
			`${fs.readFileSync(__filename, 'utf8').split('*/')[0].split('/**')[1] ?? ''}\n`,
		);
		return;
	}
	const sim = await startSimulator(options);
	if (portFile) fs.writeFileSync(portFile, String(sim.port));
	process.stdout.write(`simulator listening on ${sim.url}\n`);
	const stop = () => {
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	});
}

module.exports = { optionsFromArgs };

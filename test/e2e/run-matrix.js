#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run test:e2e:matrix`: the approval-to-draft e2e suite (matrix.e2e.test.ts) on every n8n
 * version of the matrix (support/versions.js), one after another. For each version it installs
 * the runtime when it is not cached yet (dev/stack/setup-runtime.sh: one folder per version, the
 * Node major that version needs), then runs jest with N8N_VERSION set. At the end it prints a
 * table version → passed/failed and exits non-zero if any version failed.
 *
 *   npm run test:e2e:matrix                                   # all versions
 *   E2E_MATRIX_VERSIONS=1.123.81 npm run test:e2e:matrix      # some versions
 *   E2E_SKIP_BUILD=1 npm run test:e2e:matrix                  # reuse dist/
 *   npm run test:e2e:matrix -- -t 'one step'                  # extra arguments go to jest
 *
 * Files of the run: .e2e/matrix-<time>/n8n-<version>/ (n8n log, simulator log, jest JSON).
 */

const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { REPO, ensureRuntime, buildPackage } = require('../../dev/stack/runtime');
const { matrixVersions, nodeMajorFor } = require('./support/versions');

/** @param {string} msg */
const log = (msg) => process.stdout.write(`${msg}\n`);
const secs = (/** @type {number} */ ms) => `${Math.round(ms / 1000)} s`;

/**
 * @typedef {object} Row
 * @property {string} version
 * @property {string} why
 * @property {string} node
 * @property {string} setup
 * @property {number} passed
 * @property {number} failed
 * @property {number} total
 * @property {boolean} ok
 * @property {string} note
 * @property {number} ms
 */

/**
 * Runs jest (the matrix suite) for one version; resolves with jest's exit code.
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} extraArgs
 * @returns {Promise<number>}
 */
function runJest(env, extraArgs) {
	const jestBin = require.resolve('jest/bin/jest', { paths: [REPO] });
	const args = [
		jestBin,
		'-c',
		path.join('test', 'e2e', 'jest.config.js'),
		'--runInBand',
		...extraArgs,
	];
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: 'inherit' });
		child.on('error', () => resolve(1));
		child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}

async function main() {
	const t0 = Date.now();
	const versions = matrixVersions();
	const extraArgs = process.argv.slice(2);
	const base = path.join(REPO, '.e2e');
	fs.mkdirSync(base, { recursive: true });
	for (const f of fs.readdirSync(base))
		if (f.startsWith('matrix-')) fs.rmSync(path.join(base, f), { recursive: true, force: true });
	const matrixDir = path.join(base, `matrix-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	fs.mkdirSync(matrixDir, { recursive: true });

	log(
		`[matrix] n8n versions: ${versions.map((v) => `${v.version} (${v.why}, Node ${nodeMajorFor(v.version)})`).join(', ')}`,
	);
	if (process.env.E2E_SKIP_BUILD === '1') log('[build] E2E_SKIP_BUILD=1: using the existing dist/');
	else await buildPackage({ log });

	/** @type {Row[]} */
	const rows = [];
	for (const { version, why } of versions) {
		const started = Date.now();
		/** @type {Row} */
		const row = {
			version,
			why,
			node: `${nodeMajorFor(version)}`,
			setup: '',
			passed: 0,
			failed: 0,
			total: 0,
			ok: false,
			note: '',
			ms: 0,
		};
		rows.push(row);
		log('');
		log(`[matrix] ===== n8n ${version} (${why}) =====`);
		let cached = false;
		try {
			const rt = await ensureRuntime({
				version,
				log: (line) => {
					if (/\(cached\)$/.test(line)) cached = true;
					log(line);
				},
			});
			row.node = rt.nodeVersion;
			row.setup = cached ? 'cached' : `installed in ${secs(Date.now() - started)}`;
		} catch (e) {
			row.setup = 'install failed';
			row.note = String(/** @type {Error} */ (e).message)
				.split('\n')
				.filter(Boolean)
				.slice(-3)
				.join(' | ');
			row.ms = Date.now() - started;
			log(
				`[matrix] n8n ${version}: the runtime could not be installed:\n${String(/** @type {Error} */ (e).message)}`,
			);
			continue;
		}

		const runDir = path.join(matrixDir, `n8n-${version}`);
		const resultFile = path.join(runDir, 'jest-result.json');
		const testsStarted = Date.now();
		const code = await runJest(
			{
				...process.env,
				N8N_VERSION: version,
				E2E_SKIP_BUILD: '1',
				VISMA_E2E_SUITE: 'matrix',
				VISMA_E2E_RUN_DIR: runDir,
			},
			['--json', `--outputFile=${resultFile}`, ...extraArgs],
		);
		try {
			const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
			row.passed = result.numPassedTests;
			row.failed = result.numFailedTests;
			row.total = result.numTotalTests;
			const failedNames = result.testResults.flatMap((/** @type {any} */ f) =>
				(f.assertionResults ?? [])
					.filter((/** @type {any} */ a) => a.status === 'failed')
					.map((/** @type {any} */ a) => a.title),
			);
			const suiteErrors = result.testResults.filter(
				(/** @type {any} */ f) => f.status === 'failed' && !(f.assertionResults ?? []).length,
			);
			if (failedNames.length) row.note = `failed: ${failedNames.join('; ')}`;
			else if (suiteErrors.length) row.note = 'suite failed to start (see the jest output above)';
			row.ok = code === 0 && result.success && row.failed === 0 && row.total > 0;
			if (row.total === 0 && !row.note) row.note = 'no tests ran';
		} catch {
			row.note = `jest exited ${code} without a result (global setup failed?)`;
		}
		row.ms = Date.now() - started;
		log(
			`[matrix] n8n ${version}: ${row.ok ? 'passed' : 'FAILED'} (${row.passed}/${row.total} tests, ${secs(Date.now() - testsStarted)})`,
		);
	}

	const table = [
		['n8n', 'Node', 'why', 'runtime', 'tests', 'result', 'time'],
		...rows.map((r) => [
			r.version,
			r.node,
			r.why,
			r.setup,
			r.total ? `${r.passed}/${r.total} passed` : '-',
			r.ok ? 'passed' : 'FAILED',
			secs(r.ms),
		]),
	];
	const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
	const line = (/** @type {string[]} */ cells) =>
		`| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	const text = [
		line(table[0]),
		`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
		...table.slice(1).map(line),
	].join('\n');
	log('');
	log(
		`[matrix] summary (${secs(Date.now() - t0)} in all; files in ${path.relative(REPO, matrixDir)}/)`,
	);
	log(text);
	for (const r of rows) if (r.note) log(`[matrix] ${r.version}: ${r.note}`);
	fs.writeFileSync(path.join(matrixDir, 'summary.md'), `${text}\n`);
	fs.writeFileSync(path.join(matrixDir, 'summary.json'), JSON.stringify(rows, null, 1));
	const failed = rows.filter((r) => !r.ok);
	if (failed.length) {
		log(`[matrix] FAILED on n8n ${failed.map((r) => r.version).join(', ')}`);
		process.exitCode = 1;
	} else log(`[matrix] passed on every n8n version (${rows.map((r) => r.version).join(', ')})`);
}

main().catch((e) => {
	process.stderr.write(`[matrix] ${e && e.stack ? e.stack : e}\n`);
	process.exitCode = 1;
});

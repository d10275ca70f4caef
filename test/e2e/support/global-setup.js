// @ts-check
'use strict';

/**
 * Runs once before the e2e suites: the pinned n8n runtime, the package build and tarball, and
 * the migrated "golden" n8n user folder. The result reaches the test files through
 * process.env.VISMA_E2E (JSON), which the jest workers inherit.
 *
 * E2E_SKIP_BUILD=1 reuses the current dist/ instead of running `npm run build`.
 * N8N_VERSION picks another installed-on-demand n8n (default: the pinned one).
 * VISMA_E2E_SUITE=matrix (set by the version-matrix runner) runs only the matrix suite, which
 * needs no Redis/PostgreSQL, and VISMA_E2E_RUN_DIR puts this run's files in that folder instead
 * of a fresh .e2e/run-<time>/ (so the runs of several versions are kept side by side).
 */

const fs = require('fs');
const path = require('path');
const {
	REPO,
	ensureRuntime,
	buildPackage,
	packPackage,
	goldenFolder,
} = require('../../../dev/stack/runtime');

module.exports = async function globalSetup() {
	const t0 = Date.now();
	/** @param {string} msg */
	const log = (msg) => process.stdout.write(`${msg}\n`);
	log('');
	log('[e2e] preparing: runtime, build, package, golden user folder');
	const matrix = process.env.VISMA_E2E_SUITE === 'matrix';
	const rt = await ensureRuntime({ log, withQueueDeps: !matrix });
	log(`[e2e] n8n ${rt.version} on Node ${rt.nodeVersion}`);
	if (process.env.E2E_SKIP_BUILD === '1') log('[build] E2E_SKIP_BUILD=1: using the existing dist/');
	else await buildPackage({ log });

	let runDir = process.env.VISMA_E2E_RUN_DIR ?? '';
	if (runDir) {
		fs.rmSync(runDir, { recursive: true, force: true });
	} else {
		const base = path.join(REPO, '.e2e');
		fs.mkdirSync(base, { recursive: true });
		// Keep only this run's files (logs of the previous run are replaced).
		for (const f of fs.readdirSync(base))
			if (f.startsWith('run-')) fs.rmSync(path.join(base, f), { recursive: true, force: true });
		runDir = path.join(base, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	}
	fs.mkdirSync(runDir, { recursive: true });
	const tarball = await packPackage(path.join(runDir, 'package'));
	log(`[build] packed ${path.relative(REPO, tarball)}`);
	await goldenFolder(rt, { log });
	process.env.VISMA_E2E = JSON.stringify({ rt, tarball, runDir });
	log(
		`[e2e] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs go to ${path.relative(REPO, runDir)}/`,
	);
};

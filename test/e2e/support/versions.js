// @ts-check
'use strict';

/**
 * The n8n versions of the e2e version matrix (`npm run test:e2e:matrix`).
 *
 * - the pinned version, which `npm run test:all`, `npm run test:e2e` and the demo use;
 * - the newest stable 1.x in the npm registry (n8n 1.x is still run by many self-hosted users;
 *   it needs Node 22 and, to install, an npm override for xlsx: see dev/stack/setup-runtime.sh);
 * - the newest stable 2.x that installs from the npm registry. On 2026-11-30 the newest 2.x is
 *   2.41.3, but it cannot be installed: it depends on @n8n/agents@0.26.2, which is not in the
 *   registry (npm ETARGET). 2.41.1 is the newest whose whole dependency tree resolves.
 *
 * Chosen from `npm view n8n versions --json` on 2026-11-30. Update the last two when newer
 * releases come out (and the README's "Supported n8n versions" with the result).
 * E2E_MATRIX_VERSIONS=1.123.81,2.41.1 runs other versions.
 */

const { PINNED_N8N_VERSION } = require('../../../dev/stack/runtime');

/** @type {ReadonlyArray<{ version: string, why: string }>} */
const MATRIX = Object.freeze([
	{ version: PINNED_N8N_VERSION, why: 'pinned (test:all, demo)' },
	{ version: '1.123.81', why: 'newest 1.x' },
	{ version: '2.41.1', why: 'newest 2.x that installs' },
]);

/** The versions to run: E2E_MATRIX_VERSIONS (comma-separated) or MATRIX. */
function matrixVersions() {
	const raw = (process.env.E2E_MATRIX_VERSIONS ?? '').trim();
	if (!raw) return MATRIX.map((m) => ({ ...m }));
	return raw
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean)
		.map((version) => ({
			version,
			why: MATRIX.find((m) => m.version === version)?.why ?? 'E2E_MATRIX_VERSIONS',
		}));
}

/**
 * The Node major setup-runtime.sh installs for an n8n version (kept in step with the script).
 * @param {string} version
 */
function nodeMajorFor(version) {
	const [major, minor] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 36) ? 24 : 22;
}

module.exports = { MATRIX, matrixVersions, nodeMajorFor };

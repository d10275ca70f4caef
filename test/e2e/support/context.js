// @ts-check
'use strict';

/**
 * What global-setup.js prepared, plus small helpers for the test files (which, being linted
 * .ts, cannot use process, fs or path themselves).
 */

const path = require('path');
const fs = require('fs');

/**
 * @returns {{ rt: import('../../../dev/stack/runtime').Runtime, tarball: string, runDir: string }}
 */
function e2eContext() {
	const raw = process.env.VISMA_E2E;
	if (!raw)
		throw new Error(
			'VISMA_E2E is not set: run the suite with `npm run test:e2e` (jest -c test/e2e/jest.config.js)',
		);
	return JSON.parse(raw);
}

/**
 * A work folder for one suite inside this run's folder.
 * @param {string} name
 */
function suiteDir(name) {
	const dir = path.join(e2eContext().runDir, name);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** Progress line on the terminal (jest buffers console.log until the test ends). */
function progress(/** @type {string} */ msg) {
	process.stdout.write(`${msg}\n`);
}

/** Whether the suite runs in CI. */
function inCi() {
	return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * An environment variable (the linted test files cannot read process.env).
 * @param {string} name
 */
function envVar(name) {
	return process.env[name];
}

/**
 * Writes JSON for later inspection (CI uploads .e2e/ on failure).
 * @param {string} file
 * @param {unknown} data
 */
function writeJson(file, data) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(data, null, 1));
}

/**
 * A file's content as base64 (the linted test files cannot read files).
 * @param {string} file
 */
function readFileBase64(file) {
	return fs.readFileSync(file).toString('base64');
}

module.exports = { e2eContext, suiteDir, progress, inCi, envVar, writeJson, readFileBase64 };

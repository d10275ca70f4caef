// @ts-check
'use strict';

/** The findings table on stdout and the JSON file for a bug report. */

const fs = require('fs');
const path = require('path');

/** @typedef {import('./probes').Finding} Finding */

/**
 * @param {string} text
 * @param {number} width
 */
function cell(text, width) {
	const flat = String(text).replace(/\s+/g, ' ');
	return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

/**
 * @param {Finding[]} findings
 * @returns {string}
 */
function table(findings) {
	const nameWidth = Math.min(40, Math.max(5, ...findings.map((f) => f.name.length)));
	const widths = [nameWidth, 64, 84];
	const line = (/** @type {string[]} */ cols, /** @type {string} */ verdict) =>
		`${cols.map((c, i) => cell(c, widths[i])).join(' | ')} | ${verdict}`;
	const out = [
		line(['PROBE', 'ASSUMPTION', 'RESULT'], 'VERDICT'),
		`${widths.map((w) => '-'.repeat(w)).join('-+-')}-+--------`,
	];
	for (const f of findings) out.push(line([f.name, f.assumption, f.result], f.verdict));
	return out.join('\n');
}

/**
 * @param {Finding[]} findings
 */
function counts(findings) {
	/** @type {Record<string, number>} */
	const c = { OK: 0, DIFFERS: 0, ERROR: 0 };
	for (const f of findings) c[f.verdict] = (c[f.verdict] ?? 0) + 1;
	return c;
}

/**
 * Writes `findings-<timestamp>.json` into `dir` and returns its path.
 * @param {string} dir
 * @param {Record<string, unknown>} report
 */
function writeFindings(dir, report) {
	fs.mkdirSync(dir, { recursive: true });
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const file = path.join(dir, `findings-${stamp}.json`);
	fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	return file;
}

module.exports = { counts, table, writeFindings };

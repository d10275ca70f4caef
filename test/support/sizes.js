// @ts-check
'use strict';
/**
 * File and function lengths of the shipped source, for the layout test. Plain JavaScript because
 * it reads the file system; TypeScript's own parser finds the functions.
 */
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const { sourceFiles } = require('./imports');

const REPO = path.resolve(__dirname, '..', '..');

/**
 * Files over `maxFileLines` and functions over `maxFunctionLines` under `dir`, as
 * "file: N lines" and "file:line name: N lines".
 * @param {string} dir
 * @param {{ maxFileLines: number, maxFunctionLines: number }} limits
 */
function oversized(dir, limits) {
	/** @type {string[]} */
	const out = [];
	for (const file of sourceFiles(dir).filter((f) => f.endsWith('.ts'))) {
		const text = fs.readFileSync(path.join(REPO, file), 'utf8');
		const lines = text.split('\n').length;
		if (lines > limits.maxFileLines) out.push(`${file}: ${lines} lines`);
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
		/** @param {import('typescript').Node} node */
		const visit = (node) => {
			if (ts.isFunctionLike(node) && 'body' in node && node.body) {
				const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
				const last = source.getLineAndCharacterOfPosition(node.end).line;
				const name = 'name' in node && node.name ? node.name.getText() : '(anonymous)';
				if (last - first + 1 > limits.maxFunctionLines)
					out.push(`${file}:${first + 1} ${name}: ${last - first + 1} lines`);
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return out;
}

module.exports = { oversized };

// @ts-check
'use strict';

/**
 * Lets the live round trip require the node's TypeScript sources and the test harness
 * directly, compiled in memory with the repo's TypeScript (each file on its own, as ts-jest
 * does with isolatedModules). Nothing is written to dist/, so a build running in parallel
 * is not disturbed. Only files of this repository outside node_modules are compiled.
 */

const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const { REPO_ROOT } = require('./config');

let registered = false;

function register() {
	if (registered) return;
	registered = true;
	process.setSourceMapsEnabled?.(true);
	const compilerOptions = {
		module: ts.ModuleKind.CommonJS,
		target: ts.ScriptTarget.ES2022,
		esModuleInterop: true,
		isolatedModules: true,
		resolveJsonModule: true,
		inlineSourceMap: true,
		inlineSources: true,
	};
	const extensions = /** @type {Record<string, (m: any, filename: string) => void>} */ (
		/** @type {unknown} */ (require.extensions)
	);
	extensions['.ts'] = (module, filename) => {
		const inRepo =
			filename.startsWith(REPO_ROOT + path.sep) &&
			!filename.includes(`${path.sep}node_modules${path.sep}`);
		if (!inRepo || filename.endsWith('.d.ts'))
			throw new Error(`ts-register: refusing to compile ${filename}`);
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			compilerOptions,
			fileName: filename,
			reportDiagnostics: false,
		});
		module._compile(outputText, filename);
	};
}

module.exports = { register };

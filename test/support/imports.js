// @ts-check
'use strict';
/**
 * Reads the imports (and, for the one-transport rule, the text) of the repository's own source
 * files, for the layout test (test/unit/layout.test.ts). Plain JavaScript because it reads the
 * file system.
 */
const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..', '..');
const SKIP = new Set(['node_modules', 'dist', '.git', '.e2e', '.demo', '.bench', '.live']);
const SPECIFIER = /(?:require\(\s*|import\(\s*|from\s+|^\s*import\s+)['"]([^'"]+)['"]/gm;

/**
 * Every .ts/.js file under `dir` (repo-relative), sorted.
 * @param {string} dir
 * @returns {string[]}
 */
function sourceFiles(dir) {
	/** @type {string[]} */
	const out = [];
	/** @param {string} abs */
	const walk = (abs) => {
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			if (SKIP.has(entry.name)) continue;
			const full = path.join(abs, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (/\.(ts|js|mjs|cjs)$/.test(entry.name)) out.push(path.relative(REPO, full));
		}
	};
	walk(path.join(REPO, dir));
	return out.sort();
}

/**
 * The repo-relative targets of a file's relative imports (`./x`, `../y`), extensions unresolved.
 * @param {string} file
 */
function relativeImports(file) {
	const text = fs.readFileSync(path.join(REPO, file), 'utf8');
	/** @type {string[]} */
	const out = [];
	for (const match of text.matchAll(SPECIFIER)) {
		const spec = match[1];
		if (!spec.startsWith('.')) continue;
		out.push(
			path
				.relative(REPO, path.resolve(REPO, path.dirname(file), spec))
				.split(path.sep)
				.join('/'),
		);
	}
	return out;
}

/**
 * Imports from files under `from` into folders under `into`, as "file -> target".
 * @param {string} from
 * @param {string[]} into
 */
function importsInto(from, into) {
	return sourceFiles(from).flatMap((file) =>
		relativeImports(file)
			.filter((target) => into.some((dir) => target === dir || target.startsWith(`${dir}/`)))
			.map((target) => `${file} -> ${target}`),
	);
}

/**
 * Imports of packages (anything not relative) from files under `dir`, as "file -> package".
 * @param {string} dir
 */
function packageImports(dir) {
	return sourceFiles(dir).flatMap((file) =>
		[...fs.readFileSync(path.join(REPO, file), 'utf8').matchAll(SPECIFIER)]
			.map((match) => match[1])
			.filter((spec) => !spec.startsWith('.'))
			.map((spec) => `${file} -> ${spec}`),
	);
}

/**
 * Files under `dir` whose text matches `pattern`, as "file:line: text".
 * @param {string} dir
 * @param {RegExp} pattern
 */
function filesMatching(dir, pattern) {
	return sourceFiles(dir).flatMap((file) =>
		fs
			.readFileSync(path.join(REPO, file), 'utf8')
			.split('\n')
			.flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
	);
}

module.exports = { filesMatching, importsInto, packageImports, sourceFiles };

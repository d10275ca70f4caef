#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * The checks of n8n's community-package scanner (`npx @n8n/scan-community-package <pkg>`,
 * version 0.32.0), run offline on the built package before it is published.
 *
 * What the real scanner does with a published version, and what this script does instead:
 *   1. provenance: the version must carry an npm provenance attestation (SLSA v1).
 *      Not checkable before publishing; the publish workflow publishes with provenance.
 *   2. source: it downloads the GitHub commit named in the attestation and lints `package.json`
 *      and `{nodes,credentials}/**\/*.{js,ts,json}` there. Here: the same files of this checkout.
 *      So the attestation must name a public GitHub repository, and npm only publishes with
 *      provenance when package.json's `repository` is the building repository. Here:
 *      repository, homepage, bugs and the codex/changelog GitHub links name one owner/name.
 *   3. tarball: it lints `**\/*.js` and `package.json` of the published tarball. Here: the tarball
 *      from `npm pack`, unpacked the same way (tar --strip-components=1).
 * Both lint legs use the scanner's ESLint config: @n8n/eslint-plugin-community-nodes
 * `recommended` (the n8n Cloud variant), `no-console: error`, and eslint-plugin-n8n-nodes-base's
 * `community` rules on package.json, `credentials` rules on credentials/**\/*.ts and `nodes` rules
 * on nodes/**\/*.ts with the same rules switched off as `n8n-node lint`. Inline
 * `eslint-disable` comments are ignored (`allowInlineConfig: false`), as in the scanner. Any
 * error fails; warnings are printed and do not fail.
 *
 * The plugins are the copies @n8n/node-cli brings. The scanner pins community-nodes 0.29.0;
 * node-cli 0.48.3 has 0.32.0, which contains every 0.29.0 rule (same severities) plus
 * `no-unsafe-connection-type-cast`, so passing here implies passing the scanner's rule set.
 *
 *   node scripts/scan-package.js [options]      (after `npm run build`; `npm run scan`)
 *
 *   --tarball <file.tgz>        scan this tarball instead of running npm pack
 *   --package-dir <dir>         scan an already unpacked package folder (no npm pack)
 *   --source-dir <dir>          source tree for the source leg (default: this repo)
 *   --no-source                 skip the source leg
 *   --expect-repository <o/n>   fail unless package.json names this GitHub owner/name
 *   --expect-version <x.y.z>    fail unless package.json's version is this (a leading v is dropped)
 *   --keep                      keep the temporary folder with the tarball and its files
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { pathToFileURL } = require('url');

const REPO = path.resolve(__dirname, '..');
const SCANNER = '@n8n/scan-community-package 0.32.0';

/** `1 error`, `2 errors`. @param {number} n @param {string} word */
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {{ tarball?: string, packageDir?: string, sourceDir: string, source: boolean, expectRepository?: string, expectVersion?: string, keep: boolean }} */
	const o = { sourceDir: REPO, source: true, keep: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--tarball') o.tarball = path.resolve(value());
		else if (a === '--package-dir') o.packageDir = path.resolve(value());
		else if (a === '--source-dir') o.sourceDir = path.resolve(value());
		else if (a === '--no-source') o.source = false;
		else if (a === '--expect-repository') o.expectRepository = value();
		else if (a === '--expect-version') o.expectVersion = value().replace(/^v/, '');
		else if (a === '--keep') o.keep = true;
		else if (a === '--help' || a === '-h') {
			const header = fs
				.readFileSync(__filename, 'utf8')
				.split('\n')
				.filter((l) => /^ \*( |$)/.test(l));
			console.log(header.map((l) => l.slice(3).replace(/\\\//g, '/')).join('\n'));
			process.exit(0);
		} else throw new Error(`unknown option ${a} (see --help)`);
	}
	if (o.tarball && o.packageDir) throw new Error('give --tarball or --package-dir, not both');
	return o;
}

/**
 * The package.json of an installed package, found by walking up from its resolved entry file
 * (the plugins export only their entry, not package.json).
 * @param {string} entry
 * @param {string} name
 */
function packageJsonAbove(entry, name) {
	for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) {
			const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
			if (pkg.name === name) return pkg;
		}
	}
	throw new Error(`package.json of ${name} not found above ${entry}`);
}

/**
 * The scanner's flat ESLint config (scanner.mjs `buildScanConfig`), built from the plugins that
 * @n8n/node-cli installs, plus a description of the rule sets for the report.
 */
async function buildScanConfig() {
	const cliEntry = require.resolve('@n8n/node-cli/eslint');
	const fromCli = (/** @type {string} */ id) =>
		require.resolve(id, { paths: [path.dirname(cliEntry)] });
	const communityEntry = fromCli('@n8n/eslint-plugin-community-nodes');
	const { n8nCommunityNodesPlugin } = await import(pathToFileURL(communityEntry).href);
	const parserEntry = fromCli('@typescript-eslint/parser');
	const parserModule = require(parserEntry);
	const parser = parserModule.default ?? parserModule;
	const n8nNodesEntry = fromCli('eslint-plugin-n8n-nodes-base');
	const n8nNodesPlugin = require(n8nNodesEntry);
	const { defineConfig } = require('eslint/config');

	const credentialsOff = {
		'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
	};
	const nodesOff = {
		'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
		'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
	};
	const config = defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{ files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: { ...n8nNodesPlugin.configs.credentials.rules, ...credentialsOff },
		},
		{ files: ['**/nodes/**/*.ts'], rules: { ...n8nNodesPlugin.configs.nodes.rules, ...nodesOff } },
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
		// Directives are not read at all with allowInlineConfig: false; this only makes sure an
		// unused one could never be reported either.
		{ linterOptions: { reportUnusedDisableDirectives: 'off' } },
	);

	/** @param {Record<string, unknown>} rules @param {Record<string, unknown>} [off] */
	const count = (rules, off = {}) => {
		const on = Object.entries(rules).filter(
			([id, level]) => !(id in off) && level !== 'off' && level !== 0,
		);
		const errors = on.filter(
			([, level]) =>
				level === 'error' ||
				level === 2 ||
				(Array.isArray(level) && (level[0] === 'error' || level[0] === 2)),
		);
		return { errors: errors.length, warnings: on.length - errors.length };
	};
	const rec = count(n8nCommunityNodesPlugin.configs.recommended.rules);
	const communityVersion = packageJsonAbove(
		communityEntry,
		'@n8n/eslint-plugin-community-nodes',
	).version;
	const n8nNodesVersion = packageJsonAbove(n8nNodesEntry, 'eslint-plugin-n8n-nodes-base').version;
	const eslintVersion = require('eslint/package.json').version;
	const ruleSets = [
		`@n8n/eslint-plugin-community-nodes ${communityVersion} "recommended" (n8n Cloud variant): ${rec.errors} error + ${rec.warnings} warning rules, every file`,
		`core no-console: error, every file`,
		`eslint-plugin-n8n-nodes-base ${n8nNodesVersion} "community": ${count(n8nNodesPlugin.configs.community.rules).errors} rules on package.json`,
		`eslint-plugin-n8n-nodes-base ${n8nNodesVersion} "credentials": ${count(n8nNodesPlugin.configs.credentials.rules, credentialsOff).errors} rules on credentials/**/*.ts`,
		`eslint-plugin-n8n-nodes-base ${n8nNodesVersion} "nodes": ${count(n8nNodesPlugin.configs.nodes.rules, nodesOff).errors} rules on nodes/**/*.ts`,
		`ESLint ${eslintVersion}, inline eslint-disable/eslint-enable comments ignored (allowInlineConfig: false)`,
	];
	return { config, ruleSets };
}

/**
 * Files below `root` whose path relative to it passes `accept`; like the scanner's fast-glob
 * call: dot-files and dot-folders are skipped, as are node_modules and package-lock.json.
 * @param {string} root
 * @param {(rel: string) => boolean} accept
 */
function listFiles(root, accept) {
	/** @type {string[]} */
	const out = [];
	/** @param {string} dir */
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile() && entry.name !== 'package-lock.json') {
				const rel = path.relative(root, full).split(path.sep).join('/');
				if (accept(rel)) out.push(full);
			}
		}
	};
	walk(root);
	return out.sort();
}

/** Scanner tarball leg: `['**\/*.js', 'package.json']`. @param {string} rel */
const tarballFile = (rel) => rel === 'package.json' || rel.endsWith('.js');
/** Scanner source leg: `['package.json', '{nodes,credentials}/**\/*.{js,ts,json}']`. @param {string} rel */
const sourceFile = (rel) =>
	rel === 'package.json' || /^(nodes|credentials)\/.+\.(js|ts|json)$/.test(rel);

/** Inline ESLint directives in a file (they are ignored, but worth knowing about). @param {string} file */
function countDirectives(file) {
	if (file.endsWith('.json')) return 0;
	return (fs.readFileSync(file, 'utf8').match(/\/[/*]\s*eslint(-disable|-enable|\s)/g) ?? [])
		.length;
}

/**
 * Lints `files` with the scanner's settings; returns the counts and the formatted report.
 * @param {string} cwd
 * @param {string[]} files
 * @param {unknown} config
 */
async function lint(cwd, files, config) {
	const { ESLint } = require('eslint');
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: /** @type {any} */ (config),
	});
	const results = await eslint.lintFiles(files);
	const active = new Set();
	for (const file of files) {
		const cfg = await eslint.calculateConfigForFile(file);
		for (const [id, setting] of Object.entries(cfg?.rules ?? {})) {
			const level = Array.isArray(setting) ? setting[0] : setting;
			if (level !== 0 && level !== 'off') active.add(id);
		}
	}
	const errors = results.reduce((n, r) => n + r.errorCount, 0); // includes parse errors (fatal)
	const warnings = results.reduce((n, r) => n + r.warningCount, 0);
	const formatter = await eslint.loadFormatter('stylish');
	const report = errors + warnings ? await formatter.format(results) : '';
	const byRule = new Map();
	for (const r of results)
		for (const m of r.messages)
			if (m.severity === 2)
				byRule.set(m.ruleId ?? '(parse error)', (byRule.get(m.ruleId ?? '(parse error)') ?? 0) + 1);
	return {
		errors,
		warnings,
		report,
		activeRules: active.size,
		byRule,
		directives: files.reduce((n, f) => n + countDirectives(f), 0),
	};
}

/** `{ owner, name }` of a github.com URL, or null. @param {unknown} url */
function githubRepo(url) {
	if (typeof url !== 'string') return null;
	const m =
		/^(?:git\+)?https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?(?:[#/].*)?$/.exec(
			url,
		);
	return m ? `${m[1]}/${m[2]}` : null;
}

/**
 * Offline stand-ins for the scanner's provenance-based source checks, and what the publish
 * workflow needs: one GitHub owner/name in repository, homepage and bugs (npm refuses a
 * provenance publish whose repository.url differs from the building repository).
 * @param {any} pkg
 * @param {{ expectRepository?: string, expectVersion?: string }} o
 */
function checkMetadata(pkg, o) {
	const problems = [];
	const repositoryUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	const repo = githubRepo(repositoryUrl);
	if (!repo)
		problems.push(
			`repository.url must be a github.com repository (git+https://github.com/<owner>/<name>.git), got ${JSON.stringify(repositoryUrl)}`,
		);
	for (const [field, url] of [
		['homepage', pkg.homepage],
		['bugs.url', pkg.bugs?.url],
	]) {
		const other = githubRepo(url);
		if (!other)
			problems.push(
				`${field} must be a github.com URL of the repository, got ${JSON.stringify(url)}`,
			);
		else if (repo && other.toLowerCase() !== repo.toLowerCase())
			problems.push(`${field} names ${other}, repository.url names ${repo}`);
	}
	if (!pkg.author?.name || !pkg.author?.email) problems.push('author needs a name and an email');
	if (o.expectRepository && repo && repo.toLowerCase() !== o.expectRepository.toLowerCase()) {
		problems.push(
			`package.json names the repository ${repo}, but this is ${o.expectRepository}: npm's provenance check would refuse the publish`,
		);
	}
	if (o.expectVersion && pkg.version !== o.expectVersion)
		problems.push(`package.json has version ${pkg.version}, the tag says ${o.expectVersion}`);
	return { repo, problems };
}

/**
 * github.com repository links in files that should name this package's own repository (the
 * codex files' documentation links, CHANGELOG.md's compare links) that name another one.
 * @param {string | null} repo owner/name from package.json
 * @param {{ file: string, label: string }[]} files
 */
function checkRepoLinks(repo, files) {
	const problems = [];
	let checked = 0;
	for (const { file, label } of files) {
		if (!repo || !fs.existsSync(file)) continue;
		checked++;
		const text = fs.readFileSync(file, 'utf8');
		for (const m of text.matchAll(
			/https:\/\/github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?(?=[/#)"'\s>]|$)/g,
		)) {
			const other = `${m[1]}/${m[2]}`;
			if (other.toLowerCase() !== repo.toLowerCase())
				problems.push(`${label} links to github.com/${other}, package.json names ${repo}`);
		}
	}
	return { checked, problems: [...new Set(problems)] };
}

/** @param {string} cmd @param {string[]} args @param {string} cwd */
function run(cmd, args, cwd) {
	const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
	return r.stdout;
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-package-'));
	/** @type {string[]} */
	const failures = [];
	try {
		const { config, ruleSets } = await buildScanConfig();

		// The package as users get it.
		let packageDir = o.packageDir;
		let tarballNote = `${packageDir} (unpacked package given)`;
		if (!packageDir) {
			let tarball = o.tarball;
			if (!tarball) {
				const srcPkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
				const missing = [...(srcPkg.n8n?.nodes ?? []), ...(srcPkg.n8n?.credentials ?? [])].filter(
					(f) => !fs.existsSync(path.join(REPO, f)),
				);
				if (missing.length)
					throw new Error(`${missing.join(', ')} missing: run npm run build first`);
				// --ignore-scripts as in the repo's .npmrc; pack never runs prepublishOnly anyway.
				const out = run(
					'npm',
					['pack', '--ignore-scripts', '--json', '--pack-destination', tmp],
					REPO,
				);
				const json = JSON.parse(out.slice(out.indexOf('[')));
				tarball = path.join(tmp, json[0].filename);
				tarballNote = `npm pack → ${json[0].filename}, ${json[0].entryCount} files, ${(json[0].size / 1024).toFixed(0)} kB`;
			} else tarballNote = path.basename(tarball);
			packageDir = path.join(tmp, 'package');
			fs.mkdirSync(packageDir);
			run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], tmp);
		}
		const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));

		console.log(`scan: ${pkg.name}@${pkg.version}, offline, with the checks of ${SCANNER}`);
		console.log('rules:');
		for (const line of ruleSets) console.log(`  - ${line}`);

		// 1. metadata (stand-in for the attestation → public GitHub repository link)
		const meta = checkMetadata(pkg, o);
		const shipped = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
		for (const f of shipped)
			if (!fs.existsSync(path.join(packageDir, f)))
				meta.problems.push(`n8n entry ${f} is not in the tarball`);
		const linkFiles = listFiles(packageDir, (rel) => rel.endsWith('.node.json')).map((file) => ({
			file,
			label: `tarball ${path.relative(packageDir, file)}`,
		}));
		if (o.source)
			linkFiles.push({ file: path.join(o.sourceDir, 'CHANGELOG.md'), label: 'CHANGELOG.md' });
		const links = checkRepoLinks(meta.repo, linkFiles);
		meta.problems.push(...links.problems);
		if (meta.problems.length) failures.push(...meta.problems.map((p) => `metadata: ${p}`));
		console.log(
			`[1/4] metadata: ${meta.problems.length ? 'FAIL' : 'ok'} — repository github.com/${meta.repo ?? '?'} ` +
				`(checked repository, homepage, bugs and the GitHub links of ${links.checked} codex/changelog files), author, ` +
				`${shipped.length} n8n entries present in the tarball` +
				`${o.expectRepository ? `, expected repository ${o.expectRepository}` : ''}${o.expectVersion ? `, expected version ${o.expectVersion}` : ''}`,
		);
		for (const p of meta.problems) console.log(`      ✗ ${p}`);

		// 2. tarball leg
		const tarFiles = listFiles(packageDir, tarballFile);
		const t = await lint(packageDir, tarFiles, config);
		const tarJs = tarFiles.filter((f) => f.endsWith('.js')).length;
		console.log(
			`[2/4] tarball: ${tarballNote}; linted ${tarFiles.length} files (${tarJs} .js + package.json), ${t.activeRules} rules active: ` +
				`${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}${t.directives ? ` (${t.directives} inline eslint comments ignored)` : ''}`,
		);
		if (t.report) console.log(t.report.trimEnd());
		if (t.errors)
			failures.push(
				`tarball: ${plural(t.errors, 'ESLint error')} (${[...t.byRule.keys()].join(', ')})`,
			);

		// 3. source leg
		if (o.source) {
			const srcFiles = listFiles(o.sourceDir, sourceFile);
			const s = await lint(o.sourceDir, srcFiles, config);
			const ts = srcFiles.filter((f) => f.endsWith('.ts')).length;
			console.log(
				`[3/4] source: ${path.relative(process.cwd(), o.sourceDir) || '.'}; linted ${srcFiles.length} files (package.json + ${ts} .ts + ${srcFiles.length - 1 - ts} .js/.json under nodes/ and credentials/), ` +
					`${s.activeRules} rules active: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.directives ? ` (${s.directives} inline eslint comments ignored)` : ''}`,
			);
			if (s.report) console.log(s.report.trimEnd());
			if (s.errors)
				failures.push(
					`source: ${plural(s.errors, 'ESLint error')} (${[...s.byRule.keys()].join(', ')})`,
				);
		} else console.log('[3/4] source: skipped (--no-source)');

		// 4. provenance
		console.log(
			'[4/4] provenance: not checked — it needs a version published from GitHub Actions with provenance (.github/workflows/publish.yml)',
		);

		const secs = ((Date.now() - started) / 1000).toFixed(1);
		if (failures.length) {
			console.log(`\nSCAN FAILED in ${secs} s:\n- ${failures.join('\n- ')}`);
			process.exitCode = 1;
		} else console.log(`\nSCAN PASSED in ${secs} s: every scanner check except provenance`);
		if (o.keep)
			console.log(
				`kept ${tmp}${o.packageDir ? '' : ` (unpacked package in ${path.join(tmp, 'package')})`}`,
			);
	} finally {
		if (!o.keep) fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(`SCAN FAILED: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
});

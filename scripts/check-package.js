#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Checks the built package the way n8n and the community-node verification see it: every file
 * in package.json's `n8n` section exists in dist/ and loads, its class is named after the file,
 * every icon it points at was copied, and the package has no runtime dependencies.
 * Run after `npm run build` (test:all does).
 */
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];
const check = (ok, message) => ok || problems.push(message);

check(
	!pkg.dependencies || Object.keys(pkg.dependencies).length === 0,
	'package.json has runtime dependencies',
);
check(
	JSON.stringify(pkg.peerDependencies) === '{"n8n-workflow":"*"}',
	'peerDependencies must be exactly {"n8n-workflow":"*"}',
);
check(
	pkg.keywords?.includes('n8n-community-node-package'),
	'keyword n8n-community-node-package is missing',
);
check(pkg.license === 'MIT', 'licence must be MIT');
check(JSON.stringify(pkg.files) === '["dist"]', 'files must be ["dist"]');
check(
	pkg.n8n?.n8nNodesApiVersion === 1 && pkg.n8n?.strict === true,
	'n8n.n8nNodesApiVersion 1 and strict true',
);
for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
	check(!pkg.scripts?.[hook], `lifecycle script "${hook}" is not allowed`);
}

const iconFiles = (icon, dir) =>
	(typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [])
		.filter((i) => typeof i === 'string' && i.startsWith('file:'))
		.map((i) => path.join(dir, i.slice('file:'.length)));

for (const rel of [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])]) {
	const file = path.join(root, rel);
	if (!fs.existsSync(file)) {
		problems.push(`${rel} is missing; run npm run build`);
		continue;
	}
	const className = path.basename(rel).split('.')[0];
	const Class = require(file)[className];
	if (typeof Class !== 'function') {
		problems.push(`${rel} does not export a class named ${className}`);
		continue;
	}
	const instance = new Class();
	const icon = instance.description?.icon ?? instance.icon;
	check(icon, `${rel} has no icon`);
	for (const iconPath of iconFiles(icon, path.dirname(file))) {
		check(
			fs.existsSync(iconPath),
			`${rel}: icon ${path.relative(root, iconPath)} is missing from dist`,
		);
	}
	if (rel.endsWith('.node.js')) {
		const codex = file.replace(/\.js$/, '.json');
		check(fs.existsSync(codex), `${rel}: codex file ${path.relative(root, codex)} is missing`);
		// Action nodes double as AI-agent tools; a trigger cannot be one.
		const isTrigger = (instance.description?.group ?? []).includes('trigger');
		check(
			isTrigger
				? instance.description?.usableAsTool !== true
				: instance.description?.usableAsTool === true,
			`${rel}: usableAsTool must be ${isTrigger ? 'unset on a trigger' : 'true'}`,
		);
	}
}

if (problems.length) {
	console.error(`package check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(
	`package check: ${pkg.n8n.nodes.length} nodes, ${pkg.n8n.credentials.length} credential(s), icons and codex files present in dist/`,
);

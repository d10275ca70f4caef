import { describe, expect, it } from '@jest/globals';

import { filesMatching, importsInto, packageImports, sourceFiles } from '../support/imports';
import { oversized } from '../support/sizes';

describe('layout', () => {
	it('finds the development tools it checks', () => {
		expect(sourceFiles('dev')).toEqual(
			expect.arrayContaining([
				'dev/simulator/index.js',
				'dev/stack/stack.js',
				'dev/live/connect.js',
			]),
		);
	});

	it('test/ may import dev/, never the other way round', () => {
		expect(importsInto('dev', ['test'])).toEqual([]);
		expect(importsInto('test', ['dev']).length).toBeGreaterThan(0);
	});

	it('the shipped package imports neither dev/ nor test/', () => {
		expect(importsInto('nodes', ['dev', 'test'])).toEqual([]);
		expect(importsInto('credentials', ['dev', 'test'])).toEqual([]);
	});

	it('scripts, bench and examples use dev/, never test/', () => {
		expect(importsInto('scripts', ['test'])).toEqual([]);
		expect(importsInto('bench', ['test'])).toEqual([]);
	});

	it('no file in nodes/ is over 400 lines and no function over 80 (see DEVELOPERS.md)', () => {
		expect(oversized('nodes', { maxFileLines: 400, maxFunctionLines: 80 })).toEqual([]);
	});

	it('the size check finds long functions', () => {
		expect(
			oversized('test/unit', { maxFileLines: 10_000, maxFunctionLines: 80 }).length,
		).toBeGreaterThan(0);
	});

	describe('the layers of the node (DEVELOPERS.md, "Layers")', () => {
		const NODE = 'nodes/VismaEAccounting';
		/** Folders by depth: a file imports its own folder and deeper ones, never a shallower one. */
		const DEPTH: Record<string, number> = {
			trigger: 1,
			methods: 1,
			actions: 2,
			services: 3,
			records: 4,
			transport: 5,
			domain: 6,
		};
		const folderOf = (target: string) => target.slice(NODE.length + 1).split('/')[0];
		// The node files (VismaEAccounting.node.ts, ...) sit on top, at depth 0.
		const depthOf = (target: string) => DEPTH[folderOf(target)] ?? 0;

		/** "file -> target" imports that go up (or sideways into another folder of the same depth). */
		const upward = (edges: string[]) =>
			edges.filter((edge) => {
				const [file, target] = edge.split(' -> ');
				if (folderOf(file) === folderOf(target)) return false;
				return depthOf(target) <= depthOf(file);
			});
		const edges = importsInto(NODE, [NODE]);

		it('every import goes deeper: node files, trigger and methods, actions, services, records, transport, domain', () => {
			expect(edges.length).toBeGreaterThan(100);
			expect(upward(edges)).toEqual([]);
		});

		it('the check finds an import that goes up', () => {
			expect(
				upward([
					`${NODE}/services/drafts.ts -> ${NODE}/actions/shared/items`,
					`${NODE}/trigger/poll.ts -> ${NODE}/methods/index`,
					`${NODE}/actions/router.ts -> ${NODE}/services/outcome`,
				]),
			).toEqual([
				`${NODE}/services/drafts.ts -> ${NODE}/actions/shared/items`,
				`${NODE}/trigger/poll.ts -> ${NODE}/methods/index`,
			]);
		});

		it('records/ reads only domain/ and the filter builder of transport/', () => {
			const records = importsInto(`${NODE}/records`, [NODE]).filter(
				(edge) => !edge.split(' -> ')[1].startsWith(`${NODE}/records/`),
			);
			expect(records.length).toBeGreaterThan(0);
			expect(
				records.filter(
					(edge) =>
						!edge.split(' -> ')[1].startsWith(`${NODE}/domain/`) &&
						!edge.endsWith(`-> ${NODE}/transport/filter`),
				),
			).toEqual([]);
		});

		it('domain/ and records/ import no package (no n8n): they are plain rules and data', () => {
			expect(packageImports(`${NODE}/domain`)).toEqual([]);
			expect(packageImports(`${NODE}/records`)).toEqual([]);
			expect(packageImports(`${NODE}/actions`).length).toBeGreaterThan(0);
		});

		it('only transport/ sends HTTP requests', () => {
			const http =
				/\.(httpRequest|httpRequestWithAuthentication|request|requestWithAuthentication|requestOAuth2)\(/;
			const outside = filesMatching(NODE, http).filter(
				(line) => !line.startsWith(`${NODE}/transport/`) && /helpers/.test(line),
			);
			expect(
				filesMatching(`${NODE}/transport`, /httpRequestWithAuthentication/).length,
			).toBeGreaterThan(0);
			expect(outside).toEqual([]);
			expect(filesMatching('credentials', http)).toEqual([]);
		});
	});
});

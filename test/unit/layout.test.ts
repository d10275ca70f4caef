import { describe, expect, it } from '@jest/globals';

import { importsInto, sourceFiles } from '../support/imports';
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
});

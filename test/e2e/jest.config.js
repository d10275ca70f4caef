/**
 * Real-n8n end-to-end suite: `npm run test:e2e`. It builds and packs the package, installs the
 * pinned n8n runtime (dev/stack/setup-runtime.sh), and runs n8n processes against the Visma
 * simulator. Suites run one after another (they start n8n, Redis and PostgreSQL processes).
 */
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
/** `npm run test:e2e:matrix` (test/e2e/run-matrix.js) sets this to run only the version-matrix suite. */
const matrix = process.env.VISMA_E2E_SUITE === 'matrix';

module.exports = {
	rootDir: root,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	// The matrix suite runs per n8n version through the matrix runner; the full suites run on the
	// pinned version (npm run test:e2e), which the matrix covers as well.
	testMatch: matrix
		? ['<rootDir>/test/e2e/matrix.e2e.test.ts']
		: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	testPathIgnorePatterns: matrix
		? ['/node_modules/']
		: ['/node_modules/', '<rootDir>/test/e2e/matrix.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/support/global-setup.js',
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 120,
	verbose: true,
};

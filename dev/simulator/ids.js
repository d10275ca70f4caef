// @ts-check
'use strict';

const { createHash, randomUUID } = require('crypto');

/**
 * A stable UUID (version-4 layout) derived from a name, for seed data that tests can name.
 * @param {string} name
 */
function seedId(name) {
	const h = createHash('sha256').update(`visma-eaccounting-simulator:${name}`).digest('hex');
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** @type {() => string} */
let generator = () => randomUUID();

/** New id for a record; random except while seeding. */
function newId() {
	return generator();
}

/**
 * Runs fn with ids derived from prefix (prefix:0, prefix:1, ...) so seeded data is identical on every run.
 * Seeding is synchronous, so swapping the generator cannot leak into concurrent requests.
 * @template T
 * @param {string} prefix
 * @param {() => T} fn
 * @returns {T}
 */
function withSeedIds(prefix, fn) {
	const previous = generator;
	let n = 0;
	generator = () => seedId(`${prefix}:${n++}`);
	try {
		return fn();
	} finally {
		generator = previous;
	}
}

module.exports = { newId, seedId, withSeedIds };

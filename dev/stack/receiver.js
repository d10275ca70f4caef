// @ts-check
'use strict';

/**
 * A small HTTP server standing in for the source app (the field-service or invoicing app the
 * invoices were approved in): it records every request it gets, answers 200, and lets a caller
 * wait for one. The demo and the e2e suite point the Invoice Paid example's HTTP Request at it.
 */

const http = require('http');

/**
 * @typedef {object} Received
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {any} body parsed JSON, or the raw text
 * @property {string} at ISO time
 */

/**
 * @param {{ port?: number, log?: (msg: string) => void }} [o]
 */
async function startReceiver(o = {}) {
	/** @type {Received[]} */
	const received = [];
	/** @type {Array<() => void>} */
	const listeners = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body = text;
			try {
				body = text ? JSON.parse(text) : null;
			} catch {
				// Kept as text.
			}
			received.push({
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: req.headers,
				body,
				at: new Date().toISOString(),
			});
			o.log?.(`[source app] ${req.method} ${req.url} ${text.slice(0, 300)}`);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
			for (const listener of listeners.splice(0)) listener();
		});
	});
	await new Promise((resolve) => server.listen(o.port ?? 0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${address.port}`;
	return {
		url,
		received,
		/**
		 * The first request `match` accepts, waiting at most `timeoutMs` for it.
		 * @param {(r: Received) => boolean} match
		 * @param {number} timeoutMs
		 * @returns {Promise<Received>}
		 */
		async waitFor(match, timeoutMs) {
			const until = Date.now() + timeoutMs;
			for (;;) {
				const hit = received.find(match);
				if (hit) return hit;
				const left = until - Date.now();
				if (left <= 0)
					throw new Error(
						`the source app got no matching request within ${Math.round(timeoutMs / 1000)} s (${received.length} others)`,
					);
				await new Promise((resolve) => {
					const timer = setTimeout(resolve, Math.min(left, 1000));
					listeners.push(() => {
						clearTimeout(timer);
						resolve(undefined);
					});
				});
			}
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

module.exports = { startReceiver };

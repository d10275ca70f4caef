// @ts-check
'use strict';

const { send } = require('./server');

/** @typedef {import('./index').Simulator} Simulator */

/**
 * Out-of-process control API under /__sim (no auth): the same operations as the JS API.
 * @param {() => Simulator} getSim
 */
function createControl(getSim) {
	/**
	 * @param {import('http').IncomingMessage} _req
	 * @param {import('http').ServerResponse} res
	 * @param {string} method
	 * @param {string} pathname
	 * @param {URLSearchParams} query
	 * @param {Buffer} rawBody
	 */
	return async (_req, res, method, pathname, query, rawBody) => {
		const sim = getSim();
		/** @type {any} */
		let body = {};
		if (rawBody.length) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				send(res, 400, { error: 'The control API expects a JSON body.' });
				return;
			}
		}
		const path = pathname.replace(/^\/__sim/, '') || '/';
		const route = `${method} ${path}`;
		try {
			if (route === 'GET /stats') return send(res, 200, sim.stats());
			if (route === 'POST /reset-stats') {
				sim.resetStats();
				return send(res, 200, { ok: true });
			}
			if (route === 'GET /log') {
				const since = Number(query.get('since') ?? 0);
				return send(
					res,
					200,
					sim.log.filter((e) => e.seq > since),
				);
			}
			if (route === 'POST /clear-log') {
				sim.log.length = 0;
				return send(res, 200, { ok: true });
			}
			if (route === 'GET /company' || route === 'GET /state/companysettings')
				return send(res, 200, sim.companySettings());
			if (route === 'POST /company') return send(res, 200, sim.setCompanySettings(body));
			const state = /^GET \/state\/([a-z]+)$/.exec(route);
			if (state) return send(res, 200, sim.list(/** @type {any} */ (state[1])));
			if (route === 'POST /reset') {
				sim.reset(body.seed);
				return send(res, 200, { ok: true });
			}
			if (route === 'POST /configure') {
				sim.configure(body);
				return send(res, 200, { ok: true });
			}
			if (route === 'POST /tokens')
				return send(res, 200, sim.issueTokens({ scopes: body.scopes, companyId: body.companyId }));
			if (route === 'POST /expire-tokens') {
				sim.expireAccessTokens();
				return send(res, 200, { ok: true });
			}
			if (route === 'POST /fault') {
				sim.injectFault(body);
				return send(res, 200, { ok: true });
			}
			const pay = /^POST \/invoices\/([^/]+)\/pay$/.exec(route);
			if (pay) return send(res, 200, sim.markInvoicePaid(decodeURIComponent(pay[1])));
			if (route === 'POST /api') {
				const r = sim.api(body.method, body.path, body.body);
				return send(res, 200, {
					status: r.status,
					body: Buffer.isBuffer(r.body) ? r.body.toString('base64') : r.body,
				});
			}
			if (route === 'GET /clock') return send(res, 200, { now: sim.clock.now().toISOString() });
			if (route === 'POST /clock') {
				if (body.set !== undefined) sim.clock.set(body.set);
				if (body.advanceMs !== undefined) sim.clock.advance(Number(body.advanceMs));
				return send(res, 200, { now: sim.clock.now().toISOString() });
			}
			if (route === 'GET /health') return send(res, 200, { ok: true, url: sim.url });
			return send(res, 404, { error: `Unknown control route ${route}` });
		} catch (e) {
			return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
		}
	};
}

module.exports = { createControl };

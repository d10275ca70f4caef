#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * npm run test:live — checks our assumptions against a real Visma eAccounting sandbox.
 *
 * Needs VISMA_CLIENT_ID, VISMA_CLIENT_SECRET and a refresh token (VISMA_REFRESH_TOKEN, or the
 * live file written by `npm run live:connect`, default .live/visma-sandbox.json, git-ignored).
 * Without them it prints one line and exits 0; it is not part of test:all and never runs in CI.
 * VISMA_API_URL / VISMA_IDENTITY_URL point it elsewhere (the local simulator, a proxy).
 *
 * It runs the probes (probes.js), one export round trip through the node (roundtrip.js),
 * deletes what it created where Visma allows, prints a findings table and writes the findings
 * to .live/findings-<timestamp>.json. Exit code: 0 when the round trip passed, 1 when it failed,
 * 2 for bad settings. Probes that DIFFER from our assumptions are findings, not failures.
 */

const {
	FINDINGS_DIR,
	displayPath,
	liveSettings,
	readLiveFile,
	unignoredInRepo,
} = require('./config');

/**
 * Deletes the probe drafts, then the probe customers. Articles use fixed numbers and are kept.
 * @param {import('./api').Api} api
 * @param {import('./probes').Probes} probes
 * @returns {Promise<import('./probes').Finding>}
 */
async function cleanUp(api, probes) {
	const { answerOf, shortAnswer } = require('./api');
	const left = [];
	let deleted = 0;
	for (const [collection, records] of /** @type {const} */ ([
		['customerinvoicedrafts', probes.ledger.drafts],
		['customers', probes.ledger.customers],
	])) {
		for (const r of records) {
			try {
				const a = await api.call('DELETE', `/${collection}/${r.id}`);
				if (a.status >= 200 && a.status < 300) deleted++;
				else left.push({ collection, ...r, answer: answerOf(a), short: shortAnswer(a) });
			} catch (error) {
				left.push({
					collection,
					...r,
					short: error instanceof Error ? error.message : String(error),
				});
			}
		}
	}
	const kept = probes.ledger.articles.map((a) => `${a.number}${a.created ? ' (created now)' : ''}`);
	return {
		name: 'cleanUp',
		assumption: 'every probe draft and customer can be deleted (articles are kept and reused)',
		verdict: left.length ? 'DIFFERS' : 'OK',
		result: `deleted ${deleted}${left.length ? `; left ${left.map((l) => `${l.what} ${l.id}: ${l.short}`).join('; ')}` : ''}; kept articles ${kept.join(', ') || 'none'}`,
		details: { left, keptArticles: probes.ledger.articles },
	};
}

async function main() {
	const decision = liveSettings(process.env, { readLiveFile });
	if (!decision.run) {
		(decision.exitCode ? process.stderr : process.stdout).write(`${decision.line}\n`);
		process.exitCode = decision.exitCode;
		return;
	}
	const s = decision.settings;
	const refused = unignoredInRepo(s.liveFile);
	if (refused) {
		process.stderr.write(`test:live: ${refused}\n`);
		process.exitCode = 2;
		return;
	}

	const { Api, HeaderRecorder } = require('./api');
	const { Session } = require('./oauth');
	const { Probes } = require('./probes');
	const { counts, table, writeFindings } = require('./report');

	const started = new Date();
	const liveFile = displayPath(s.liveFile);
	process.stdout.write(
		`test:live: API ${s.apiUrl}, identity ${s.identityUrl}, client ${s.clientId}, refresh token from ${s.refreshTokenSource === 'env' ? 'VISMA_REFRESH_TOKEN' : liveFile}${s.ci ? ' (CI=true)' : ''}\n`,
	);
	for (const note of s.notes) process.stdout.write(`test:live: ${note}\n`);

	const recorder = new HeaderRecorder(s.apiUrl);
	recorder.install();
	const session = new Session(s);
	try {
		await session.refresh('start');
	} catch (error) {
		process.stderr.write(`test:live: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
		return;
	}
	process.stdout.write(`test:live: token refreshed; the new refresh token is in ${liveFile}\n`);

	const run = Math.floor(Date.now() / 1000)
		.toString(36)
		.toUpperCase()
		.slice(-6);
	const api = new Api(session, s.apiUrl);
	const probes = new Probes(api, run);
	let roundTripOk = false;
	try {
		await probes.setUp(process.env);
		const c = probes.company;
		process.stdout.write(
			`test:live: company "${c.Name}" (${c.CountryCode ?? '?'}, ${c.CurrencyCode ?? '?'}), run ${run}; unit ${probes.refs.unitId}, coding "${probes.refs.codingName}"\n`,
		);
		process.stderr.write('probes:\n');
		await probes.all();
		process.stderr.write('round trip through the node:\n');
		const { roundTrip } = require('./roundtrip');
		const rt = await roundTrip({ api, session, settings: s, probes, run });
		probes.findings.push(...rt.findings);
		roundTripOk = rt.ok;
	} catch (error) {
		probes.findings.push({
			name: 'setUp',
			assumption: 'the company can be read and probe records created',
			verdict: 'ERROR',
			result: error instanceof Error ? error.message : String(error),
		});
	} finally {
		probes.findings.push(
			await cleanUp(api, probes).catch((error) => ({
				name: 'cleanUp',
				assumption: 'every probe draft and customer can be deleted',
				verdict: /** @type {'ERROR'} */ ('ERROR'),
				result: error instanceof Error ? error.message : String(error),
			})),
		);
	}
	probes.tokenFinding(session);
	probes.rateLimitFinding(recorder);

	const tally = counts(probes.findings);
	const file = writeFindings(process.env.VISMA_LIVE_FINDINGS_DIR?.trim() || FINDINGS_DIR, {
		tool: 'n8n-nodes-visma-eaccounting test:live',
		startedUtc: started.toISOString(),
		finishedUtc: new Date().toISOString(),
		apiUrl: s.apiUrl,
		identityUrl: s.identityUrl,
		clientId: s.clientId,
		company: {
			Name: probes.company.Name,
			CountryCode: probes.company.CountryCode,
			CurrencyCode: probes.company.CurrencyCode,
		},
		run,
		roundTrip: roundTripOk ? 'passed' : 'failed',
		requests: api.calls,
		refreshes: session.refreshes.length,
		counts: tally,
		findings: probes.findings,
	});
	process.stdout.write(`\n${table(probes.findings)}\n\n`);
	process.stdout.write(
		`test:live: round trip ${roundTripOk ? 'PASSED' : 'FAILED'}; ${tally.OK} OK, ${tally.DIFFERS} DIFFERS, ${tally.ERROR} ERROR; ${api.calls} probe requests, ${session.refreshes.length} token refresh(es); findings in ${displayPath(file)}\n`,
	);
	process.exitCode = roundTripOk ? 0 : 1;
}

main().catch((error) => {
	process.stderr.write(`test:live: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});

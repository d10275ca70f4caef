// @ts-check
'use strict';

/**
 * A complete local setup: the Visma simulator, an n8n user folder with this package installed
 * like a community package, the credential and workflows imported with n8n's CLI, one n8n main
 * process (plus, in queue mode, Redis, PostgreSQL and worker processes), an owner account and a
 * public-API key, and the workflows activated. Used by the e2e suite and `npm run demo`.
 * The processes come from processes.js, everything said to n8n goes through n8nClient.js.
 */

const fs = require('fs');
const path = require('path');
const { freePort } = require('./runtime');
const { OWNER } = require('./n8n');
const { N8nCli, N8nClient } = require('./n8nClient');
const {
	Cleanups,
	startServices,
	prepareUserFolder,
	startMain,
	startWorkers,
} = require('./processes');
const { EXAMPLE_CREDENTIAL, isActivatable } = require('./examples');

/** @typedef {import('./runtime').Runtime} Runtime */
/** @typedef {import('./examples').Workflow} Workflow */
/** @typedef {Awaited<ReturnType<typeof import('../simulator').startSimulator>>} Simulator */
/** @typedef {import('./processes').StackContext} StackContext */

/**
 * @typedef {object} StackOptions
 * @property {Runtime} rt
 * @property {string} tarball the packed package (npm pack)
 * @property {string} workDir logs, user folders, import files
 * @property {Simulator} sim a running simulator
 * @property {Workflow[]} workflows imported with `n8n import:workflow`
 * @property {string[]} [activate] workflow ids to activate (default: every imported workflow with a trigger)
 * @property {number} [port] n8n port (default: a free one)
 * @property {{ workers: number, concurrency?: number } | null} [queue] queue mode with Redis and workers
 * @property {'sqlite' | 'postgres'} [db] default sqlite; queue mode should use postgres
 * @property {'expired' | 'valid'} [accessToken] the imported access token: expired (default) or valid
 * @property {string} [filesDir] the one folder n8n may read and write files in (default <workDir>/files)
 * @property {Record<string, string>} [env] extra environment for every n8n process
 * @property {object[]} [credentials] more credentials to import ({ id, name, type, data })
 * @property {(msg: string) => void} [log]
 */

/**
 * The credential every example uses, in the Custom environment pointing at the simulator, with
 * tokens the simulator issued.
 * @param {Simulator} sim
 * @param {'expired' | 'valid'} accessToken
 */
function simulatorCredential(sim, accessToken) {
	// ea:purchase_readonly (an Additional Scope) lets Record Payment list the bank accounts.
	const pair = sim.issueTokens({
		scopes: ['ea:api', 'offline_access', 'ea:sales', 'ea:purchase_readonly'],
	});
	if (accessToken === 'expired') sim.expireAccessTokens();
	return {
		id: EXAMPLE_CREDENTIAL.id,
		name: EXAMPLE_CREDENTIAL.name,
		type: 'vismaEAccountingOAuth2Api',
		data: {
			environment: 'custom',
			identityUrl: sim.url,
			apiUrl: sim.url,
			clientId: 'sim-client',
			clientSecret: 'sim-secret',
			additionalScopes: 'ea:purchase_readonly',
			oauthTokenData: {
				access_token: pair.access_token,
				refresh_token: pair.refresh_token,
				token_type: 'Bearer',
				expires_in: 3600,
			},
		},
	};
}

/** '12.3 s' since the call, for progress lines. */
function stopwatch() {
	const t0 = Date.now();
	return () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

/**
 * Imports the credential and the workflows with n8n's CLI, before the server starts.
 * @param {StackContext} ctx
 * @param {N8nCli} cli
 * @param {object[]} credentials
 * @param {Workflow[]} workflows
 */
async function importAll(ctx, cli, credentials, workflows) {
	ctx.log(`[stack] importing ${credentials.length} credential(s) (n8n import:credentials)`);
	await cli.importCredentials(credentials);
	ctx.log(
		`[stack] importing ${workflows.length} workflow(s) (n8n import:workflow) (${ctx.since()})`,
	);
	await cli.importWorkflows(workflows);
}

/**
 * @param {StackContext} ctx
 * @param {N8nClient} client
 * @param {string[]} workflowIds
 */
async function activateAll(ctx, client, workflowIds) {
	await client.activate(workflowIds);
	ctx.log(`[stack] ${workflowIds.length} workflow(s) active (${ctx.since()})`);
}

/**
 * @param {StackOptions} o
 */
async function startStack(o) {
	fs.mkdirSync(o.workDir, { recursive: true });
	const cleanups = new Cleanups();
	const log = o.log ?? (() => {});
	const { rt, tarball, workDir } = o;
	const ctx = { rt, tarball, workDir, cleanups, log, since: stopwatch() };
	try {
		const mainFolder = path.join(o.workDir, 'n8n-main');
		const queue = !!o.queue;
		const { services, env: serviceEnv } = await startServices(ctx, { db: o.db, queue, mainFolder });
		log('[stack] preparing the n8n user folder and installing the package');
		await prepareUserFolder(ctx, mainFolder);

		const filesDir = o.filesDir ?? path.join(o.workDir, 'files');
		fs.mkdirSync(filesDir, { recursive: true });
		const env = { N8N_RESTRICT_FILE_ACCESS_TO: filesDir, ...(o.env ?? {}), ...serviceEnv };
		const cli = new N8nCli(o.rt, mainFolder, env, o.workDir);
		const credential = simulatorCredential(o.sim, o.accessToken ?? 'expired');
		await importAll(ctx, cli, [credential, ...(o.credentials ?? [])], o.workflows);

		const port = o.port ?? (await freePort());
		const main = await startMain(ctx, { folder: mainFolder, port, env, owner: OWNER, queue });
		const workers = o.queue ? await startWorkers(ctx, { ...o.queue, env }) : [];
		const client = await N8nClient.connect(main.url, OWNER);
		const toActivate = o.activate ?? o.workflows.filter(isActivatable).map((wf) => wf.id);
		await activateAll(ctx, client, toActivate);

		return {
			url: main.url,
			main,
			workers,
			api: client.api,
			sim: o.sim,
			owner: OWNER,
			credential,
			services,
			workDir: o.workDir,
			filesDir,
			webhook: client.webhook.bind(client),
			submitForm: client.submitForm.bind(client),
			/** The stored (decrypted) credential, read from n8n's database. */
			readCredential: () => cli.readCredential(credential.id),
			waitForExecutions: client.waitForExecutions.bind(client),
			lastExecutionId: client.lastExecutionId.bind(client),
			nextExecution: client.nextExecution.bind(client),
			executeCli: cli.execute.bind(cli),
			stop: () => cleanups.runAll(),
		};
	} catch (e) {
		await cleanups.runAll();
		throw e;
	}
}

module.exports = { startStack };

import { describe, expect, it } from '@jest/globals';
import { sleep } from 'n8n-workflow';

import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import { failureOf, lastSeq, writesAfter, draftsWith } from './simLog';
import type { TestBed } from './support';
import {
	exportInvoiceParameters,
	fromItem,
	SEED_IDS,
	testBed,
	closeAfterEach,
	otherProcess,
} from './support';
import { TriggerNode } from './triggerNode';
import { handMadeDraft } from '../support/simulator';

/**
 * The blind spots of exactly-once: each scenario lost or duplicated an invoice, or hung an
 * execution, before it was closed.
 */
type Json = Record<string, unknown>;

const approval = (ref: string, customer = 'K-1', extra: Json = {}) => ({
	invoiceNumber: ref,
	customer: { number: customer, name: `Kund ${customer} AB`, postalCode: '903 26', city: 'Umeå' },
	rows: [{ articleNumber: 'A100', text: 'Arbete', quantity: 2, unitPrice: 450 }],
	...extra,
});

let bed: TestBed;
closeAfterEach(() => bed);

describe('a reference that another customer already carries', () => {
	it("is a conflict, never the other customer's draft: the item fails and nothing is written", async () => {
		bed = await testBed({ seed: 'default' });
		// Typed by hand in eAccounting, or exported from another source system.
		const theirs = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: '1001' });
		const mark = lastSeq(bed);
		const { items } = await bed.run(exportInvoiceParameters, [approval('1001', 'K-NEW')], {
			continueOnFail: true,
		});
		expect(items[0].json.error).toBe(
			`Source reference 1001 is already used by draft ${String(theirs.Id)} of customer 1001 (${String(theirs.CustomerName)}) [item 0]`,
		);
		expect(items[0].json.message).toContain('Nothing was written');
		expect(writesAfter(bed, mark)).toEqual([]);
		expect(draftsWith(bed, '1001')).toHaveLength(1);

		// The same customer's draft is the same invoice, exported before.
		const same = await bed.run(exportInvoiceParameters, [approval('1001', '1001')]);
		expect(same.items[0].json).toMatchObject({ outcome: 'existingDraft', Id: theirs.Id });
	});

	it("a booked invoice of another customer is a conflict too, and so is one execution's second customer", async () => {
		bed = await testBed({ seed: 'default' });
		const draft = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'BOOKED-1' });
		const invoice = bed.sim.api('POST', `/v2/customerinvoicedrafts/${String(draft.Id)}/convert`)
			.body as Json;
		const { items } = await bed.run(
			exportInvoiceParameters,
			[approval('BOOKED-1', 'K-2'), approval('TWICE-1', 'K-3'), approval('TWICE-1', 'K-4')],
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toMatch(
			new RegExp(
				`^Source reference BOOKED-1 is already used by invoice ${String(invoice.InvoiceNumber)} of customer 1001`,
			),
		);
		expect(items[1].json).toMatchObject({ outcome: 'created', ContractNumber: 'TWICE-1' });
		expect(items[2].json.error).toMatch(
			/^Source reference TWICE-1 is already used by draft .* of customer K-3/,
		);
		expect(draftsWith(bed, 'TWICE-1')).toHaveLength(1);
		expect(bed.sim.list('customers').some((c) => c.CustomerNumber === 'K-2')).toBe(false);
	});
});

describe('a blank reference', () => {
	it('fails its item instead of turning duplicate protection off, and every output says what protected it', async () => {
		bed = await testBed({ seed: 'default' });
		const mark = lastSeq(bed);
		const blanks = [
			{ invoiceNumber: undefined },
			{ invoiceNumber: '' },
			{ invoiceNumber: '   ' },
			{ invoiceNumber: null },
		];
		const { items } = await bed.run(
			exportInvoiceParameters,
			blanks.map((b) => approval('x', 'K-1', b)),
			{ continueOnFail: true },
		);
		for (const item of items) {
			expect(item.json.error).toMatch(
				/^Source Reference is empty: its expression returned nothing/,
			);
		}
		expect(writesAfter(bed, mark)).toEqual([]);

		const protectedRun = await bed.run(exportInvoiceParameters, [approval('P-1')]);
		expect(protectedRun.items[0].json.sourceReference).toEqual({
			field: 'ContractNumber',
			value: 'P-1',
		});
		const unprotected = await bed.run({ ...exportInvoiceParameters, exportOptions: {} }, [
			approval('ignored'),
		]);
		expect(unprotected.items[0].json).toMatchObject({ outcome: 'created', sourceReference: null });
	});
});

describe('a lost answer to a draft POST', () => {
	it('is sent again when two looks find nothing; a copy committed late is found by the twin check and the later one deleted', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({
			settleMs: 100,
			retryBaseMs: 40,
			lostAnswerWaitMs: 5000,
			twinLookMinMs: 1500,
		});
		// A gateway answers 504 at once; Visma commits the draft a second later.
		bed.sim.injectFault({
			method: 'POST',
			path: '/v2/customerinvoicedrafts',
			kind: 'late-commit',
			delayMs: 1000,
		});
		const { items } = await bed.run(exportInvoiceParameters, [approval('LATE-1')]);
		const posts = bed.sim.log.filter(
			(e) => e.method === 'POST' && e.route === 'customerinvoicedrafts',
		);
		expect(posts.map((e) => e.status)).toEqual([504, 201]);
		// The late copy is stamped when its POST arrived: it is the earlier one, and stays.
		const left = draftsWith(bed, 'LATE-1');
		expect(left).toHaveLength(1);
		expect(items[0].json.Id).toBe(left[0].Id);
		// Not proven to be this execution's (another process may send the same): not "created".
		expect(items[0].json.outcome).toBe('existingDraft');
		const deleted = items[0].json.deletedTwins as Json[];
		expect(deleted).toHaveLength(1);
		expect(deleted[0].Id).not.toBe(left[0].Id);
	});

	it('a copy committed after the twin check is settled by the next export of the reference', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ settleMs: 100, retryBaseMs: 40, lostAnswerWaitMs: 400, twinLookMinMs: 100 });
		bed.sim.injectFault({
			method: 'POST',
			path: '/v2/customerinvoicedrafts',
			kind: 'late-commit',
			delayMs: 1500,
		});
		const { items } = await bed.run(exportInvoiceParameters, [approval('LATE-2')]);
		expect(items[0].json.outcome).toBe('created');
		await sleep(1600);
		expect(draftsWith(bed, 'LATE-2')).toHaveLength(2);
		const rerun = await bed.run(exportInvoiceParameters, [approval('LATE-2')]);
		const left = draftsWith(bed, 'LATE-2');
		expect(left).toHaveLength(1);
		expect(rerun.items[0].json).toMatchObject({ outcome: 'existingDraft', Id: left[0].Id });
		expect(rerun.items[0].json.deletedTwins).toEqual([
			expect.objectContaining({ type: 'draft', Id: items[0].json.Id }),
		]);
	});
});

describe('twins from two processes', () => {
	it('converge on one draft when the earlier one becomes visible late', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({
			settleMs: 100,
			retryBaseMs: 40,
			lostAnswerWaitMs: 5000,
			twinLookMinMs: 1200,
		});
		const workerB = await otherProcess();
		// B's POST arrives first and is stamped first, but its draft is committed 600 ms later.
		bed.sim.injectFault({
			method: 'POST',
			path: '/v2/customerinvoicedrafts',
			kind: 'late-commit',
			delayMs: 600,
		});
		bed.sim.hooks.beforeHandle = async ({ method, path }) => {
			if (method === 'POST' && path === '/v2/customerinvoicedrafts') {
				while (!bed.sim.log.some((e) => e.fault === 'late-commit')) await sleep(10);
			}
		};
		const [b, a] = await Promise.all([
			bed.run(exportInvoiceParameters, [approval('TWIN-1', '1001')], { nodeType: workerB }),
			(async () => {
				while (!bed.sim.log.some((e) => e.fault === 'late-commit')) await sleep(10);
				return await bed.run(exportInvoiceParameters, [approval('TWIN-1', '1001')]);
			})(),
		]);
		bed.sim.hooks.beforeHandle = null;
		const left = draftsWith(bed, 'TWIN-1');
		expect(left).toHaveLength(1);
		expect(a.items[0].json.Id).toBe(left[0].Id);
		expect(b.items[0].json.Id).toBe(left[0].Id);
		// Neither claims a draft it cannot prove it made: B's answer was lost, A's draft was deleted.
		expect([a.items[0].json.outcome, b.items[0].json.outcome]).toEqual([
			'existingDraft',
			'existingDraft',
		]);
	});
});

describe('a failure after drafts were created', () => {
	it('stays with the items: created drafts are reported, never replaced by the raw input', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ settleMs: 50, retryBaseMs: 20, twinLookMinMs: 50 });
		let posts = 0;
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			// After the third draft, every look-up on drafts fails.
			if (method === 'POST' && path === '/v2/customerinvoicedrafts' && ++posts === 3) {
				bed.sim.injectFault({
					method: 'GET',
					path: '/v2/customerinvoicedrafts',
					kind: '503',
					times: 50,
				});
			}
		};
		const { items } = await bed.run(
			exportInvoiceParameters,
			[approval('F-1'), approval('F-2'), approval('F-3')],
			{
				continueOnFail: true,
			},
		);
		bed.sim.hooks.beforeHandle = null;
		expect(items).toHaveLength(3);
		for (const [n, item] of items.entries()) {
			expect(item.json).toMatchObject({ outcome: 'created', ContractNumber: `F-${n + 1}` });
			expect(item.json.warning).toMatch(/check for a twin .* failed/);
		}
	});
});

describe('waits have a ceiling', () => {
	it('"Try again in 86400 seconds" fails the item with what Visma said instead of holding everyone for a day', async () => {
		bed = await testBed({ seed: 'default', rateLimit: { perMinute: 1, windowMs: 86_400_000 } });
		configurePacing({ maxRateLimitWaitMs: 300 });
		const error = await failureOf(
			bed
				.run({ resource: 'customer', operation: 'getAll', returnAll: true })
				.then(
					async () => await bed.run({ resource: 'customer', operation: 'getAll', returnAll: true }),
				),
		);
		expect(error?.message).toMatch(/rate limit/i);
		expect(error?.description).toContain('Visma asked to wait 86400 seconds');
		// Another execution is held back only for the capped time, then told the same.
		const again = await failureOf(
			bed.run({ resource: 'customer', operation: 'getAll', returnAll: true }),
		);
		expect(again?.description).toContain('Visma asked to wait');
	});

	it('one request stops retrying when its time is up, and says so', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ retryBaseMs: 200, maxRetryMs: 500 });
		bed.sim.injectFault({ method: 'GET', path: '/v2/customers', kind: '503', times: 10 });
		const error = await failureOf(
			bed.run({ resource: 'customer', operation: 'getAll', returnAll: true }),
		);
		expect(error?.description).toContain('gave up after retrying');
		expect(bed.sim.log.filter((e) => e.route === 'customers').length).toBeLessThan(5);
	});
});

describe('a cold credential and a hanging Visma', () => {
	it('only the first call goes alone; the others do not queue behind it', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ warmupWaitMs: 200 });
		let first = true;
		let arrivedWhileHanging = 0;
		let hanging = false;
		bed.sim.hooks.beforeHandle = async () => {
			if (first) {
				first = false;
				hanging = true;
				await sleep(1500);
				hanging = false;
			} else if (hanging) {
				arrivedWhileHanging++;
			}
		};
		await Promise.all(
			Array.from(
				{ length: 4 },
				async () =>
					await bed.run({ resource: 'customer', operation: 'getAll', limit: 1, returnAll: false }),
			),
		);
		bed.sim.hooks.beforeHandle = null;
		expect(arrivedWhileHanging).toBe(3);
	});
});

describe('a dead credential', () => {
	it('is not retried like a network failure: one refresh attempt, and "reconnect"', async () => {
		bed = await testBed({ seed: 'default' });
		bed.credential.data.oauthTokenData = {
			...bed.credential.data.oauthTokenData,
			refresh_token: 'revoked',
		};
		bed.sim.expireAccessTokens();
		const error = await failureOf(
			bed.run({ resource: 'customer', operation: 'getAll', limit: 1, returnAll: false }),
		);
		expect(error?.message).toBe('Visma eAccounting did not accept the credential: reconnect it');
		expect(bed.credential.refreshAttempts).toBe(1);
	});
});

describe('the trigger cursor', () => {
	it('is not moved to the future by one record stamped ahead of Visma', async () => {
		bed = await testBed({ seed: 'default' });
		const node = new TriggerNode(bed, { event: 'newDraftInvoice' });
		expect(await node.poll()).toEqual([]);
		bed.sim.clock.advance(24 * 3_600_000);
		const future = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'FUTURE' });
		bed.sim.clock.advance(-24 * 3_600_000);
		expect((await node.poll()).map((r) => r.Id)).toEqual([future.Id]);
		bed.sim.clock.advance(1000);
		const now = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'NOW' });
		expect((await node.poll()).map((r) => r.Id)).toEqual([now.Id]);
	});
});

describe('Create Draft Invoice', () => {
	it('checks a blank reference the same way', async () => {
		bed = await testBed({ seed: 'default' });
		const { items } = await bed.run(
			{
				resource: 'customerInvoiceDraft',
				operation: 'create',
				customer: { __rl: true, mode: 'id', value: SEED_IDS.customers.first },
				rowsSource: 'mapFromInput',
				rowsData: fromItem('rows'),
				options: { sourceReference: fromItem('invoiceNumber') },
			},
			[approval('', '1001')],
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toMatch(/^Source Reference is empty/);
	});
});

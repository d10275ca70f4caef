import { describe, expect, it } from '@jest/globals';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { configurePacing, VismaClient } from '../../nodes/VismaEAccounting/transport';
import { asItemError } from '../../nodes/VismaEAccounting/services/outcome';
import { buildContext } from '../../dev/harness/context';
import { StoredCredential } from '../../dev/harness/credentials';
import { failureOf, draftsWith } from './simLog';
import type { TestBed } from './support';
import {
	exportInvoiceParameters,
	SEED_IDS,
	testBed,
	closeAfterEach,
	otherProcess,
} from './support';
import { handMadeDraft, startTestSimulator } from '../support/simulator';

/**
 * Issue 17, "exactly once without collateral": a passing fault never costs an approval, and the
 * node removes only copies of what it sent. Each case failed before it was fixed.
 */
type Json = Record<string, unknown>;

const approval = (ref: string, customer = '1001') => ({
	invoiceNumber: ref,
	customer: { number: customer, name: `Kund ${customer} AB`, postalCode: '903 26', city: 'Umeå' },
	rows: [{ articleNumber: 'A100', text: 'Arbete', quantity: 2, unitPrice: 450 }],
});

const invoicesWith = (bed: TestBed, ref: string) =>
	bed.sim.list('customerinvoices').filter((d) => d.ContractNumber === ref);
const draftPosts = (bed: TestBed) =>
	bed.sim.log.filter((e) => e.method === 'POST' && e.route === 'customerinvoicedrafts');
const draftDeletes = (bed: TestBed) =>
	bed.sim.log.filter((e) => e.method === 'DELETE' && e.route.startsWith('customerinvoicedrafts'));

/** A client of an execution of its own, with this node name and cancel signal. */
async function execution(credential: StoredCredential, nodeName: string, signal?: AbortSignal) {
	const { execute } = buildContext(
		{ nodeType: new VismaEAccounting(), parameters: {}, credential, nodeName, signal },
		{ calls: 0 },
	);
	return await VismaClient.create(execute);
}

let bed: TestBed;
closeAfterEach(() => bed);

describe('a transient fault never fails an approval', () => {
	for (const kind of ['503', '500-5001'] as const) {
		it(`a draft POST answered ${kind} before anything was done is sent again once two looks agree it is not there`, async () => {
			bed = await testBed({ seed: 'default' });
			// Before: the node looked for 30 s (here 1 s), found nothing and failed the approval.
			configurePacing({ settleMs: 50, retryBaseMs: 20, lostAnswerWaitMs: 1000, twinLookMinMs: 50 });
			bed.sim.injectFault({ method: 'POST', path: '/v2/customerinvoicedrafts', kind });
			const { items } = await bed.run(exportInvoiceParameters, [approval('FAULT-1')], {
				continueOnFail: true,
			});
			expect(items[0].json.error).toBeUndefined();
			expect(items[0].json).toMatchObject({ outcome: 'created', ContractNumber: 'FAULT-1' });
			expect(draftsWith(bed, 'FAULT-1')).toHaveLength(1);
			const posts = draftPosts(bed);
			expect(posts.map((e) => e.status)).toEqual([kind === '503' ? 503 : 500, 201]);
			// Two looks for it between the failed POST and the one that worked.
			const looks = bed.sim.log.filter(
				(e) =>
					e.method === 'GET' &&
					e.route === 'customerinvoicedrafts' &&
					e.seq > posts[0].seq &&
					e.seq < posts[1].seq,
			);
			expect(looks).toHaveLength(2);
		});
	}

	it('a write that never reached Visma says that nothing was written, instead of "may have been created"', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ retryBaseMs: 5, settleMs: 5, lostAnswerWaitMs: 200 });
		// A Visma that refuses connections: the simulator is gone from its port.
		const gone = await startTestSimulator({ seed: 'empty' });
		const deadUrl = gone.url;
		await gone.close();
		const credential = new StoredCredential({ ...bed.credential.data, apiUrl: deadUrl }, 'dead');
		const client = await execution(credential, 'Export');
		let looked = 0;
		const error = await failureOf(
			client.request({
				method: 'POST',
				path: '/customerinvoicedrafts',
				body: {},
				action: 'draft invoice',
				itemIndex: 0,
				resend: 'afterTwoLooks',
				verify: async () => {
					looked++;
					return undefined;
				},
			}),
		);
		expect(error?.message).toMatch(/^Could not reach Visma eAccounting \(ECONNREFUSED\)/);
		expect(error?.description).toContain(
			'The draft invoice never reached Visma eAccounting, so nothing was written by it.',
		);
		expect(error?.description).not.toMatch(/may (or may not )?have been created/);
		expect(looked).toBe(0);
	});
});

describe('only our own copies are removed', () => {
	it('a hand-made draft with the same reference and other rows, 200 ms after the node’s, survives and is named in the output', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 600 });
		let person: Json | undefined;
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			if (method === 'POST' && path === '/v2/customerinvoicedrafts')
				void sleep(200).then(
					() =>
						(person = handMadeDraft(bed.sim, SEED_IDS.customers.first, {
							ContractNumber: 'HAND-1',
						})),
				);
		};
		const { items } = await bed.run(exportInvoiceParameters, [approval('HAND-1')]);
		bed.sim.hooks.beforeHandle = null;
		const ours = items[0].json;
		expect(person).toBeDefined();
		expect(draftsWith(bed, 'HAND-1').map((d) => d.Id)).toEqual([ours.Id, person!.Id]);
		expect(ours.outcome).toBe('created');
		expect(draftDeletes(bed)).toEqual([]);
		expect(ours.deletedTwins).toBeUndefined();
		expect(ours.twins).toEqual([
			{
				type: 'draft',
				Id: person!.Id,
				CustomerNumber: '1001',
				CustomerName: person!.CustomerName,
				CreatedUtc: person!.CreatedUtc,
			},
		]);
		expect(ours.warning).toContain(`draft ${String(person!.Id)} of customer 1001`);
		expect(ours.warning).toContain('left alone');
	});

	it('a hand-made draft made just before the node’s POST (after its reference look) is not adopted: the node keeps its own', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 100 });
		let person: Json | undefined;
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			if (method === 'POST' && path === '/v2/customerinvoicedrafts' && !person)
				person = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'HAND-2' });
		};
		const { items } = await bed.run(exportInvoiceParameters, [approval('HAND-2')]);
		bed.sim.hooks.beforeHandle = null;
		const ours = items[0].json;
		// Before: the person's draft was kept (it is earlier) and the node deleted its own.
		expect(draftsWith(bed, 'HAND-2').map((d) => d.Id)).toEqual([person!.Id, ours.Id]);
		expect(ours).toMatchObject({ outcome: 'created', ContractNumber: 'HAND-2' });
		expect(ours.Id).not.toBe(person!.Id);
		expect(draftDeletes(bed)).toEqual([]);
		expect((ours.twins as Json[]).map((t) => t.Id)).toEqual([person!.Id]);
	});
});

describe('booked invoices hold references', () => {
	it('a draft booked before another worker’s POST lands: the invoice stands, the later draft is removed', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 300 });
		const workerB = await otherProcess();
		// Both workers look before either POSTs; the first draft is booked before the second lands.
		let looks = 0;
		let posts = 0;
		let release!: () => void;
		const bothLooked = new Promise<void>((resolve) => (release = resolve));
		bed.sim.hooks.beforeHandle = async ({ method, path }) => {
			if (method === 'GET' && path === '/v2/customerinvoices' && ++looks === 2) release();
			if (method !== 'POST' || path !== '/v2/customerinvoicedrafts') return;
			await bothLooked;
			if (++posts === 1) return;
			while (draftsWith(bed, 'BOOK-1').length === 0) await sleep(5);
			const [first] = draftsWith(bed, 'BOOK-1');
			bed.sim.api('POST', `/v2/customerinvoicedrafts/${String(first.Id)}/convert`);
		};
		const [a, b] = await Promise.all([
			bed.run(exportInvoiceParameters, [approval('BOOK-1')]),
			bed.run(exportInvoiceParameters, [approval('BOOK-1')], { nodeType: workerB }),
		]);
		bed.sim.hooks.beforeHandle = null;
		// Before: the reference ended up on an invoice and on a draft.
		expect(draftsWith(bed, 'BOOK-1')).toEqual([]);
		const [invoice] = invoicesWith(bed, 'BOOK-1');
		expect(invoicesWith(bed, 'BOOK-1')).toHaveLength(1);
		for (const run of [a, b]) {
			expect(run.items[0].json).toMatchObject({ outcome: 'existingInvoice', Id: invoice.Id });
		}
		const deleted = [a, b].flatMap((r) => (r.items[0].json.deletedTwins as Json[]) ?? []);
		expect(deleted).toHaveLength(1);
	});

	it('a draft booked before the look after a lost answer: the invoice is the answer', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ settleMs: 50, retryBaseMs: 20, lostAnswerWaitMs: 1000, twinLookMinMs: 50 });
		bed.sim.injectFault({
			method: 'POST',
			path: '/v2/customerinvoicedrafts',
			kind: 'lost-response',
		});
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			const lost = bed.sim.log.some((e) => e.fault === 'lost-response');
			const [draft] = draftsWith(bed, 'BOOK-2');
			if (method === 'GET' && path === '/v2/customerinvoicedrafts' && lost && draft)
				bed.sim.api('POST', `/v2/customerinvoicedrafts/${String(draft.Id)}/convert`);
		};
		const { items } = await bed.run(exportInvoiceParameters, [approval('BOOK-2')], {
			continueOnFail: true,
		});
		bed.sim.hooks.beforeHandle = null;
		const [invoice] = invoicesWith(bed, 'BOOK-2');
		expect(items[0].json).toMatchObject({ outcome: 'existingInvoice', Id: invoice.Id });
		expect(draftPosts(bed)).toHaveLength(1);
		expect(draftsWith(bed, 'BOOK-2')).toEqual([]);
	});
});

describe('a look after a lost answer accepts only this customer’s record', () => {
	it("another customer's draft with the reference is the conflict it would have been before writing", async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ settleMs: 50, retryBaseMs: 20, lostAnswerWaitMs: 1000, twinLookMinMs: 50 });
		// This item's POST fails before anything is written; meanwhile another customer's draft
		// with the same reference appears.
		bed.sim.injectFault({ method: 'POST', path: '/v2/customerinvoicedrafts', kind: '503' });
		let theirs: Json | undefined;
		bed.sim.hooks.beforeHandle = ({ method, path }) => {
			const failed = bed.sim.log.some((e) => e.fault === '503');
			if (method === 'GET' && path === '/v2/customerinvoicedrafts' && failed && !theirs)
				theirs = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'OTHER-1' });
		};
		const { items } = await bed.run(exportInvoiceParameters, [approval('OTHER-1', 'K-17')], {
			continueOnFail: true,
		});
		bed.sim.hooks.beforeHandle = null;
		// Before: the item reported the other customer's draft as its own.
		expect(items[0].json.error).toBe(
			`Source reference OTHER-1 is already used by draft ${String(theirs!.Id)} of customer 1001 (${String(theirs!.CustomerName)}) [item 0]`,
		);
		expect(items[0].json.message).toContain('was not sent again');
		expect(draftPosts(bed)).toHaveLength(1);
		expect(draftsWith(bed, 'OTHER-1').map((d) => d.Id)).toEqual([theirs!.Id]);
	});
});

describe('coalesced look-ups are shared, not owned', () => {
	it('cancelling the execution whose context made the request does not fail the other', async () => {
		bed = await testBed({ seed: 'default' });
		const cancelA = new AbortController();
		const [a, b] = await Promise.all([
			execution(bed.credential, 'Workflow A', cancelA.signal),
			execution(bed.credential, 'Workflow B'),
		]);
		bed.sim.hooks.beforeHandle = async ({ method, path }) => {
			// The shared request is on its way: now A is cancelled.
			if (method === 'GET' && path === '/v2/articles' && !cancelA.signal.aborted) {
				cancelA.abort();
				await sleep(20);
			}
		};
		const [forA, forB] = await Promise.allSettled([
			a.findIn<{ Number: string }>('/articles', 'Number', 'string', ['A100']),
			b.findIn<{ Number: string }>('/articles', 'Number', 'string', ['A110']),
		]);
		bed.sim.hooks.beforeHandle = null;
		expect(forA.status).toBe('rejected');
		const errorA = (forA as PromiseRejectedResult).reason as NodeOperationError;
		expect(errorA.message).toBe('The execution was cancelled');
		expect(errorA.node.name).toBe('Workflow A');
		// Before: B failed with A's "The execution was cancelled", naming A's node.
		expect(forB).toMatchObject({ status: 'fulfilled', value: [{ Number: 'A110' }] });
	});

	it('each execution gets its own error object, naming its own node and item', async () => {
		bed = await testBed({ seed: 'default', refuseFilterOn: ['articles.Number'] });
		const [a, b] = await Promise.all([
			execution(bed.credential, 'Workflow A'),
			execution(bed.credential, 'Workflow B'),
		]);
		const [forA, forB] = await Promise.allSettled([
			a.findIn('/articles', 'Number', 'string', ['A100']),
			b.findIn('/articles', 'Number', 'string', ['A110']),
		]);
		// One request for both (then split, and refused for one value too).
		expect(bed.sim.log.find((e) => e.route === 'articles')?.query.$filter).toBe(
			"Number eq 'A100' or Number eq 'A110'",
		);
		const errorA = (forA as PromiseRejectedResult).reason as NodeApiError;
		const errorB = (forB as PromiseRejectedResult).reason as NodeApiError;
		expect(errorA).toBeInstanceOf(NodeApiError);
		expect(errorB).toBeInstanceOf(NodeApiError);
		// Before: one shared object, naming the node of whoever made the request.
		expect(errorA).not.toBe(errorB);
		expect([errorA.node.name, errorB.node.name]).toEqual(['Workflow A', 'Workflow B']);
		expect(errorB.message).toBe(errorA.message);
		expect(errorB.httpCode).toBe('400');

		// Each execution ties its error to its own item; before, the second one found the first's.
		expect(asItemError(a.node, errorA, 3).context.itemIndex).toBe(3);
		expect(asItemError(b.node, errorB, 5).context.itemIndex).toBe(5);

		// Through the node: what each execution throws names its own node.
		const [runA, runB] = await Promise.all([
			failureOf(
				bed.run({ resource: 'article', operation: 'findByNumber', articleNumber: 'A100' }, [{}], {
					nodeName: 'Find A',
				}),
			),
			failureOf(
				bed.run({ resource: 'article', operation: 'findByNumber', articleNumber: 'A110' }, [{}], {
					nodeName: 'Find B',
				}),
			),
		]);
		expect(runA).not.toBe(runB);
		expect([runA?.node.name, runB?.node.name]).toEqual(['Find A', 'Find B']);
	});
});

describe('re-running an item settles its twins', () => {
	it('deletes a later copy of what it sends, keeps and names a hand-made draft, and answers with the earliest of its own', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 50 });
		const first = await bed.run(exportInvoiceParameters, [approval('RERUN-1')]);
		const ours = first.items[0].json;
		// A copy of the same POST (a worker that raced, or a late commit), and a person's draft.
		const sent = draftPosts(bed).at(-1)!.body as Json;
		const copy = bed.sim.api('POST', '/v2/customerinvoicedrafts', sent).body as Json;
		const person = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'RERUN-1' });
		const mark = bed.sim.log.at(-1)!.seq;

		const rerun = await bed.run(exportInvoiceParameters, [approval('RERUN-1')]);
		const answer = rerun.items[0].json;
		// Before: the re-run returned the earliest draft and left both twins, saying nothing.
		expect(answer).toMatchObject({ outcome: 'existingDraft', Id: ours.Id });
		expect(answer.deletedTwins).toEqual([expect.objectContaining({ type: 'draft', Id: copy.Id })]);
		expect(answer.twins).toEqual([expect.objectContaining({ type: 'draft', Id: person.Id })]);
		expect(answer.warning).toContain(`draft ${String(person.Id)}`);
		expect(draftsWith(bed, 'RERUN-1').map((d) => d.Id)).toEqual([ours.Id, person.Id]);
		// Nothing but the deletion was written: no customer, article or draft.
		expect(
			bed.sim.log.filter((e) => e.seq > mark && e.method !== 'GET').map((e) => e.route),
		).toEqual(['customerinvoicedrafts/{customerInvoiceDraftId}']);

		// A third run finds one record of its own and the person's: nothing more to delete.
		const third = await bed.run(exportInvoiceParameters, [approval('RERUN-1')]);
		expect(third.items[0].json).toMatchObject({ outcome: 'existingDraft', Id: ours.Id });
		expect(third.items[0].json.deletedTwins).toBeUndefined();
	});

	it('with a booked invoice, a later copy of the draft is removed and the invoice is the answer', async () => {
		bed = await testBed({ seed: 'default' });
		configurePacing({ twinLookMinMs: 50 });
		const first = await bed.run(exportInvoiceParameters, [approval('RERUN-2')]);
		const sent = draftPosts(bed).at(-1)!.body as Json;
		const invoice = bed.sim.api(
			'POST',
			`/v2/customerinvoicedrafts/${String(first.items[0].json.Id)}/convert`,
		).body as Json;
		const copy = bed.sim.api('POST', '/v2/customerinvoicedrafts', sent).body as Json;
		const rerun = await bed.run(exportInvoiceParameters, [approval('RERUN-2')]);
		expect(rerun.items[0].json).toMatchObject({ outcome: 'existingInvoice', Id: invoice.Id });
		expect(rerun.items[0].json.deletedTwins).toEqual([expect.objectContaining({ Id: copy.Id })]);
		expect(draftsWith(bed, 'RERUN-2')).toEqual([]);
	});

	it('when it cannot tell its own copies apart, it deletes nothing and names every record to check', async () => {
		bed = await testBed({ seed: 'default' });
		const a = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'RERUN-3' });
		await sleep(20);
		const b = handMadeDraft(bed.sim, SEED_IDS.customers.first, { ContractNumber: 'RERUN-3' });
		// Its row would use the default article, which does not exist: the draft cannot be planned.
		const rerun = { ...approval('RERUN-3'), rows: [{ articleNumber: 'GONE-1', quantity: 1 }] };
		const { items } = await bed.run(exportInvoiceParameters, [rerun]);
		expect(items[0].json).toMatchObject({ outcome: 'existingDraft', Id: a.Id });
		expect((items[0].json.twins as Json[]).map((t) => t.Id)).toEqual([b.Id]);
		expect(items[0].json.warning).toContain('remove or change the others by hand');
		expect(items[0].json.warning).toContain(
			'The node could not tell which of them are copies of this export: Row 1: Article Number "GONE-1" is not an active article',
		);
		expect(draftDeletes(bed)).toEqual([]);
		expect(draftsWith(bed, 'RERUN-3')).toHaveLength(2);
	});
});

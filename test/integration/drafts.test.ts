import { describe, expect, it } from '@jest/globals';

import { configurePacing, resetPacing } from '../../nodes/VismaEAccounting/transport';
import { failureOf, lastSeq, rowsOf, writesAfter } from './simLog';
import type { TestBed } from './support';
import { byId, byNumber, fromItem, SEED_IDS, useTestBed } from './support';
import { handMadeDraft } from '../support/simulator';

type Json = Record<string, unknown>;

/** A draft made in eAccounting directly; returns its id. */
const newDraft = (bed: TestBed) => String(handMadeDraft(bed.sim, SEED_IDS.customers.apostrophe).Id);

const draft = (bed: TestBed, id: string) =>
	bed.sim.list('customerinvoicedrafts').find((d) => d.Id === id);
const daysAgo = (bed: TestBed, n: number) =>
	new Date(bed.sim.clock.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);
const today = (bed: TestBed) => daysAgo(bed, 0);

describe('Customer Invoice Draft > Get, Get Many', () => {
	const bed = useTestBed();

	it('gets drafts by ID, simplified or raw', async () => {
		const first = draft(bed, SEED_IDS.drafts.first)!;
		const { items: out } = await bed.run(
			{
				resource: 'customerInvoiceDraft',
				operation: 'get',
				draft: fromItem('ref'),
				simplify: fromItem('simplify'),
			},
			[
				{ ref: byId(SEED_IDS.drafts.first), simplify: true },
				{ ref: { __rl: true, mode: 'list', value: SEED_IDS.drafts.second }, simplify: false },
				{ ref: byId('11111111-2222-4333-8444-555555555555'), simplify: true },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toEqual({
			Id: first.Id,
			CustomerId: SEED_IDS.customers.first,
			CustomerName: first.CustomerName,
			InvoiceDate: first.InvoiceDate,
			TotalAmount: first.TotalAmount,
			TotalVatAmount: first.TotalVatAmount,
			YourReference: 'Erik Bergström',
			OurReference: null,
			ContractNumber: null,
			CreatedUtc: first.CreatedUtc,
		});
		expect(out[1].json).toEqual(draft(bed, SEED_IDS.drafts.second));
		expect(out[2].json.error).toBe(
			'Draft invoice with ID 11111111-2222-4333-8444-555555555555 is not in eAccounting [item 2]',
		);
	});

	it('lists drafts, by customer (ID or number) and by creation time', async () => {
		const all = bed.sim.list('customerinvoicedrafts');
		const run = async (filters: Json) =>
			(
				await bed.run({
					resource: 'customerInvoiceDraft',
					operation: 'getAll',
					returnAll: true,
					filters,
				})
			).items.map((o) => o.json.Id);
		expect((await run({})).sort()).toEqual(all.map((d) => d.Id).sort());
		expect(await run({ customer: byNumber('1003') })).toEqual([SEED_IDS.drafts.second]);
		expect(await run({ customer: byId(SEED_IDS.customers.first) })).toEqual(
			all.filter((d) => d.CustomerId === SEED_IDS.customers.first).map((d) => d.Id),
		);
		const since = new Date(bed.sim.clock.now().getTime() - 36 * 3_600_000).toISOString();
		expect((await run({ createdSince: since })).sort()).toEqual(
			[SEED_IDS.drafts.second, SEED_IDS.drafts.eur].sort(),
		);
		const error = await failureOf(
			bed.run({
				resource: 'customerInvoiceDraft',
				operation: 'getAll',
				filters: { customer: byNumber('NOPE') },
			}),
		);
		expect(error!.message).toBe('Customer with number NOPE is not in eAccounting [item 0]');
	});
});

describe('Customer Invoice Draft > Update, Delete', () => {
	const bed = useTestBed();

	const update = (extra: Json) => ({
		resource: 'customerInvoiceDraft',
		operation: 'update',
		draft: byId(SEED_IDS.drafts.first),
		...extra,
	});

	it('changes fields and keeps the rows when Replace Rows is off', async () => {
		const before = draft(bed, SEED_IDS.drafts.first)!;
		const { items: out } = await bed.run(
			update({
				draftFields: {
					yourReference: 'Anna Ek',
					invoiceDate: daysAgo(bed, 5),
					isCreditInvoice: false,
				},
			}),
		);
		expect(out[0].json).toMatchObject({
			YourReference: 'Anna Ek',
			changedFields: ['InvoiceDate', 'YourReference'],
		});
		const after = draft(bed, SEED_IDS.drafts.first)!;
		expect(after).toMatchObject({
			YourReference: 'Anna Ek',
			InvoiceDate: `${daysAgo(bed, 5)}T00:00:00`,
			CustomerId: before.CustomerId,
		});
		expect(rowsOf(after)).toEqual(rowsOf(before));
		expect(after.TotalAmount).toBe(before.TotalAmount);
	});

	it('replaces all rows when asked, matching article numbers like Create', async () => {
		const { items: out } = await bed.run(
			update({
				replaceRows: true,
				rowsSource: 'mapFromInput',
				rowsData: fromItem('rows'),
				defaultArticle: byNumber('A101'),
			}),
			[
				{
					rows: [
						{ articleNumber: 'A110', quantity: 2, unitPrice: 80 },
						{ text: 'Resa', quantity: 1, unitPrice: 250 },
					],
				},
			],
		);
		expect(
			(out[0].json.articleMatches as Json[]).map((m) => [m.match, m.usedArticleNumber]),
		).toEqual([
			['article', 'A110'],
			['default', 'A101'],
		]);
		const rows = draft(bed, SEED_IDS.drafts.first)!.Rows as Json[];
		expect(rows.map((r) => [r.ArticleId, r.Text, r.Quantity, r.UnitPrice])).toEqual([
			[SEED_IDS.articles.gipsskiva, article110Name(bed), 2, 80],
			[SEED_IDS.articles.elektriker, 'Resa', 1, 250],
		]);
		expect(draft(bed, SEED_IDS.drafts.first)!.YourReference).toBe('Anna Ek');
	});

	it('sends nothing when nothing changes, and checks rows before writing', async () => {
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(update({ draftFields: { yourReference: 'Anna Ek' } }));
		expect(out[0].json.changedFields).toEqual([]);
		const error = await failureOf(
			bed.run(
				update({ replaceRows: true, rowsData: [{ articleNumber: 'A100', quantity: 'två' }] }),
			),
		);
		expect(error!.message).toBe('Row 1: Quantity must be a number, got "två" [item 0]');
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('deletes a draft and returns { deleted: true, id }; an unknown ID fails', async () => {
		const { items: out } = await bed.run(
			{ resource: 'customerInvoiceDraft', operation: 'delete', draft: fromItem('ref') },
			[{ ref: byId(SEED_IDS.drafts.eur) }, { ref: byId(SEED_IDS.drafts.eur) }],
			{ continueOnFail: true },
		);
		expect(out[0].json).toEqual({ deleted: true, id: SEED_IDS.drafts.eur });
		expect(out[1].json.error).toMatch(
			/^A record this request refers to does not exist in eAccounting: .* \[item 1\]$/,
		);
		expect(draft(bed, SEED_IDS.drafts.eur)).toBeUndefined();
	});
});

function article110Name(bed: TestBed): unknown {
	return bed.sim.list('articles').find((a) => a.Number === 'A110')!.Name;
}

describe('Customer Invoice Draft > Convert to Invoice', () => {
	const bed = useTestBed();

	const convert = (draftId: string, convertOptions: Json = {}) => ({
		resource: 'customerInvoiceDraft',
		operation: 'convert',
		draft: byId(draftId),
		convertOptions,
	});
	const invoicesFrom = (draftId: string) =>
		bed.sim.list('customerinvoices').filter((i) => i.CreatedFromDraftId === draftId);

	it('books the draft, keeping its date when asked, and passes both query parameters', async () => {
		const id = SEED_IDS.drafts.first;
		bed.sim.api('PUT', `/v2/customerinvoicedrafts/${id}`, {
			...draft(bed, id),
			InvoiceDate: daysAgo(bed, 4),
		});
		const next = bed.sim.companySettings().NextCustomerInvoiceNumber;
		const { items: out } = await bed.run(
			convert(id, { keepOriginalDraftDate: true, overrideCompanyKeepOriginalDraftDate: true }),
		);
		expect(out[0].json).toMatchObject({
			InvoiceNumber: next,
			CreatedFromDraftId: id,
			InvoiceDate: `${daysAgo(bed, 4)}T00:00:00`,
		});
		expect(draft(bed, id)).toBeUndefined();
		expect(invoicesFrom(id)).toHaveLength(1);
		const post = bed.sim.log.find(
			(e) =>
				e.method === 'POST' && e.route === 'customerinvoicedrafts/{customerInvoiceDraftId}/convert',
		)!;
		expect(post.query).toEqual({
			keepOriginalDraftDate: 'true',
			overrideCompanyKeepOriginalDraftDate: 'true',
		});
	});

	it('dates the invoice today without the option', async () => {
		const id = SEED_IDS.drafts.second;
		bed.sim.api('PUT', `/v2/customerinvoicedrafts/${id}`, {
			...draft(bed, id),
			InvoiceDate: daysAgo(bed, 4),
		});
		const { items: out } = await bed.run(convert(id));
		expect(out[0].json.InvoiceDate).toBe(`${today(bed)}T00:00:00`);
		expect(invoicesFrom(id)).toHaveLength(1);
	});

	it('a conversion whose answer is lost is not repeated: the invoice it made is returned', async () => {
		const id = SEED_IDS.drafts.eur;
		bed.sim.injectFault({
			method: 'POST',
			path: `/v2/customerinvoicedrafts/${id}/convert`,
			kind: 'lost-response',
		});
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(convert(id));
		expect(invoicesFrom(id)).toHaveLength(1);
		expect(out[0].json).toMatchObject({ Id: invoicesFrom(id)[0].Id, CreatedFromDraftId: id });
		expect(writesAfter(bed, mark)).toEqual([
			'POST customerinvoicedrafts/{customerInvoiceDraftId}/convert',
		]);
	});

	it('a conversion whose answer was lost is never sent again: the item fails, and a re-run converts once', async () => {
		const id = newDraft(bed);
		configurePacing({ settleMs: 50, lostAnswerWaitMs: 300 });
		bed.sim.injectFault({
			method: 'POST',
			path: `/v2/customerinvoicedrafts/${id}/convert`,
			kind: 'connection-refused-like',
		});
		const lost = await failureOf(bed.run(convert(id)));
		expect(lost?.description).toContain('It was not sent again');
		expect(
			bed.sim.log.filter((e) => e.method === 'POST' && e.path.endsWith(`${id}/convert`)),
		).toHaveLength(1);
		expect(invoicesFrom(id)).toHaveLength(0);

		const { items: out } = await bed.run(convert(id));
		expect(invoicesFrom(id)).toHaveLength(1);
		expect(out[0].json.Id).toBe(invoicesFrom(id)[0].Id);
		resetPacing();
	});

	it('a conversion applied but whose answer was lost returns the invoice', async () => {
		const id = newDraft(bed);
		bed.sim.injectFault({
			method: 'POST',
			path: `/v2/customerinvoicedrafts/${id}/convert`,
			kind: 'lost-response',
		});
		const { items: out } = await bed.run(convert(id));
		expect(invoicesFrom(id)).toHaveLength(1);
		expect(out[0].json.Id).toBe(invoicesFrom(id)[0].Id);
	});

	it('converting an already converted draft again returns its invoice; an unknown draft fails clearly', async () => {
		const before = invoicesFrom(SEED_IDS.drafts.first);
		expect(before).toHaveLength(1);
		const { items: out } = await bed.run(convert(SEED_IDS.drafts.first));
		expect(out[0].json).toMatchObject({ Id: before[0].Id, outcome: 'alreadyConverted' });
		expect(invoicesFrom(SEED_IDS.drafts.first)).toHaveLength(1);

		const error = await failureOf(bed.run(convert('11111111-2222-4333-8444-555555555555')));
		expect(error!.message).toMatch(
			/^A record this request refers to does not exist in eAccounting: .* \[item 0\]$/,
		);
	});
});

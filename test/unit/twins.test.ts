import { describe, expect, it } from '@jest/globals';

import type { Carrier } from '../../nodes/VismaEAccounting/domain/twins';
import type { VismaDraft } from '../../nodes/VismaEAccounting/domain/visma';
import {
	sameContent,
	settleCarriers,
	twinLookWait,
} from '../../nodes/VismaEAccounting/domain/twins';

const CUSTOMER = 'a09c8bde-7036-47c4-9a6b-5a8ad318d444';
const OTHER = 'b19c8bde-7036-47c4-9a6b-5a8ad318d444';
const ARTICLE = '8677835e-7c31-4bd8-b48c-7b05c113774d';

/** What the node sends for a draft. */
const body = {
	CustomerId: CUSTOMER,
	EuThirdParty: false,
	RotReducedInvoicingType: 0,
	IsCreditInvoice: false,
	ReplaceUnitPriceWhenZero: false,
	InvoiceDate: '2026-11-28',
	ContractNumber: 'FS-1',
	Rows: [
		{
			IsTextRow: false,
			ReversedConstructionServicesVatFree: false,
			ArticleId: ARTICLE,
			Quantity: 7.5,
			UnitPrice: 650,
			DiscountPercentage: 0.1,
		},
		{ IsTextRow: true, ReversedConstructionServicesVatFree: false, Text: 'Tack!' },
	],
};

/** The same draft as Visma stores it: its own fields added, values in its own form. */
const stored = {
	...body,
	Id: 'd1',
	CustomerId: CUSTOMER.toUpperCase(),
	InvoiceDate: '2026-11-28T00:00:00',
	CustomerName: 'Björkdal AB',
	TotalAmount: 5484,
	Rows: [
		{ ...body.Rows[1], Id: 'r2', LineNumber: 1, ArticleId: null, UnitPrice: 0 },
		{ ...body.Rows[0], Id: 'r1', LineNumber: 0, Text: 'Snickeri', UnitPrice: 650.0000001 },
	],
};
delete (stored as Record<string, unknown>).ReplaceUnitPriceWhenZero;

describe('a draft is ours by content when it holds exactly what was sent', () => {
	it('compares only what was sent, the way Visma stores it', () => {
		expect(sameContent(stored, body)).toBe(true);
	});

	it.each([
		['another customer', { CustomerId: OTHER }],
		['another date', { InvoiceDate: '2026-11-29T00:00:00' }],
		['a reference field we set, changed', { ContractNumber: 'FS-2' }],
		['a field we sent, missing', { IsCreditInvoice: undefined }],
		['a row less', { Rows: [stored.Rows[1]] }],
		['another quantity', { Rows: [stored.Rows[0], { ...stored.Rows[1], Quantity: 8 }] }],
		['another price', { Rows: [stored.Rows[0], { ...stored.Rows[1], UnitPrice: 651 }] }],
		['another discount', { Rows: [stored.Rows[0], { ...stored.Rows[1], DiscountPercentage: 0 }] }],
		['another text row', { Rows: [{ ...stored.Rows[0], Text: 'Hej' }, stored.Rows[1]] }],
		['no rows in the listing', { Rows: null }],
	])('not with %s', (_, change) => {
		expect(sameContent({ ...stored, ...change }, body)).toBe(false);
	});

	it('lists and objects are compared by what was sent (Visma adds Ids to persons)', () => {
		const persons = [{ Ssn: '194105213211', Amount: 1000 }];
		expect(
			sameContent(
				{ ...stored, Persons: [{ ...persons[0], Id: 'p1' }] },
				{ ...body, Persons: persons },
			),
		).toBe(true);
		expect(
			sameContent(
				{ ...stored, Persons: [{ ...persons[0], Amount: 900, Id: 'p1' }] },
				{
					...body,
					Persons: persons,
				},
			),
		).toBe(false);
	});
});

const draft = (Id: string, CreatedUtc: string, more: Record<string, unknown> = {}): VismaDraft => ({
	...stored,
	Id,
	CreatedUtc,
	...more,
});
const invoice = (Id: string, CreatedUtc: string, CustomerId = CUSTOMER): Carrier => ({
	Id,
	CreatedUtc,
	CustomerId,
	InvoiceNumber: 1001,
});
const mine = (r: Carrier) => String(r.CustomerId).toLowerCase() === CUSTOMER.toLowerCase();
const ids = (records: Carrier[]) => records.map((r) => r.Id);

describe('twins: what stands for the reference, what is removed, what is reported', () => {
	const hand = draft('hand', '2026-12-01T10:00:00.100Z', {
		Rows: [{ ...stored.Rows[1], Quantity: 1 }],
	});

	it('the earliest of our copies stays; later copies go; a hand-made draft is reported, earlier or not', () => {
		const ours = draft('ours', '2026-12-01T10:00:00.200Z');
		const copy = draft('copy', '2026-12-01T10:00:00.300Z');
		const s = settleCarriers({ drafts: [copy, hand, ours], invoices: [] }, mine, {
			body,
			ids: ['copy'],
		});
		expect(s.keep).toEqual({ record: ours, kind: 'draft' });
		expect(ids(s.remove)).toEqual(['copy']);
		expect(ids(s.others)).toEqual(['hand']);
	});

	it("this customer's booked invoice wins, whatever its time: every copy of ours goes", () => {
		const early = draft('early', '2026-12-01T09:00:00Z');
		const booked = invoice('inv', '2026-12-01T11:00:00Z');
		const s = settleCarriers({ drafts: [early, hand], invoices: [booked] }, mine, {
			body,
			ids: [],
		});
		expect(s.keep).toEqual({ record: booked, kind: 'invoice' });
		expect(ids(s.remove)).toEqual(['early']);
		expect(ids(s.others)).toEqual(['hand']);
	});

	it("another customer's records are reported, never removed, even with our content", () => {
		const theirs = draft('theirs', '2026-12-01T08:00:00Z', { CustomerId: OTHER });
		const theirInvoice = invoice('their-inv', '2026-12-01T08:00:00Z', OTHER);
		const ours = draft('ours', '2026-12-01T10:00:00Z');
		const s = settleCarriers({ drafts: [theirs, ours], invoices: [theirInvoice] }, mine, {
			body,
			ids: ['ours'],
		});
		expect(s.keep?.record.Id).toBe('ours');
		expect(s.remove).toEqual([]);
		expect(ids(s.others).sort()).toEqual(['their-inv', 'theirs']);
	});

	it('without anything of ours: nothing stands, unless the earliest draft may (a re-run)', () => {
		const later = draft('later', '2026-12-01T12:00:00Z', { Rows: [] });
		const carriers = { drafts: [later, hand], invoices: [] };
		expect(settleCarriers(carriers, mine, { body, ids: [] }).keep).toBeUndefined();
		const rerun = settleCarriers(carriers, mine, undefined, { fallback: true });
		expect(rerun.keep?.record.Id).toBe('hand');
		expect(rerun.remove).toEqual([]);
		expect(ids(rerun.others)).toEqual(['later']);
	});
});

describe('the twin look waits for what a concurrent POST needs to become visible', () => {
	const limits = { minMs: 250, maxMs: 5000, slotMs: 100 };
	it.each([
		// [POST round trip, now, wait]: twice the round trip, within [250, 5000], to the next 100.
		[10, 0, 300],
		[10, 1234, 266],
		[200, 0, 400],
		[480, 50, 1050],
		[10_000, 0, 5000],
	])('a POST of %i ms, at %i: %i ms', (postMs, now, wait) => {
		expect(twinLookWait(postMs, now, limits)).toBe(wait);
		expect((now + wait) % limits.slotMs).toBe(0);
	});

	it('without slots it waits exactly what visibility needs', () => {
		expect(twinLookWait(10, 1234, { ...limits, slotMs: 0 })).toBe(250);
	});
});

import { afterEach, describe, expect, it } from '@jest/globals';

import { configureTrigger, resetTrigger } from '../../nodes/VismaEAccounting/trigger/settings';
import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import type { TestBed } from './support';
import { SEED_IDS, useTestBed } from './support';
import { TriggerNode } from './triggerNode';
import { handMadeDraft, ok } from '../support/simulator';

type Json = Record<string, unknown>;
type Event =
	| 'newCustomer'
	| 'changedCustomer'
	| 'newArticle'
	| 'newDraftInvoice'
	| 'newBookedInvoice'
	| 'invoicePaid';

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Making things happen in the simulator (in-process, bypassing the API's auth and hooks)

let serial = 0;

function createCustomer(bed: TestBed): Json {
	serial++;
	return ok(
		bed.sim.api('POST', '/v2/customers', {
			Name: `Trigger Kund ${serial}`,
			InvoiceCity: 'Umeå',
			InvoicePostalCode: '903 26',
			TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
			IsPrivatePerson: false,
			IsActive: true,
		}),
	);
}

function changeCustomer(bed: TestBed, id: string): Json {
	const current = ok(bed.sim.api('GET', `/v2/customers/${id}`), 200);
	return ok(
		bed.sim.api('PUT', `/v2/customers/${id}`, { ...current, Note: `change ${++serial}` }),
		200,
	);
}

function createArticle(bed: TestBed): Json {
	serial++;
	return ok(
		bed.sim.api('POST', '/v2/articles', {
			Number: `TRG-${serial}`,
			Name: `Trigger artikel ${serial}`,
			IsActive: true,
			CodingId: SEED_IDS.codings.tjanster25,
			UnitId: SEED_IDS.units.timme,
			NetPrice: 100,
		}),
	);
}

function createDraft(bed: TestBed): Json {
	return handMadeDraft(bed.sim, SEED_IDS.customers.first, {}, { Quantity: 2 });
}

function bookInvoice(bed: TestBed): Json {
	const draft = createDraft(bed);
	return ok(bed.sim.api('POST', `/v2/customerinvoicedrafts/${String(draft.Id)}/convert`));
}

/** One occurrence of each event; returns the id the trigger should emit. */
const occurrence: Record<Event, (bed: TestBed) => string> = {
	newCustomer: (bed) => String(createCustomer(bed).Id),
	changedCustomer: (bed) => {
		// Cycle through seeded customers, so the same customer also changes more than once.
		const ids = [
			SEED_IDS.customers.first,
			SEED_IDS.customers.privatePerson,
			SEED_IDS.customers.apostrophe,
		];
		return String(changeCustomer(bed, ids[serial++ % ids.length]).Id);
	},
	newArticle: (bed) => String(createArticle(bed).Id),
	newDraftInvoice: (bed) => String(createDraft(bed).Id),
	newBookedInvoice: (bed) => String(bookInvoice(bed).Id),
	invoicePaid: (bed) => {
		const invoice = bookInvoice(bed);
		bed.sim.markInvoicePaid(String(invoice.Id));
		return String(invoice.Id);
	},
};

const ids = (items: Json[]) => items.map((item) => String(item.Id));
/** Records stamped in the same millisecond may come in any order. */
const sorted = (list: unknown[]) => list.map(String).sort();

const EVENTS: Event[] = [
	'newCustomer',
	'changedCustomer',
	'newArticle',
	'newDraftInvoice',
	'newBookedInvoice',
	'invoicePaid',
];

describe('Visma eAccounting Trigger', () => {
	const bed = useTestBed(
		{},
		{
			eachTest: true,
			ready: () => {
				configurePacing({ limit: 100_000 });
				resetTrigger();
			},
		},
	);
	afterEach(() => resetTrigger());

	describe.each(EVENTS)('%s', (event) => {
		it('emits nothing on the first poll, then every occurrence exactly once across polls', async () => {
			const node = new TriggerNode(bed, { event, simplify: false });
			expect(await node.poll()).toEqual([]);
			expect(node.state()).not.toBe('{}');

			const first = [occurrence[event](bed), occurrence[event](bed)];
			expect(sorted(ids(await node.poll()))).toEqual(sorted(first));
			expect(await node.poll()).toEqual([]);

			// Records between polls, with the clock moving on in between.
			const second = [occurrence[event](bed)];
			bed.sim.clock.advance(10 * MINUTE);
			second.push(occurrence[event](bed));
			expect(ids(await node.poll())).toEqual(second);

			// A day without polls (tokens expire and are refreshed), then more.
			bed.sim.clock.advance(24 * 60 * MINUTE);
			expect(await node.poll()).toEqual([]);
			const third = [occurrence[event](bed)];
			expect(ids(await node.poll())).toEqual(third);
			expect(await node.poll()).toEqual([]);
			bed.sim.clock.advance(10 * MINUTE);
			expect(await node.poll()).toEqual([]);
		});

		it('a manual test run returns the latest records and leaves the state alone', async () => {
			const node = new TriggerNode(bed, { event });
			const manualBefore = await node.poll('manual');
			expect(node.state()).toBe('{}');
			expect(manualBefore.length).toBeGreaterThan(0);
			expect(manualBefore.length).toBeLessThanOrEqual(5);

			await node.poll();
			const state = node.state();
			const id = occurrence[event](bed);
			const manual = await node.poll('manual');
			expect(ids(manual)).toContain(id);
			expect(node.state()).toBe(state);
			// The occurrence the manual run showed is still emitted by the next real poll.
			expect(ids(await node.poll())).toEqual([id]);
		});
	});

	describe('records written while the trigger pages', () => {
		it('new articles created between page 1 and page 2 are emitted once, none skipped', async () => {
			configureTrigger({ pageSize: 5 });
			const node = new TriggerNode(bed, { event: 'newArticle' });
			await node.poll();
			const expected = Array.from({ length: 12 }, () => String(createArticle(bed).Id));
			let requests = 0;
			bed.sim.hooks.beforeHandle = ({ path }) => {
				if (path === '/v2/articles' && ++requests === 2) {
					for (let i = 0; i < 4; i++) expected.push(String(createArticle(bed).Id));
				}
			};
			const emitted = ids(await node.poll());
			bed.sim.hooks.beforeHandle = null;
			emitted.push(...ids(await node.poll()));
			expect(requests).toBeGreaterThan(2);
			expect(emitted).toHaveLength(16);
			expect(new Set(emitted)).toEqual(new Set(expected));
		});

		it('more than 500 new customers, with more created between the two pages', async () => {
			const node = new TriggerNode(bed, { event: 'newCustomer' });
			await node.poll();
			const expected = Array.from({ length: 520 }, () => String(createCustomer(bed).Id));
			// An old customer changes too: it is not new and must not be emitted.
			changeCustomer(bed, SEED_IDS.customers.last);
			let requests = 0;
			bed.sim.hooks.beforeHandle = ({ path }) => {
				if (path === '/v2/customers' && ++requests === 2) {
					for (let i = 0; i < 5; i++) expected.push(String(createCustomer(bed).Id));
					changeCustomer(bed, SEED_IDS.customers.first);
				}
			};
			const emitted = ids(await node.poll());
			bed.sim.hooks.beforeHandle = null;
			emitted.push(...ids(await node.poll()));
			expect(emitted).toHaveLength(525);
			expect(new Set(emitted)).toEqual(new Set(expected));
			expect(await node.poll()).toEqual([]);
		});

		it('a customer changed while the trigger pages is emitted with its new version, nothing lost', async () => {
			configureTrigger({ pageSize: 5 });
			const node = new TriggerNode(bed, { event: 'changedCustomer', simplify: false });
			await node.poll();
			const seeded = bed.sim
				.list('customers')
				.slice(0, 12)
				.map((c) => String(c.Id));
			for (const id of seeded) changeCustomer(bed, id);
			let requests = 0;
			let newVersion: Json | undefined;
			bed.sim.hooks.beforeHandle = ({ path }) => {
				// The first changed customer was on page 1; now it changes again and moves to the end.
				if (path === '/v2/customers' && ++requests === 2)
					newVersion = changeCustomer(bed, seeded[0]);
			};
			const emitted = await node.poll();
			bed.sim.hooks.beforeHandle = null;
			emitted.push(...(await node.poll()));
			expect(new Set(ids(emitted))).toEqual(new Set(seeded));
			const versions = emitted.map((c) => `${String(c.Id)}@${String(c.ChangedUtc)}`);
			expect(new Set(versions).size).toBe(versions.length);
			expect(emitted.filter((c) => c.Id === seeded[0]).map((c) => c.Note)).toEqual([
				expect.any(String),
				newVersion!.Note,
			]);
			expect(emitted).toHaveLength(13);
			expect(await node.poll()).toEqual([]);
		});

		it('drafts created in the same millisecond as a whole page are all emitted once', async () => {
			configureTrigger({ pageSize: 3 });
			const node = new TriggerNode(bed, { event: 'newDraftInvoice' });
			await node.poll();
			// Freeze the simulator's clock so every draft gets the same CreatedUtc.
			const clock = bed.sim.clock;
			const frozen = clock.now();
			const realNow = clock.now;
			clock.now = () => new Date(frozen);
			const expected = Array.from({ length: 8 }, () => String(createDraft(bed).Id));
			clock.now = realNow;
			clock.advance(1);
			expected.push(String(createDraft(bed).Id));
			const emitted = ids(await node.poll());
			// The block was read by page number in a stable order, last page first.
			const block = bed.sim.log.filter((e) => e.query.$orderby === 'CreatedUtc asc,Id asc');
			expect(block.map((e) => [e.query.$pagesize, e.query.$page])).toEqual([
				['1', '1'],
				['3', '3'],
				['3', '2'],
				['3', '1'],
			]);
			expect(emitted).toHaveLength(9);
			expect(new Set(emitted)).toEqual(new Set(expected));
			expect(await node.poll()).toEqual([]);
		});
	});

	describe('invoices', () => {
		it('Invoice Paid: once per invoice, even when it is modified again later; paid before activation never', async () => {
			const node = new TriggerNode(bed, { event: 'invoicePaid' });
			await node.poll();
			// A seeded invoice that was already paid changes: not a new payment.
			bed.sim.markInvoicePaid(SEED_IDS.invoices.paid);
			// A seeded invoice that was open at activation gets paid.
			bed.sim.markInvoicePaid(SEED_IDS.invoices.unpaid);
			// A new invoice, seen open by one poll, then paid.
			const later = bookInvoice(bed);
			expect(ids(await node.poll())).toEqual([SEED_IDS.invoices.unpaid]);
			bed.sim.markInvoicePaid(String(later.Id));
			const paid = await node.poll();
			expect(ids(paid)).toEqual([later.Id]);
			expect(paid[0]).toMatchObject({ PaymentStatus: 0, RemainingAmount: 0 });

			// Modified again (paid again, ModifiedUtc moves): never emitted twice.
			bed.sim.clock.advance(MINUTE);
			bed.sim.markInvoicePaid(String(later.Id));
			bed.sim.markInvoicePaid(SEED_IDS.invoices.unpaid);
			expect(await node.poll()).toEqual([]);
			bed.sim.clock.advance(30 * MINUTE);
			bed.sim.markInvoicePaid(String(later.Id));
			expect(await node.poll()).toEqual([]);
		});

		it('Invoice Paid: a partial payment is not a payment; the final one is', async () => {
			const node = new TriggerNode(bed, { event: 'invoicePaid' });
			await node.poll();
			const invoice = ok(
				bed.sim.api('GET', `/v2/customerinvoices/${SEED_IDS.invoices.unpaid2}`),
				200,
			);
			const pay = (amount: number) =>
				ok(
					bed.sim.api('POST', `/v2/customerinvoices/${SEED_IDS.invoices.unpaid2}/payments`, {
						PaymentDate: new Date(bed.sim.clock.now()).toISOString().slice(0, 10),
						PaymentAmount: amount,
						PaymentCurrency: invoice.CurrencyCode,
						CompanyBankAccountId: SEED_IDS.bankAccounts.foretagskonto,
						PaymentType: 1,
					}),
				);
			pay(10);
			expect(await node.poll()).toEqual([]);
			pay(Number(invoice.RemainingAmountInvoiceCurrency) - 10);
			expect(ids(await node.poll())).toEqual([SEED_IDS.invoices.unpaid2]);
			expect(await node.poll()).toEqual([]);
		});

		it('New Booked Invoice: not emitted again when the invoice is paid later', async () => {
			const node = new TriggerNode(bed, { event: 'newBookedInvoice' });
			await node.poll();
			const invoice = bookInvoice(bed);
			expect(ids(await node.poll())).toEqual([invoice.Id]);
			bed.sim.markInvoicePaid(String(invoice.Id));
			bed.sim.markInvoicePaid(SEED_IDS.invoices.overdue);
			expect(await node.poll()).toEqual([]);
		});
	});

	describe('output and state', () => {
		it('Simplify keeps the main fields; off returns the whole Visma record', async () => {
			const node = new TriggerNode(bed, { event: 'newCustomer' });
			await node.poll();
			const id = occurrence.newCustomer(bed);
			const [simple] = await node.poll();
			expect(simple).toMatchObject({
				Id: id,
				Name: expect.any(String),
				CustomerNumber: expect.any(String),
			});
			expect(simple).not.toHaveProperty('TermsOfPayment');

			node.set({ simplify: false });
			const id2 = occurrence.newCustomer(bed);
			const [raw] = await node.poll();
			expect(raw).toMatchObject({
				Id: id2,
				TermsOfPayment: expect.any(Object),
				InvoicePostalCode: '903 26',
			});
		});

		it('New Customer reads all customers once at activation and keeps about 12 characters per customer', async () => {
			const node = new TriggerNode(bed, { event: 'newCustomer' });
			await node.poll();
			const state = node.staticData.visma as { known: string; seen: object; cursor: string };
			const customers = bed.sim.list('customers').length;
			expect(state.known.length).toBe(12 * customers);
			expect(state.seen).toEqual({});
			const listing = bed.sim.log.filter((e) => String(e.path ?? '').startsWith('/v2/customers'));
			expect(listing.length).toBeLessThanOrEqual(3);
		});

		it('a poll that fails half-way leaves the state as it was; the next poll emits what it missed', async () => {
			configureTrigger({ pageSize: 5 });
			const node = new TriggerNode(bed, { event: 'newArticle' });
			await node.poll();
			const expected = Array.from({ length: 8 }, () => String(createArticle(bed).Id));
			const before = node.state();
			let requests = 0;
			bed.sim.hooks.beforeHandle = ({ path }) => {
				// After page 1, the next request is refused (414, not retried).
				if (path === '/v2/articles' && ++requests === 1) bed.sim.configure({ maxUrlLength: 20 });
			};
			await expect(node.poll()).rejects.toThrow();
			expect(node.state()).toBe(before);
			bed.sim.hooks.beforeHandle = null;
			bed.sim.configure({ maxUrlLength: 2048 });
			expect(sorted(ids(await node.poll()))).toEqual(sorted(expected));
		});

		it('changing the event starts afresh from now', async () => {
			const node = new TriggerNode(bed, { event: 'newArticle' });
			await node.poll();
			createArticle(bed);
			node.set({ event: 'newDraftInvoice' });
			createDraft(bed);
			expect(await node.poll()).toEqual([]);
			const draft = createDraft(bed);
			expect(ids(await node.poll())).toEqual([draft.Id]);
		});

		it('two polls running at once do not emit the same record twice', async () => {
			const node = new TriggerNode(bed, { event: 'newArticle' });
			await node.poll();
			const expected = Array.from({ length: 6 }, () => String(createArticle(bed).Id));
			const [a, b] = await Promise.all([node.poll(), node.poll()]);
			expect(sorted([...ids(a), ...ids(b)])).toEqual(sorted(expected));
		});
	});
});

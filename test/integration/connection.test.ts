import { beforeEach, describe, expect, it } from '@jest/globals';

import { resetTrigger } from '../../nodes/VismaEAccounting/trigger/settings';
import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import { resetCompanies } from '../../nodes/VismaEAccounting/transport/identity';
import type { TestBed } from './support';
import { exportInvoiceParameters, SEED_IDS, testBed, closeAfterEach } from './support';
import { TriggerNode } from './triggerNode';
import { handMadeDraft, storedTokens, ok } from '../support/simulator';

type Json = Record<string, unknown>;

const MINUTE = 60_000;

/**
 * Another company with three customers and one unpaid invoice booked a while ago, as a user
 * would have it before connecting n8n to it. The simulator's selected company stays as it was.
 */
function otherCompany(bed: TestBed): { companyId: string; customers: string[]; invoice: string } {
	const before = bed.sim.companyId();
	const companyId = bed.sim.addCompany({ seed: 'empty', name: 'Kiruna Rör AB' });
	bed.sim.selectCompany(companyId);
	const customers = [1, 2, 3].map((n) =>
		String(
			ok(
				bed.sim.api('POST', '/v2/customers', {
					Name: `Kund ${n} i Kiruna`,
					InvoiceCity: 'Kiruna',
					InvoicePostalCode: '981 31',
					TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
					IsPrivatePerson: false,
					IsActive: true,
				}),
			).Id,
		),
	);
	const article = ok(
		bed.sim.api('POST', '/v2/articles', {
			Number: 'R1',
			Name: 'Rörarbete',
			IsActive: true,
			CodingId: SEED_IDS.codings.tjanster25,
			UnitId: SEED_IDS.units.timme,
			NetPrice: 800,
		}),
	);
	const draft = handMadeDraft(
		bed.sim,
		customers[0],
		{},
		{
			ArticleId: article.Id,
			Quantity: 3,
			UnitPrice: 800,
		},
	);
	const invoice = ok(bed.sim.api('POST', `/v2/customerinvoicedrafts/${String(draft.Id)}/convert`));
	bed.sim.selectCompany(before);
	return { companyId, customers, invoice: String(invoice.Id) };
}

/** What "connect again and pick another company" leaves in the credential: new tokens for it. */
function reconnect(bed: TestBed, companyId: string): void {
	bed.credential.data = {
		...bed.credential.data,
		oauthTokenData: storedTokens(bed.sim, { companyId }),
	};
}

describe('a connection knows its company', () => {
	let bed: TestBed;
	beforeEach(async () => {
		resetCompanies();
		resetTrigger();
	});
	closeAfterEach(() => bed);

	it('after the credential is connected to another company, the trigger starts afresh there and emits its events', async () => {
		bed = await testBed();
		configurePacing({ limit: 100_000 });
		const other = otherCompany(bed);
		bed.sim.clock.advance(30 * MINUTE);

		const paid = new TriggerNode(bed, { event: 'invoicePaid' });
		const created = new TriggerNode(bed, { event: 'newCustomer' });
		expect(await paid.poll()).toEqual([]);
		expect(await created.poll()).toEqual([]);
		const stateOfFirstCompany = paid.state();

		reconnect(bed, other.companyId);
		// First poll for the new company: like a first activation, nothing is emitted. Its three
		// customers existed before: none of them is new.
		expect(await paid.poll()).toEqual([]);
		expect(await created.poll()).toEqual([]);
		expect(paid.state()).not.toBe(stateOfFirstCompany);

		// The invoice that was open in the new company gets paid: emitted once.
		bed.sim.selectCompany(other.companyId);
		bed.sim.markInvoicePaid(other.invoice);
		expect((await paid.poll()).map((i) => i.Id)).toEqual([other.invoice]);
		expect(await paid.poll()).toEqual([]);
	});

	it('stored trigger state holds no URL, credential ID or token, only a hash of the connection', async () => {
		bed = await testBed();
		configurePacing({ limit: 100_000 });
		const node = new TriggerNode(bed, { event: 'newArticle' });
		await node.poll();
		await node.poll();
		const stored = node.state();
		const { oauthTokenData } = bed.credential.data;
		for (const secret of [
			bed.sim.url,
			'127.0.0.1',
			bed.credential.id,
			oauthTokenData.access_token,
			oauthTokenData.refresh_token,
			bed.sim.companyId(),
		])
			expect(stored).not.toContain(secret);
		expect((node.staticData.visma as Json).scope).toMatch(/^[0-9a-f]{32}$/);
	});

	it('with opaque tokens the company comes from the company settings, read once per token', async () => {
		bed = await testBed({ accessTokenFormat: 'opaque' });
		configurePacing({ limit: 100_000 });
		expect(bed.credential.data.oauthTokenData.access_token).not.toContain('.');
		const settingsReads = () =>
			bed.sim.log.filter((e) => e.method === 'GET' && e.path === '/v2/companysettings').length;
		const list = { resource: 'unit', operation: 'getAll', returnAll: true };

		// The first execution creates a customer, which needs the settings anyway: one read serves both.
		const { items } = await bed.run(exportInvoiceParameters, [
			{
				invoiceNumber: 'OPQ-1',
				customer: { number: '7001', name: 'Opak AB', postalCode: '903 26', city: 'Umeå' },
				rows: [{ text: 'Arbete', quantity: 1, unitPrice: 100 }],
			},
		]);
		expect(items[0].json).toMatchObject({ outcome: 'created', customer: { outcome: 'created' } });
		expect(settingsReads()).toBe(1);
		for (let i = 0; i < 3; i++) await bed.run(list);
		expect(settingsReads()).toBe(1);

		// The token expires and is refreshed: the new token's company is read once.
		bed.sim.expireAccessTokens();
		for (let i = 0; i < 4; i++) await bed.run(list);
		expect(bed.credential.refreshes).toBe(1);
		expect(settingsReads()).toBe(2);

		// Connected to another company: the trigger starts afresh there too.
		const other = otherCompany(bed);
		const node = new TriggerNode(bed, { event: 'newCustomer' });
		await node.poll();
		reconnect(bed, other.companyId);
		expect(await node.poll()).toEqual([]);
		bed.sim.selectCompany(other.companyId);
		const newer = ok(
			bed.sim.api('POST', '/v2/customers', {
				Name: 'Ny kund i Kiruna',
				InvoiceCity: 'Kiruna',
				InvoicePostalCode: '981 31',
				TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
				IsPrivatePerson: false,
				IsActive: true,
			}),
		);
		expect((await node.poll()).map((c) => c.Id)).toEqual([newer.Id]);
	});
});

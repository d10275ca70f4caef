import { describe, expect, it } from '@jest/globals';
import type { NodeOperationError } from 'n8n-workflow';

import { GENERAL_ADVICE } from '../../nodes/VismaEAccounting/services/outcome';
import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import { exportInvoiceParameters, useTestBed } from './support';

type Json = Record<string, unknown>;

const approval = (n: number, customerNumber = `C-${n}`) => ({
	invoiceNumber: `ANS-${n}`,
	customer: { number: customerNumber, name: `Kund ${n} AB`, postalCode: '903 26', city: 'Umeå' },
	rows: [{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 }],
});

const findOrCreate = (number: unknown) => ({
	resource: 'customer',
	operation: 'findOrCreate',
	customerNumber: number,
	customerName: 'Agentkund AB',
	postalCode: '903 26',
	city: 'Umeå',
});

const bed = useTestBed(
	{},
	{
		eachTest: true,
		ready: () =>
			configurePacing({ retryBaseMs: 5, settleMs: 5, lostAnswerWaitMs: 50, limit: 100_000 }),
	},
);

describe('every error says what to do', () => {
	it('Visma keeps failing the reference look-up: with Continue On Fail every item is an error item with a description', async () => {
		bed.sim.injectFault({
			method: 'GET',
			path: '/v2/customerinvoicedrafts',
			kind: '503',
			times: 100,
		});
		const { items } = await bed.run(exportInvoiceParameters, [approval(1), approval(2)], {
			continueOnFail: true,
		});
		expect(items.map((i) => i.json)).toEqual([
			{
				error: 'Visma eAccounting is unavailable (HTTP 503) [item 0]',
				message: expect.stringContaining('This is usually temporary. Run again in a few minutes.'),
			},
			{
				error: 'Visma eAccounting is unavailable (HTTP 503) [item 1]',
				message: expect.stringContaining('This is usually temporary'),
			},
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(bed.sim.list('customerinvoicedrafts').filter((d) => d.ContractNumber)).toEqual([]);
	});

	it('without Continue On Fail the node stops with the same advice', async () => {
		bed.sim.injectFault({ method: 'GET', path: '/v2/customers', kind: '500-5001', times: 100 });
		const error = await bed.run(findOrCreate('7101')).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error?.message).toMatch(/^Visma eAccounting could not reach one of its own services/);
		expect(error?.description).toContain('Run again in a few minutes');
	});

	it('an error that came without advice gets the general advice, never null', async () => {
		// n8n itself fails before Visma answers (here: its token refresh breaks with a plain error).
		bed.sim.expireAccessTokens();
		bed.credential.refresh = async () => {
			throw new Error('Unexpected end of JSON input');
		};
		const { items } = await bed.run(findOrCreate('7102'), [{}], { continueOnFail: true });
		expect(items[0].json).toEqual({
			error: expect.stringContaining('Unexpected end of JSON input'),
			message: GENERAL_ADVICE,
		});
		expect(GENERAL_ADVICE).toMatch(/Run it again.*reconnect it/);
	});

	it('bad input names the field; its description needs no item index', async () => {
		const { items } = await bed.run(findOrCreate('X'.repeat(20)), [{}], { continueOnFail: true });
		expect(items[0].json).toEqual({
			error: expect.stringMatching(/^Customer Number .*too long.* \[item 0\]$/),
			message: 'Fix this field in the input and run again. Nothing was written for this item.',
		});
	});
});

describe('as an AI agent tool', () => {
	it('Find or Create answers with the outcome first and the Simplify fields, no nulls', async () => {
		const { items } = await bed.run(findOrCreate('7201'), [{}], { asTool: true });
		expect(items).toHaveLength(1);
		const answer = items[0].json as Json;
		expect(Object.keys(answer)[0]).toBe('outcome');
		expect(answer).toMatchObject({
			outcome: 'created',
			Id: expect.any(String),
			CustomerNumber: '7201',
			Name: 'Agentkund AB',
			InvoiceCity: 'Umeå',
			IsActive: true,
		});
		expect(Object.values(answer)).not.toContain(null);
		expect(answer).not.toHaveProperty('TermsOfPayment');
		expect(JSON.stringify(answer).length).toBeLessThan(400);

		// The same operation outside an agent still returns the whole customer.
		const { items: full } = await bed.run(findOrCreate('7201'));
		expect(Object.keys(full[0].json).length).toBeGreaterThan(50);
		expect(full[0].json.outcome).toBe('found');
	});

	it('Export Invoice as Draft answers with the outcome, the draft fields and the summaries', async () => {
		const { items } = await bed.run(exportInvoiceParameters, [approval(3, '1001')], {
			asTool: true,
		});
		const answer = items[0].json as Json;
		expect(Object.keys(answer).slice(0, 2)).toEqual(['outcome', 'Id']);
		expect(answer).toMatchObject({
			outcome: 'created',
			ContractNumber: 'ANS-3',
			customer: { CustomerNumber: '1001', outcome: 'found' },
			// Every row names an article: the default article is not created (issue 18, point 6).
			defaultArticle: { Number: 'DEFAULT', outcome: 'notNeeded' },
			sourceReference: { field: 'ContractNumber', value: 'ANS-3' },
		});
		expect(answer).not.toHaveProperty('Rows');
		expect(JSON.stringify(answer).length).toBeLessThan(1500);
	});

	it('a too-long customer number fails with a message that needs no item index and says what to do', async () => {
		const error = await bed.run(findOrCreate('X'.repeat(20)), [{}], { asTool: true }).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error?.message).toMatch(/^Customer Number .*too long/);
		expect(error?.message).not.toMatch(/\[item|item 0/);
		expect(error?.message).toContain('Nothing was written');
		expect(
			bed.sim.list('customers').filter((c) => String(c.CustomerNumber).startsWith('X')),
		).toEqual([]);
	});

	it('a failure of Visma reaches the agent as one sentence with the advice', async () => {
		bed.sim.injectFault({ method: 'GET', path: '/v2/customers', kind: '503', times: 100 });
		const error = await bed.run(findOrCreate('7202'), [{}], { asTool: true }).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error?.message).toBe(
			'Visma eAccounting is unavailable (HTTP 503). This is usually temporary. Run again in a few minutes.',
		);
	});
});

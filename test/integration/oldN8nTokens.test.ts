import { describe, expect, it } from '@jest/globals';

import { exportInvoiceParameters, useTestBed } from './support';

/**
 * n8n before 2.30 refreshes on every 401 without waiting for a refresh already running, and
 * Visma's refresh tokens rotate: two calls that both meet a token Visma no longer accepts
 * refresh twice, and the second refresh fails with invalid_grant. The node must never race
 * itself there: one execution's calls meet a dead token one at a time.
 */
const bed = useTestBed(
	{},
	{
		eachTest: true,
		ready: (b) => {
			b.credential.serializeRefresh = false;
		},
	},
);

const approval = (invoiceNumber: string) => ({
	invoiceNumber,
	customer: { number: '1001' },
	rows: [{ articleNumber: 'A100', text: 'Snickeri', quantity: 2, unitPrice: 650 }],
});

describe('tokens on n8n before 2.30', () => {
	it('an export after Visma stopped accepting the access token refreshes once and succeeds', async () => {
		await bed.run(exportInvoiceParameters, [approval('OLD-N8N-1')]);
		bed.sim.expireAccessTokens();
		const attemptsBefore = bed.credential.refreshAttempts;
		const { items } = await bed.run(exportInvoiceParameters, [approval('OLD-N8N-2')]);
		expect(items[0].json.outcome).toBe('created');
		expect(bed.credential.refreshAttempts).toBe(attemptsBefore + 1);
	});
});

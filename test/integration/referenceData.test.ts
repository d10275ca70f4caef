import { describe, expect, it } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';

import { SEED_IDS, useTestBed } from './support';
import { storedTokens } from '../support/simulator';

describe('Unit, Article Account Coding, Terms of Payment, VAT Code > Get Many', () => {
	const bed = useTestBed();

	it.each([
		['unit', 'units'],
		['articleAccountCoding', 'articleaccountcodings'],
		['termsOfPayment', 'termsofpayments'],
	] as const)(
		'%s lists everything, or up to Limit, one item per record',
		async (resource, collection) => {
			const all = bed.sim.list(collection);
			const everything = await bed.run({ resource, operation: 'getAll', returnAll: true });
			expect(everything.items.map((o) => o.json)).toEqual(all);
			expect(everything.items.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(
				true,
			);
			const two = await bed.run({ resource, operation: 'getAll', limit: 2 });
			expect(two.items.map((o) => o.json)).toEqual(all.slice(0, 2));
		},
	);

	it('VAT codes without the accounting scope: the error names the missing scope', async () => {
		const error = await bed.run({ resource: 'vatCode', operation: 'getAll', returnAll: true }).then(
			() => undefined,
			(e: unknown) => e as NodeApiError,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe(
			'The credential is missing a permission (scope) this request needs [item 0]',
		);
		expect(error!.description).toMatch(
			/VAT codes need ea:accounting_readonly: add it under Additional Scopes and reconnect/,
		);
		expect(error!.httpCode).toBe('403');
		expect(bed.sim.log.at(-1)).toMatchObject({ route: 'vatcodes', status: 403 });
	});

	it('VAT codes with the accounting scope', async () => {
		const scopes = ['ea:api', 'offline_access', 'ea:sales', 'ea:accounting_readonly'];
		bed.credential.data.oauthTokenData = storedTokens(bed.sim, { scopes });
		const { items: out } = await bed.run({
			resource: 'vatCode',
			operation: 'getAll',
			returnAll: true,
		});
		expect(out.map((o) => o.json.Id)).toEqual(bed.sim.list('vatcodes').map((v) => v.Id));
		expect(out.map((o) => o.json.Id)).toContain(SEED_IDS.vatCodes.moms25);
	});
});

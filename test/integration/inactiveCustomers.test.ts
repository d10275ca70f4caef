import { describe, expect, it } from '@jest/globals';
import { NodeOperationError } from 'n8n-workflow';

import { propertiesOf } from '../../nodes/VismaEAccounting/actions/resources';
import { failureOf, lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import { exportInvoiceParameters, fromItem, useTestBed } from './support';

type Json = Record<string, unknown>;
const customerOperations = propertiesOf('customer');
const draftOperations = propertiesOf('customerInvoiceDraft');

/** The seeded customer 1007 is inactive ("vilande"). */
const INACTIVE = '1007';

const customer = (bed: TestBed, number: string) =>
	bed.sim.list('customers').find((c) => c.CustomerNumber === number)!;
const stable = (c: Json) => ({ ...c, ChangedUtc: null });

const findOrCreate = (options: Json = {}) => ({
	resource: 'customer',
	operation: 'findOrCreate',
	customerNumber: fromItem('number'),
	customerName: fromItem('name'),
	postalCode: '903 26',
	city: 'Umeå',
	options,
});

const invoice = (number: string, ref: string) => ({
	invoiceNumber: ref,
	customer: { number, name: `Kund ${number}`, postalCode: '903 26', city: 'Umeå' },
	rows: [{ articleNumber: 'A100', quantity: 1, unitPrice: 650 }],
});

describe('If Customer Is Inactive', () => {
	const bed = useTestBed({}, { eachTest: true });

	it('is an option of Find or Create Customer and Export Invoice as Draft: Use Anyway by default, sorted choices', () => {
		for (const [operation, properties] of [
			['findOrCreate', customerOperations],
			['exportInvoice', draftOperations],
		] as const) {
			const options = properties.find(
				(p) =>
					p.type === 'collection' &&
					p.displayOptions?.show?.operation?.includes(operation) &&
					p.displayName === 'Options',
			);
			const option = options?.options?.find((o) => 'name' in o && o.name === 'ifInactive');
			expect({ operation, option }).toMatchObject({
				operation,
				option: {
					displayName: 'If Customer Is Inactive',
					type: 'options',
					default: 'useAnyway',
					options: [
						{ name: 'Fail', value: 'fail' },
						{ name: 'Reactivate', value: 'reactivate' },
						{ name: 'Use Anyway', value: 'useAnyway' },
					],
				},
			});
		}
	});

	it('Find or Create, Use Anyway (the default): the customer is used as it is and flagged inactive', async () => {
		const before = customer(bed, INACTIVE);
		expect(before.IsActive).toBe(false);
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(findOrCreate(), [
			{ number: INACTIVE },
			{ number: '1001' },
		]);
		expect(out[0].json).toMatchObject({
			Id: before.Id,
			CustomerNumber: INACTIVE,
			IsActive: false,
			outcome: 'found',
			inactive: true,
		});
		expect(out[1].json).toMatchObject({ CustomerNumber: '1001', outcome: 'found' });
		expect(out[1].json).not.toHaveProperty('inactive');
		const explicit = await bed.run(findOrCreate({ ifInactive: 'useAnyway' }), [
			{ number: INACTIVE },
		]);
		expect(explicit.items[0].json).toMatchObject({ outcome: 'found', inactive: true });
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('Find or Create, Reactivate: the full customer is PUT back with IsActive true, once', async () => {
		const before = customer(bed, INACTIVE);
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(findOrCreate({ ifInactive: 'reactivate' }), [
			{ number: INACTIVE },
			{ number: INACTIVE },
			{ number: '1001' },
		]);
		expect(
			out.map((o) => [
				o.json.CustomerNumber,
				o.json.outcome,
				o.json.changedFields,
				o.json.inactive,
			]),
		).toEqual([
			[INACTIVE, 'updated', ['IsActive'], undefined],
			[INACTIVE, 'found', undefined, undefined],
			['1001', 'found', undefined, undefined],
		]);
		expect(out[0].json.IsActive).toBe(true);
		expect(writesAfter(bed, mark)).toEqual(['PUT customers/{customerId}']);
		const after = customer(bed, INACTIVE);
		expect(stable({ ...after, IsActive: false })).toEqual(stable(before));
		expect(after.IsActive).toBe(true);
	});

	it('Reactivate with Update Existing Customer changes the fields and IsActive in one PUT', async () => {
		const before = customer(bed, INACTIVE);
		const { items: out } = await bed.run(
			{
				...findOrCreate({ ifInactive: 'reactivate', updateExisting: true }),
				city: 'Luleå',
				postalCode: before.InvoicePostalCode,
			},
			[{ number: INACTIVE, name: before.Name }],
		);
		expect(out[0].json).toMatchObject({
			outcome: 'updated',
			changedFields: ['InvoiceCity', 'IsActive'],
			IsActive: true,
			InvoiceCity: 'Luleå',
		});
		expect(customer(bed, INACTIVE)).toMatchObject({
			IsActive: true,
			InvoiceCity: 'Luleå',
			Name: before.Name,
		});
	});

	it('Find or Create, Fail: the item fails naming the customer, before anything is written', async () => {
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run(findOrCreate({ ifInactive: 'fail' }), [{ number: '1001' }, { number: INACTIVE }]),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe(
			`Customer number ${INACTIVE} (Lindqvist Måleri HB (vilande)) is inactive in eAccounting [item 1]`,
		);
		expect(error!.description).toMatch(
			/Reactivate the customer in eAccounting, or set the option If Customer Is Inactive to Use Anyway or Reactivate\. Nothing was written/,
		);

		const { items: out } = await bed.run(
			findOrCreate({ ifInactive: 'fail' }),
			[{ number: INACTIVE }, { number: 'NY-1', name: 'Ny Kund AB' }],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toBe(
			`Customer number ${INACTIVE} (Lindqvist Måleri HB (vilande)) is inactive in eAccounting [item 0]`,
		);
		expect(out[1].json).toMatchObject({ CustomerNumber: 'NY-1', outcome: 'created' });
		expect(writesAfter(bed, mark)).toEqual(['POST customers']);
		expect(customer(bed, INACTIVE).IsActive).toBe(false);
	});

	it('Export Invoice as Draft, Use Anyway: the draft is created and the customer summary says inactive', async () => {
		const { items: out } = await bed.run(exportInvoiceParameters, [invoice(INACTIVE, 'INV-I1')]);
		expect(out[0].json).toMatchObject({
			outcome: 'created',
			CustomerId: customer(bed, INACTIVE).Id,
			customer: { CustomerNumber: INACTIVE, outcome: 'found', inactive: true },
		});
		expect(customer(bed, INACTIVE).IsActive).toBe(false);
	});

	it('Export Invoice as Draft, Reactivate: the customer is active again and the summary says what changed', async () => {
		const { items: out } = await bed.run(
			{
				...exportInvoiceParameters,
				exportOptions: { ...exportInvoiceParameters.exportOptions, ifInactive: 'reactivate' },
			},
			[invoice(INACTIVE, 'INV-R1')],
		);
		expect(out[0].json).toMatchObject({
			outcome: 'created',
			customer: { CustomerNumber: INACTIVE, outcome: 'updated', changedFields: ['IsActive'] },
		});
		expect(out[0].json.customer).not.toHaveProperty('inactive');
		expect(customer(bed, INACTIVE).IsActive).toBe(true);
	});

	it('Export Invoice as Draft, Fail: the item fails before anything is written for it; the others go on', async () => {
		// The default article exists already, as it does after the first export.
		await bed.run({ ...exportInvoiceParameters, exportOptions: {} }, [
			invoice('1001', 'INV-SETUP'),
		]);
		const drafts = bed.sim.list('customerinvoicedrafts').length;
		const mark = lastSeq(bed);
		const params = {
			...exportInvoiceParameters,
			exportOptions: { ...exportInvoiceParameters.exportOptions, ifInactive: 'fail' },
		};

		const error = await failureOf(bed.run(params, [invoice(INACTIVE, 'INV-F1')]));
		expect(error!.message).toBe(
			`Customer number ${INACTIVE} (Lindqvist Måleri HB (vilande)) is inactive in eAccounting [item 0]`,
		);
		expect(writesAfter(bed, mark)).toEqual([]);

		const { items: out } = await bed.run(
			params,
			[invoice(INACTIVE, 'INV-F2'), invoice('1002', 'INV-F3')],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toBe(
			`Customer number ${INACTIVE} (Lindqvist Måleri HB (vilande)) is inactive in eAccounting [item 0]`,
		);
		expect(out[1].json).toMatchObject({ outcome: 'created', ContractNumber: 'INV-F3' });
		expect(writesAfter(bed, mark)).toEqual(['POST customerinvoicedrafts']);
		expect(bed.sim.list('customerinvoicedrafts')).toHaveLength(drafts + 1);
		expect(customer(bed, INACTIVE).IsActive).toBe(false);
	});
});

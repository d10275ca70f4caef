import { describe, expect, it } from '@jest/globals';
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TestBed } from './support';
import { byId, fromItem, SEED_IDS, useTestBed } from './support';

/** Export Invoice as Draft reads every field from the item, so one table covers them all. */
const exportInvoice = {
	resource: 'customerInvoiceDraft',
	operation: 'exportInvoice',
	customerNumber: fromItem('customerNumber'),
	customerName: fromItem('name'),
	postalCode: fromItem('postalCode'),
	city: fromItem('city'),
	customerFields: {
		countryCode: fromItem('countryCode'),
		currency: fromItem('currency'),
		vatNumber: fromItem('vatNumber'),
		email: fromItem('email'),
		isPrivatePerson: fromItem('isPrivatePerson'),
		termsOfPaymentId: fromItem('termsOfPaymentId'),
	},
	rowsSource: 'mapFromInput',
	rowsData: fromItem('rows'),
	defaultArticleNumber: (item: INodeExecutionData) => item.json.defaultArticleNumber ?? 'DEFAULT',
	defaultArticleName: 'Other',
	defaultArticleUnitId: (item: INodeExecutionData) => item.json.unitId ?? SEED_IDS.units.styck,
	defaultArticleCodingId: (item: INodeExecutionData) =>
		item.json.codingId ?? SEED_IDS.codings.tjanster25,
	draftFields: { invoiceDate: fromItem('invoiceDate'), dueDate: fromItem('dueDate') },
	exportOptions: { sourceReference: fromItem('ref') },
};

// The second row uses the default article, so a bad default article stops the item too.
const valid = {
	customerNumber: 'OK-1',
	name: 'Giltig Kund AB',
	postalCode: '903 26',
	city: 'Umeå',
	rows: [
		{ articleNumber: 'A100', quantity: 1, unitPrice: 100 },
		{ text: 'Material', quantity: 1, unitPrice: 40 },
	],
	ref: 'REF-OK',
};
const row = (r: Record<string, unknown>) => ({
	rows: [{ articleNumber: 'A100', quantity: 1, ...r }],
});
const rows = (n: number) => ({
	rows: Array.from({ length: n }, () => ({ articleNumber: 'A100', quantity: 1 })),
});

/** [what is wrong, the item (merged over a valid one), the error it must give]. */
const CASES: Array<[string, Record<string, unknown>, RegExp]> = [
	['missing customer number', { customerNumber: '' }, /^Customer Number is required/],
	[
		'customer number too long',
		{ customerNumber: '12345678901234567' },
		/^Customer Number is too long: 17/,
	],
	[
		'customer number of the wrong type',
		{ customerNumber: { id: 1 } },
		/^Customer Number must be text/,
	],
	[
		'name longer than Visma allows',
		{ name: 'N'.repeat(51) },
		/^Name is too long: 51 characters, Visma allows 50/,
	],
	['postal code too long', { postalCode: '12345 67890 1' }, /^Postal Code is too long/],
	[
		'quantity not a number',
		row({ quantity: 'abc' }),
		/^Row 1: Quantity must be a number, got "abc"/,
	],
	['quantity NaN', row({ quantity: Number.NaN }), /^Row 1: Quantity must be a finite number/],
	[
		'price not a number',
		row({ unitPrice: '12 kr' }),
		/^Row 1: Unit Price must be a number, got "12 kr"/,
	],
	[
		'price of the wrong type',
		row({ unitPrice: true }),
		/^Row 1: Unit Price must be a number, got true/,
	],
	[
		'price with an operator inside',
		row({ unitPrice: '1) or (1 eq 1' }),
		/^Row 1: Unit Price must be a number/,
	],
	[
		'discount above 100',
		row({ discountPercent: 101 }),
		/^Row 1: Discount \(%\) must be at most 100, got 101/,
	],
	[
		'discount below 0',
		row({ discountPercent: -5 }),
		/^Row 1: Discount \(%\) must be at least 0, got -5/,
	],
	['empty row list', { rows: [] }, /^Rows must contain at least one row/],
	[
		'rows expression that returned nothing',
		{ rows: null },
		/^Rows expression returned nothing; check that it points at the rows of the input item, e\.g\. \{\{ \$json\.rows \}\}\. .*use \$json instead \[item \d+\]$/,
	],
	['rows not a list', { rows: { articleNumber: 'A100' } }, /^Rows must be a list of rows/],
	['huge row count', rows(5000), /^Rows has 5000 rows; an eAccounting draft holds at most 1000/],
	['a misspelled row field', row({ price: 10 }), /^Row 1: price is not a row field/],
	[
		'only text rows',
		{ rows: [{ isTextRow: true, text: 'Hej' }] },
		/^Rows need at least one row with an article/,
	],
	['row text too long', row({ text: 'x'.repeat(2001) }), /^Row 1: Text is too long: 2001/],
	[
		'row article number too long',
		row({ articleNumber: 'A'.repeat(41) }),
		/^Row 1: Article Number is too long: 41/,
	],
	['country code not ISO', { countryCode: 'Sverige' }, /^Country Code "SVERIGE" is not valid/],
	[
		'country code with a quote and an operator',
		{ countryCode: "S' or 1 eq 1" },
		/^Country Code .* is not valid/,
	],
	['currency not a code', { currency: 'kronor' }, /^Currency "KRONOR" is not valid/],
	['VAT number malformed', { vatNumber: 'SE12' }, /^VAT Number "SE12" is not valid/],
	['email malformed', { email: 'anna@localhost' }, /^Email "anna@localhost" is not valid/],
	['boolean given as text', { isPrivatePerson: 'yes' }, /^Private Person must be true or false/],
	[
		'terms-of-payment id with OData inside',
		{ termsOfPaymentId: "x' or Id ne '" },
		/^Terms of Payment .* is not a valid eAccounting ID/,
	],
	[
		'invoice date not ISO',
		{ invoiceDate: '31/12/2026' },
		/^Invoice Date "31\/12\/2026" is not a date/,
	],
	[
		'impossible invoice date',
		{ invoiceDate: '2026-02-30' },
		/^Invoice Date "2026-02-30" is not a date/,
	],
	[
		'due date before invoice date',
		{ invoiceDate: '2026-12-10', dueDate: '2026-12-01' },
		/^Due Date \(2026-12-01\) is before/,
	],
	['source reference too long', { ref: 'R'.repeat(101) }, /^Source Reference is too long: 101/],
	[
		'zero-width space in the source reference',
		{ ref: 'INV\u200B-7' },
		/^Source Reference contains invisible characters/,
	],
	[
		'text-direction override in the customer number',
		{ customerNumber: '10\u202E01' },
		/^Customer Number contains hidden text-direction/,
	],
	['NUL inside the name', { name: 'Kund\u0000AB' }, /^Name contains control characters/],
	['broken UTF-16 in the name', { name: 'Kund \uD83D AB' }, /^Name contains broken Unicode/],
	['line break in the city', { city: 'Umeå\nSverige' }, /^City must be on one line/],
	[
		'article coding id with a quote',
		{ defaultArticleNumber: 'DEF-2', codingId: "'; drop" },
		/^Default Article: Account Coding .* is not a valid eAccounting ID/,
	],
	// These pass the first checks; the reference data or the missing customer stops them before any write.
	[
		'terms of payment that does not exist',
		{ customerNumber: 'NEW-T', termsOfPaymentId: '11111111-2222-4333-8444-555555555555' },
		/^Terms of Payment 11111111-2222-4333-8444-555555555555 does not exist/,
	],
	[
		'terms of payment not for sales',
		{ customerNumber: 'NEW-P', termsOfPaymentId: SEED_IDS.termsOfPayment.purchaseOnly },
		/^Terms of Payment .* is not available for sales/,
	],
	[
		'unit that does not exist',
		{ defaultArticleNumber: 'DEF-3', unitId: '11111111-2222-4333-8444-555555555555' },
		/^Unit 11111111-2222-4333-8444-555555555555 does not exist/,
	],
	[
		'inactive account coding',
		{ defaultArticleNumber: 'DEF-4', codingId: SEED_IDS.codings.inactive },
		/^Account Coding .* is inactive/,
	],
	[
		'new customer without a name',
		{ customerNumber: 'NEW-N', name: '' },
		/^Name is required to create customer NEW-N/,
	],
];

/** Writes the simulator logged after `mark` (a log sequence number). */
const writesAfter = (bed: TestBed, mark: number) =>
	bed.sim.log
		.filter((e) => e.seq > mark && e.method !== 'GET')
		.map((e) => `${e.method} ${e.endpoint}`);
const lastSeq = (bed: TestBed) => bed.sim.log.at(-1)?.seq ?? 0;

describe('bad input gets a clear error naming the item and the field, before anything is written', () => {
	const bed = useTestBed();

	it(`has at least 30 cases (${CASES.length})`, () => {
		expect(CASES.length).toBeGreaterThanOrEqual(30);
	});

	it('with Continue On Fail every bad item becomes an error item and the good one goes through', async () => {
		const items = [valid, ...CASES.map(([, bad], n) => ({ ...valid, ref: `REF-${n}`, ...bad }))];
		const before = {
			customers: bed.sim.list('customers').length,
			articles: bed.sim.list('articles').length,
		};
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(exportInvoice, items, { continueOnFail: true });

		expect(out).toHaveLength(items.length);
		expect(out[0].json).toMatchObject({ outcome: 'created', ContractNumber: 'REF-OK' });
		CASES.forEach(([what, , expected], n) => {
			const item = out[n + 1];
			expect({ what, pairedItem: item.pairedItem }).toEqual({ what, pairedItem: { item: n + 1 } });
			expect({ what, error: item.json.error }).toEqual({
				what,
				error: expect.stringMatching(expected),
			});
			expect({ what, error: item.json.error }).toEqual({
				what,
				error: expect.stringMatching(new RegExp(`\\[item ${n + 1}\\]$`)),
			});
			// What to do travels as data: n8n would reduce an item carrying an error object to its message.
			expect(item.error).toBeUndefined();
			expect({ what, message: item.json.message }).toEqual({
				what,
				message: expect.stringMatching(/Nothing was written for this item\.$/),
			});
		});

		// Only the good item wrote anything: its customer, the default article and its draft.
		expect(writesAfter(bed, mark).sort()).toEqual([
			'POST articles',
			'POST customerinvoicedrafts',
			'POST customers',
		]);
		expect(bed.sim.list('customers')).toHaveLength(before.customers + 1);
		expect(bed.sim.list('articles')).toHaveLength(before.articles + 1);
	});

	it('without Continue On Fail the node stops on the first bad item and writes nothing at all', async () => {
		const mark = lastSeq(bed);
		const items = [
			{ ...valid, customerNumber: 'OK-2', ref: 'REF-OK-2' },
			{ ...valid, ...row({ quantity: 'abc' }) },
		];
		const error = await bed.run(exportInvoice, items).then(
			() => undefined,
			(e: unknown) => e as NodeOperationError,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Row 1: Quantity must be a number, got "abc" [item 1]');
		expect(error!.description).toMatch(/Nothing was written/);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('Create Draft Invoice names a customer ID that is malformed or missing', async () => {
		const params = {
			resource: 'customerInvoiceDraft',
			operation: 'create',
			customer: (item: INodeExecutionData) => byId(String(item.json.customerId)),
			rowsData: fromItem('rows'),
		};
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(
			params,
			[
				{ customerId: "abc' or Id ne '", rows: [{ articleNumber: 'A100' }] },
				{ customerId: '11111111-2222-4333-8444-555555555555', rows: [{ articleNumber: 'A100' }] },
			],
			{ continueOnFail: true },
		);
		expect(out.map((o) => o.json.error)).toEqual([
			expect.stringMatching(
				/^Customer "abc' or Id ne '" is not a valid eAccounting ID.*\[item 0\]$/,
			),
			'Customer with ID 11111111-2222-4333-8444-555555555555 does not exist in eAccounting [item 1]',
		]);
		expect(writesAfter(bed, mark)).toEqual([]);
	});
});

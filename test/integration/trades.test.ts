import { describe, expect, it } from '@jest/globals';
import type { INodeExecutionData } from 'n8n-workflow';

import { tradesApprovals } from '../../dev/stack/examples';
import { EXAMPLES, exampleParameters } from './examples';
import { failureOf, lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import {
	byId,
	byNumber,
	fromItem,
	SEED_IDS,
	testBed,
	useTestBed,
	exportInvoiceParameters,
} from './support';

/*
 * Tradespeople's invoices as they are (issue 22): ROT and RUT with persons, reverse-charge
 * construction VAT between two firms, projects per row and per invoice, VAT codes and
 * fixed-amount discounts, through Export Invoice as Draft and Create Draft Invoice against the
 * simulator, which enforces Visma's rules for them.
 */

type Json = Record<string, unknown>;

const ALL_SCOPES = ['ea:api', 'offline_access', 'ea:sales', 'ea:accounting'];
/** Valid personal identity numbers (Luhn), in the forms approvals carry them. */
const ANNA = '19800101-0019';
const ERIK = '820202-0007';
const ERIK_12 = '19820202-0007';

/** Export Invoice as Draft mapping a tradesperson's approval: the README's example mapping. */
const exportTrades = {
	...exportInvoiceParameters,
	customerFields: {
		isPrivatePerson: fromItem('customer.privatePerson'),
		vatNumber: fromItem('customer.vatNumber'),
		organisationNumber: fromItem('customer.organisationNumber'),
	},
	draftFields: {
		invoiceDate: fromItem('invoiceDate'),
		taxReduction: fromItem('taxReduction'),
		reverseChargeConstruction: fromItem('reverseCharge'),
		projectNumber: fromItem('projectNumber'),
		projectName: fromItem('projectName'),
	},
	exportOptions: {
		sourceReference: fromItem('invoiceNumber'),
		createMissingProjects: (item: INodeExecutionData) => item.json.createProjects === true,
	},
};

/** Create Draft Invoice for a customer number, with the same mapping. */
const createTrades = {
	resource: 'customerInvoiceDraft',
	operation: 'create',
	customer: (item: INodeExecutionData) => byNumber(String(item.json.customerNumber)),
	defaultArticle: byNumber('DEFAULT'),
	rowsSource: 'mapFromInput',
	rowsData: fromItem('rows'),
	draftFields: exportTrades.draftFields,
	options: {
		sourceReference: fromItem('invoiceNumber'),
		createMissingProjects: (item: INodeExecutionData) => item.json.createProjects === true,
	},
};

/** The default article the steady state has, so a refused item has nothing to create. */
const withDefaultArticle = (bed: TestBed) =>
	bed.sim.api('POST', '/v2/articles', {
		Number: 'DEFAULT',
		Name: 'Other',
		IsActive: true,
		CodingId: SEED_IDS.codings.tjanster25,
		UnitId: SEED_IDS.units.styck,
	});

const draftOf = (bed: TestBed, id: unknown) =>
	bed.sim.list('customerinvoicedrafts').find((d) => d.Id === id)!;
const rowsOf = (draft: Json) => draft.Rows as Json[];
const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('tradespeople: ROT, RUT, reverse charge and projects through the node', () => {
	let today: string;
	const bed = useTestBed(
		{},
		{
			scopes: ALL_SCOPES,
			ready: (b) => {
				today = b.sim.clock.now().toISOString().slice(0, 10);
				withDefaultArticle(b);
			},
		},
	);

	it('ROT with two persons, work and material rows: the draft carries the reduction, the persons and the work', async () => {
		const approval = {
			invoiceNumber: 'ROT-2026-001',
			customer: { number: '3001', name: 'Anna Lind', postalCode: '903 30', city: 'Umeå' },
			invoiceDate: today,
			taxReduction: {
				type: 'ROT',
				propertyType: 'property',
				propertyName: 'Umeå Björken 1:23',
				persons: [
					{ ssn: ANNA, amount: 1500 },
					{ ssn: ERIK, amount: 900 },
				],
			},
			rows: [
				{
					articleNumber: 'A100',
					text: 'Snickeri badrum',
					quantity: 8,
					unitPrice: 650,
					workType: 'RotConstructionWork',
					workHours: 8,
				},
				{
					articleNumber: 'A101',
					text: 'Elarbete',
					quantity: 2,
					unitPrice: 695,
					workType: 2,
					workHours: 2,
				},
				{ articleNumber: 'A110', text: 'Gipsskivor', quantity: 10, unitPrice: 89 },
				{ isTextRow: true, text: 'ROT-avdrag enligt överenskommelse' },
			],
		};
		const { items } = await bed.run(exportTrades, [approval]);
		expect(items[0].json).toMatchObject({
			outcome: 'created',
			customer: { CustomerNumber: '3001', outcome: 'created' },
		});
		// The customer was created as a private person, because the invoice has a tax reduction.
		const customer = bed.sim.list('customers').find((c) => c.CustomerNumber === '3001')!;
		expect(customer.IsPrivatePerson).toBe(true);

		const draft = draftOf(bed, items[0].json.Id);
		expect(
			pick(draft, [
				'RotReducedInvoicingType',
				'RotPropertyType',
				'RotReducedInvoicingPropertyName',
				'RotReducedInvoicingOrgNumber',
				'RotReducedInvoicingAutomaticDistribution',
				'RotReducedInvoicingAmount',
				'MaxAllowedTaxReductionAmount',
				'UsesGreenTechnology',
			]),
		).toEqual({
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
			RotReducedInvoicingOrgNumber: null,
			RotReducedInvoicingAutomaticDistribution: false,
			RotReducedInvoicingAmount: 2400,
			// 30 % of the work rows including VAT: (5200 + 1390) × 1.25 × 0.3.
			MaxAllowedTaxReductionAmount: 2471.25,
			UsesGreenTechnology: false,
		});
		expect((draft.Persons as Json[]).map((p) => pick(p, ['Ssn', 'Amount']))).toEqual([
			{ Ssn: ANNA, Amount: 1500 },
			{ Ssn: ERIK_12, Amount: 900 },
		]);
		expect(
			rowsOf(draft).map((r) =>
				pick(r, ['ArticleNumber', 'IsWorkCost', 'WorkCostType', 'WorkHours', 'MaterialCosts']),
			),
		).toEqual([
			{
				ArticleNumber: 'A100',
				IsWorkCost: true,
				WorkCostType: 1,
				WorkHours: 8,
				MaterialCosts: null,
			},
			{
				ArticleNumber: 'A101',
				IsWorkCost: true,
				WorkCostType: 2,
				WorkHours: 2,
				MaterialCosts: null,
			},
			{
				ArticleNumber: 'A110',
				IsWorkCost: false,
				WorkCostType: 0,
				WorkHours: null,
				MaterialCosts: null,
			},
			{
				ArticleNumber: null,
				IsWorkCost: false,
				WorkCostType: 0,
				WorkHours: null,
				MaterialCosts: null,
			},
		]);
	});

	it('a re-export returns the existing draft, whatever the tax reduction says now, and writes nothing', async () => {
		const mark = lastSeq(bed);
		const { items } = await bed.run(exportTrades, [
			{
				invoiceNumber: 'ROT-2026-001',
				customer: { number: '3001', name: 'Anna Lind', postalCode: '903 30', city: 'Umeå' },
				taxReduction: { type: 'RUT', persons: [{ ssn: ANNA, share: 100 }], amount: 10 },
				rows: [{ articleNumber: 'A129', quantity: 1, workType: 'RutCleanJobWork', workHours: 1 }],
			},
		]);
		expect(items[0].json).toMatchObject({ outcome: 'existingDraft', RotReducedInvoicingType: 1 });
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('RUT split by shares, and RUT with automatic distribution, for a private customer', async () => {
		const rows = [
			{
				articleNumber: 'A129',
				text: 'Fönsterputs',
				quantity: 6,
				workType: 'RutCleanJobWork',
				workHours: 6,
			},
		];
		const { items } = await bed.run(createTrades, [
			{
				invoiceNumber: 'RUT-2026-001',
				customerNumber: '1002',
				taxReduction: {
					type: 'rut',
					amount: 1200.01,
					persons: [
						{ ssn: ANNA, share: 50 },
						{ ssn: ERIK, share: 50 },
					],
				},
				rows,
			},
			{
				invoiceNumber: 'RUT-2026-002',
				customerNumber: '1002',
				taxReduction: {
					type: 'RUT',
					automaticDistribution: true,
					persons: [{ ssn: ANNA }, { ssn: ERIK }],
				},
				rows,
			},
		]);
		const shares = draftOf(bed, items[0].json.Id);
		expect(
			pick(shares, ['RotReducedInvoicingType', 'RotPropertyType', 'RotReducedInvoicingAmount']),
		).toEqual({
			RotReducedInvoicingType: 2,
			RotPropertyType: null,
			RotReducedInvoicingAmount: 1200.01,
		});
		// Shares split the amount to the öre; the odd öre goes to the first person.
		expect((shares.Persons as Json[]).map((p) => p.Amount)).toEqual([600.01, 600]);
		expect(rowsOf(shares)[0]).toMatchObject({ UnitPrice: 450, IsWorkCost: true, WorkCostType: 9 });

		const automatic = draftOf(bed, items[1].json.Id);
		// Visma distributes: the maximum (50 % of 2700 × 1.25) split evenly.
		expect(automatic).toMatchObject({
			RotReducedInvoicingAutomaticDistribution: true,
			RotReducedInvoicingAmount: 1687.5,
		});
		expect((automatic.Persons as Json[]).map((p) => p.Amount)).toEqual([843.75, 843.75]);
	});

	it('reverse charge between two firms: a new company customer gets the flag, rows that can carry it do', async () => {
		const { items } = await bed.run(exportTrades, [
			{
				invoiceNumber: 'OMV-2026-001',
				customer: {
					number: '3002',
					name: 'Umeå Markbygg AB',
					postalCode: '903 31',
					city: 'Umeå',
					vatNumber: 'SE556123456701',
					organisationNumber: '556123-4567',
				},
				reverseCharge: true,
				rows: [
					{ articleNumber: 'A100', text: 'Stomresning', quantity: 10, unitPrice: 650 },
					{ articleNumber: 'A110', text: 'Gipsskivor', quantity: 10, unitPrice: 89 },
				],
			},
		]);
		const customer = bed.sim.list('customers').find((c) => c.CustomerNumber === '3002')!;
		expect(customer).toMatchObject({
			IsPrivatePerson: false,
			VatNumber: 'SE556123456701',
			ReverseChargeOnConstructionServices: true,
		});
		const draft = draftOf(bed, items[0].json.Id);
		expect(draft.ReverseChargeOnConstructionServices).toBe(true);
		expect(rowsOf(draft).map((r) => [r.ReversedConstructionServicesVatFree, r.VatRate])).toEqual([
			[true, 0],
			[false, 0.25],
		]);
		// VAT only on the goods row: 890 × 25 %.
		expect(draft.TotalVatAmount).toBe(222.5);
		const matches = items[0].json.articleMatches as Json[];
		expect(matches.map((m) => m.reverseCharge)).toEqual([true, false]);
		expect(matches[1].reason).toMatch(
			/reverse charge does not apply: article A110's account coding Varor 25 % has no account for reverse-charge construction sales/,
		);
	});

	it('reverse charge for a company customer already set up for it (Create Draft Invoice)', async () => {
		const { items } = await bed.run(createTrades, [
			{
				invoiceNumber: 'T-1',
				customerNumber: '1006',
				rows: [{ articleNumber: 'A100', quantity: 4, unitPrice: 650, reverseCharge: true }],
			},
		]);
		const draft = draftOf(bed, items[0].json.Id);
		expect(rowsOf(draft)[0]).toMatchObject({
			ReversedConstructionServicesVatFree: true,
			VatRate: 0,
		});
		expect(draft.TotalVatAmount).toBe(0);
	});

	it('projects: the invoice project, a row project, and one created once for two items', async () => {
		const projectsBefore = bed.sim.list('projects').length;
		const { items } = await bed.run(createTrades, [
			{
				invoiceNumber: 'PRJ-1',
				customerNumber: '1001',
				projectNumber: 'P100',
				createProjects: true,
				rows: [
					{ articleNumber: 'A100', quantity: 2, unitPrice: 650 },
					{ articleNumber: 'A102', quantity: 1, unitPrice: 595, projectNumber: 'P101' },
					{
						articleNumber: 'A103',
						quantity: 1,
						unitPrice: 720,
						projectNumber: 'P300',
						projectName: 'Tillbyggnad garage',
					},
					{ isTextRow: true, text: 'Projektfaktura' },
				],
			},
			{
				invoiceNumber: 'PRJ-2',
				customerNumber: '1001',
				createProjects: true,
				rows: [
					{
						articleNumber: 'A100',
						quantity: 1,
						unitPrice: 650,
						projectNumber: 'P300',
						projectName: 'Tillbyggnad garage',
					},
				],
			},
		]);
		const created = bed.sim.list('projects').filter((p) => p.Number === 'P300');
		expect(created).toHaveLength(1);
		expect(created[0]).toMatchObject({
			Name: 'Tillbyggnad garage',
			CustomerId: SEED_IDS.customers.first,
			Status: 1,
			StartDate: `${today}T00:00:00`,
		});
		expect(bed.sim.list('projects')).toHaveLength(projectsBefore + 1);

		const first = draftOf(bed, items[0].json.Id);
		expect(rowsOf(first).map((r) => r.ProjectId)).toEqual([
			SEED_IDS.projects.ongoing,
			SEED_IDS.projects.roof,
			created[0].Id,
			null,
		]);
		expect((items[0].json.articleMatches as Json[]).map((m) => m.project ?? null)).toEqual([
			{ Id: SEED_IDS.projects.ongoing, Number: 'P100', outcome: 'found' },
			{ Id: SEED_IDS.projects.roof, Number: 'P101', outcome: 'found' },
			{ Id: created[0].Id, Number: 'P300', outcome: 'created' },
			null,
		]);
		expect((items[1].json.articleMatches as Json[])[0].project).toEqual({
			Id: created[0].Id,
			Number: 'P300',
			outcome: 'found',
		});
	});

	it('parallel executions that need the same new project create it once', async () => {
		const item = (n: number) => ({
			invoiceNumber: `PAR-${n}`,
			customerNumber: '1001',
			createProjects: true,
			rows: [
				{
					articleNumber: 'A100',
					quantity: 1,
					unitPrice: 650,
					projectNumber: 'P400',
					projectName: 'Parallellt jobb',
				},
			],
		});
		const runs = await Promise.all([1, 2, 3, 4].map((n) => bed.run(createTrades, [item(n)])));
		expect(bed.sim.list('projects').filter((p) => p.Number === 'P400')).toHaveLength(1);
		const outcomes = runs.map((r) => (r.items[0].json.articleMatches as Json[])[0].project);
		expect(outcomes.filter((p) => (p as Json).outcome === 'created')).toHaveLength(1);
	});

	it('a VAT code that matches the article passes; fixed discounts go as the exact percentage or off the unit price', async () => {
		const { items } = await bed.run(createTrades, [
			{
				invoiceNumber: 'T-2',
				customerNumber: '1001',
				rows: [
					{
						articleNumber: 'A100',
						quantity: 8,
						unitPrice: 650,
						vatCode: '25',
						discountAmount: 520,
					},
					{
						articleNumber: 'A100',
						quantity: 8,
						unitPrice: 650,
						vatCode: '25 %',
						discountAmount: 500,
					},
					{ articleNumber: 'A135', quantity: 2, vatCode: '6' },
				],
			},
		]);
		const draft = draftOf(bed, items[0].json.Id);
		expect(
			rowsOf(draft).map((r) => pick(r, ['UnitPrice', 'DiscountPercentage', 'Amount'])),
		).toEqual([
			{ UnitPrice: 650, DiscountPercentage: 0.1, Amount: 4680 },
			{ UnitPrice: 587.5, DiscountPercentage: 0, Amount: 4700 },
			{ UnitPrice: 395, DiscountPercentage: 0, Amount: 790 },
		]);
		const matches = items[0].json.articleMatches as Json[];
		expect(matches.map((m) => m.discount ?? null)).toEqual([
			{ amount: 520, sentAs: 'percentage', DiscountPercentage: 0.1 },
			{ amount: 500, sentAs: 'unitPrice', unitPriceBeforeDiscount: 650 },
			null,
		]);
		expect(matches.map((m) => m.vat)).toEqual(['25 % (code 25)', '25 % (code 25)', '6 % (code 6)']);
	});
});

describe('tradespeople: bad input gives a clear error naming item, row and field, and nothing is written', () => {
	const bed = useTestBed({}, { scopes: ALL_SCOPES, ready: withDefaultArticle });

	const rot = (extra: Json = {}) => ({
		type: 'ROT',
		propertyType: 'property',
		propertyName: 'Umeå Björken 1:23',
		persons: [{ ssn: ANNA, amount: 500 }],
		...extra,
	});
	const workRow = (extra: Json = {}) => ({
		articleNumber: 'A100',
		quantity: 4,
		unitPrice: 650,
		workType: 'RotConstructionWork',
		workHours: 4,
		...extra,
	});
	const newPerson = { number: '4001', name: 'Per Holm', postalCode: '903 40', city: 'Umeå' };

	/** [case, operation, item, the error]: each must stop the item before anything is written. */
	const CASES: Array<[string, 'create' | 'export', Json, RegExp]> = [
		[
			'ROT for a company customer',
			'create',
			{ customerNumber: '1001', taxReduction: rot(), rows: [workRow()] },
			/^Tax Reduction \(ROT\) needs a private-person customer, and customer 1001 \(Bergström Bygg AB\) is a company in eAccounting \[item 0\]$/,
		],
		[
			'ROT for a new customer the approval says is a company',
			'export',
			{
				customer: { ...newPerson, privatePerson: false },
				taxReduction: rot(),
				rows: [workRow()],
			},
			/^Private Person is off, but a tax reduction \(ROT, RUT or green technology\) needs a private-person customer \[item 0\]$/,
		],
		[
			'a personal identity number with a wrong check digit',
			'create',
			{
				invoiceNumber: 'T-3',
				customerNumber: '1002',
				taxReduction: rot({
					persons: [
						{ ssn: ANNA, amount: 250 },
						{ ssn: '19820202-0002', amount: 250 },
					],
				}),
				rows: [workRow()],
			},
			/^Tax Reduction, Person 2: SSN "19820202-0002" has a wrong check digit \(its last digit\) \[item 0\]$/,
		],
		[
			'a personal identity number that is no date',
			'create',
			{
				invoiceNumber: 'T-4',
				customerNumber: '1002',
				taxReduction: rot({ persons: [{ ssn: '19801301-0019', amount: 500 }] }),
				rows: [workRow()],
			},
			/^Tax Reduction, Person 1: SSN "19801301-0019" has no valid date of birth/,
		],
		[
			'shares that do not add up',
			'create',
			{
				invoiceNumber: 'T-5',
				customerNumber: '1002',
				taxReduction: rot({
					amount: 600,
					persons: [
						{ ssn: ANNA, share: 50 },
						{ ssn: ERIK, share: 40 },
					],
				}),
				rows: [workRow()],
			},
			/^Tax Reduction: Persons have shares that add up to 90 %, not 100 % \[item 0\]$/,
		],
		[
			'amounts that do not add up to the amount',
			'create',
			{
				invoiceNumber: 'T-6',
				customerNumber: '1002',
				taxReduction: rot({
					amount: 600,
					persons: [
						{ ssn: ANNA, amount: 300 },
						{ ssn: ERIK, amount: 200 },
					],
				}),
				rows: [workRow()],
			},
			/^Tax Reduction: Persons have amounts that add up to 500, not the Amount 600 \[item 0\]$/,
		],
		[
			'a work row without hours',
			'create',
			{ customerNumber: '1002', taxReduction: rot(), rows: [workRow({ workHours: undefined })] },
			/^Row 1: Work Hours are required on a work row \[item 0\]$/,
		],
		[
			'a work row with less than an hour',
			'create',
			{
				invoiceNumber: 'T-7',
				customerNumber: '1002',
				taxReduction: rot(),
				rows: [{ articleNumber: 'A110', quantity: 1 }, workRow({ workHours: 0.5 })],
			},
			/^Row 2: Work Hours must be at least 1 on a work row \(Visma refuses less\), got 0.5 \[item 0\]$/,
		],
		[
			'RUT work on a ROT invoice',
			'create',
			{ customerNumber: '1002', taxReduction: rot(), rows: [workRow({ workType: 'RutGarden' })] },
			/^Row 1: Work Type RutGarden is RUT work, but the invoice's tax reduction is ROT/,
		],
		[
			'work rows without a tax reduction',
			'create',
			{ customerNumber: '1002', rows: [workRow()] },
			/^Row 1: Work Type is only used on a ROT or RUT invoice/,
		],
		[
			'reverse charge for a company without a VAT number',
			'create',
			{
				invoiceNumber: 'T-8',
				customerNumber: '1001',
				reverseCharge: true,
				rows: [{ articleNumber: 'A100', quantity: 1 }],
			},
			/^Reverse-Charge Construction VAT needs the customer's VAT number, and customer 1001 \(Bergström Bygg AB\) has none in eAccounting \[item 0\]$/,
		],
		[
			'reverse charge for a private person',
			'create',
			{
				invoiceNumber: 'T-9',
				customerNumber: '1002',
				reverseCharge: true,
				rows: [{ articleNumber: 'A100', quantity: 1 }],
			},
			/^Reverse-Charge Construction VAT needs a company customer, and customer 1002 .* is a private person \[item 0\]$/,
		],
		[
			'reverse charge for a new company without a VAT number',
			'export',
			{
				customer: { number: '4002', name: 'Nybygg AB', postalCode: '903 41', city: 'Umeå' },
				reverseCharge: true,
				rows: [{ articleNumber: 'A100', quantity: 1 }],
			},
			/^VAT Number is required to create customer 4002 with reverse-charge construction VAT \(Visma needs it\) \[item 0\]$/,
		],
		[
			'reverse charge on a row whose article cannot carry it',
			'create',
			{
				invoiceNumber: 'T-10',
				customerNumber: '1006',
				rows: [{ articleNumber: 'A110', quantity: 1, reverseCharge: true }],
			},
			/^Row 1: Reverse Charge cannot be used on this row: article A110's account coding Varor 25 % has no account for reverse-charge construction sales/,
		],
		[
			'a finished project',
			'create',
			{
				invoiceNumber: 'T-11',
				customerNumber: '1001',
				rows: [{ articleNumber: 'A100', quantity: 1, projectNumber: 'P200' }],
			},
			/^Row 1: Project Number P200 is finished in eAccounting; reopen it or use another project \[item 0\]$/,
		],
		[
			'a project that does not exist, without Create Missing Projects',
			'export',
			{
				customer: newPerson,
				projectNumber: 'P999',
				rows: [{ articleNumber: 'A100', quantity: 1 }],
			},
			/^Row 1: Project Number \(of the invoice\) P999 is not a project in eAccounting; create it/,
		],
		[
			'a project to create without a name',
			'create',
			{
				invoiceNumber: 'T-12',
				customerNumber: '1001',
				createProjects: true,
				rows: [{ articleNumber: 'A100', quantity: 1, projectNumber: 'P998' }],
			},
			/^Row 1: Project Name is required to create project P998, which is not in eAccounting \[item 0\]$/,
		],
		[
			'a VAT code the article does not have',
			'create',
			{ customerNumber: '1001', rows: [{ articleNumber: 'A100', quantity: 1, vatCode: '12' }] },
			/^Row 1: VAT Code 12 is not the VAT of article A100, whose account coding Tjänster 25 % has 25 % \(code 25\)/,
		],
		[
			'a fixed discount that cannot be sent exactly',
			'create',
			{
				invoiceNumber: 'T-13',
				customerNumber: '1001',
				rows: [{ articleNumber: 'A100', quantity: 7, unitPrice: 333.33, discountAmount: 1000.01 }],
			},
			/^Row 1: Discount Amount \(1000.01\) cannot be sent exactly/,
		],
		[
			'a fixed and a percentage discount on one row',
			'create',
			{
				invoiceNumber: 'T-14',
				customerNumber: '1001',
				rows: [{ articleNumber: 'A100', quantity: 1, discountPercent: 10, discountAmount: 5 }],
			},
			/^Row 1: Discount Amount and Discount \(%\) are both given; give one of them \[item 0\]$/,
		],
		[
			'green technology on a company that does not use it',
			'export',
			{
				customer: newPerson,
				taxReduction: {
					type: 'greenTechnology',
					propertyType: 'property',
					propertyName: 'Umeå Björken 1:24',
					persons: [{ ssn: ANNA, amount: 3000 }],
				},
				rows: [
					{ articleNumber: 'A100', quantity: 1, greenTechnologyType: 'SolarCellInstallation' },
				],
			},
			/^Tax Reduction green technology is not turned on in this eAccounting company \(green technology\)/,
		],
		[
			'an unknown tax reduction field',
			'create',
			{
				invoiceNumber: 'T-15',
				customerNumber: '1002',
				taxReduction: rot({ propertyDesignation: 'x' }),
				rows: [workRow()],
			},
			/^Tax Reduction: propertyDesignation is not a tax reduction field/,
		],
		[
			'an apartment without its housing association',
			'create',
			{
				invoiceNumber: 'T-16',
				customerNumber: '1002',
				taxReduction: rot({ propertyType: 'apartment' }),
				rows: [workRow()],
			},
			/^Tax Reduction: Housing Association Org Number is required \[item 0\]$/,
		],
	];

	it.each(CASES)('%s', async (_name, operation, item, message) => {
		const mark = lastSeq(bed);
		const parameters = operation === 'create' ? createTrades : exportTrades;
		const error = await failureOf(bed.run(parameters, [{ invoiceNumber: 'BAD-1', ...item }]));
		expect(error?.message).toMatch(message);
		expect(error?.description).toMatch(/Nothing was written for this item/);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('a tax reduction on a company without ROT/RUT turned on is refused before the customer is created', async () => {
		bed.sim.setCompanySettings({ UsesRotReducedInvoicing: false });
		try {
			const mark = lastSeq(bed);
			const error = await failureOf(
				bed.run(exportTrades, [
					{ invoiceNumber: 'BAD-2', customer: newPerson, taxReduction: rot(), rows: [workRow()] },
				]),
			);
			expect(error?.message).toBe(
				"Tax Reduction ROT is not turned on in this eAccounting company (ROT/RUT reduced invoicing); turn it on in eAccounting's settings, or export without the tax reduction [item 0]",
			);
			expect(writesAfter(bed, mark)).toEqual([]);
		} finally {
			bed.sim.setCompanySettings({ UsesRotReducedInvoicing: true });
		}
	});

	it("Visma's own refusal is shown in its own words (a reduction above what the work allows)", async () => {
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run(createTrades, [
				{
					invoiceNumber: 'T-17',
					customerNumber: '1002',
					// 30 % of 4 × 650 × 1.25 = 975 is the most this work allows.
					taxReduction: rot({ persons: [{ ssn: ANNA, amount: 2000 }] }),
					rows: [workRow()],
				},
			]),
		);
		expect(error?.message).toBe(
			'Visma eAccounting rejected the draft invoice: RotReducedInvoicingAmount: The tax reduction 2000 is more than the maximum allowed 975 (30 % of the work cost including VAT). [item 0]',
		);
		expect(writesAfter(bed, mark)).toEqual(['POST customerinvoicedrafts']);
		expect(
			bed.sim
				.list('customerinvoicedrafts')
				.filter(
					(d) =>
						d.CustomerId === SEED_IDS.customers.privatePerson && d.RotReducedInvoicingType === 1,
				),
		).toEqual([]);
	});

	it('creating a project without the ea:accounting scope fails the item with the scope to add', async () => {
		const narrow = await testBed();
		withDefaultArticle(narrow);
		try {
			const error = await failureOf(
				narrow.run(createTrades, [
					{
						invoiceNumber: 'T-18',
						customerNumber: '1001',
						createProjects: true,
						rows: [
							{
								articleNumber: 'A100',
								quantity: 1,
								unitPrice: 650,
								projectNumber: 'P500',
								projectName: 'Utan behörighet',
							},
						],
					},
				]),
			);
			expect(error?.description).toMatch(/creating projects needs ea:accounting/);
			expect(narrow.sim.list('projects').some((p) => p.Number === 'P500')).toBe(false);
			expect(narrow.sim.list('customerinvoicedrafts')).toHaveLength(3);
		} finally {
			await narrow.close();
		}
	});
});

describe('Project > Get, Get Many, Find or Create', () => {
	const bed = useTestBed({}, { scopes: ALL_SCOPES });

	it('gets a project by ID or number, and lists them by status and name', async () => {
		const { items } = await bed.run(
			{ resource: 'project', operation: 'get', project: fromItem('ref') },
			[{ ref: byId(SEED_IDS.projects.ongoing) }, { ref: byNumber('P200') }],
		);
		expect(items.map((i) => [i.json.Number, i.json.Status])).toEqual([
			['P100', 1],
			['P200', 2],
		]);
		const list = async (filters: Json) =>
			(
				await bed.run({ resource: 'project', operation: 'getAll', returnAll: true, filters })
			).items.map((i) => i.json.Number);
		expect(await list({ status: 'ongoing' })).toEqual(['P100', 'P101']);
		expect(await list({ status: 'finished' })).toEqual(['P200']);
		expect(await list({ nameContains: 'Takbyte' })).toEqual(['P101']);
	});

	it('finds an existing project, creates a missing one once, and names the customer by number', async () => {
		const params = {
			resource: 'project',
			operation: 'findOrCreate',
			projectNumber: fromItem('number'),
			projectName: fromItem('name'),
			projectFields: {
				customer: (item: INodeExecutionData) =>
					item.json.customer ? byNumber(String(item.json.customer)) : { mode: 'list', value: '' },
				startDate: '2026-03-01',
			},
		};
		const mark = lastSeq(bed);
		const { items } = await bed.run(params, [
			{ number: 'P100' },
			{ number: 'P600', name: 'Fasadrenovering', customer: '1003' },
			{ number: 'p600', name: 'Fasadrenovering' },
		]);
		expect(items.map((i) => [i.json.Number, i.json.outcome])).toEqual([
			['P100', 'found'],
			['P600', 'created'],
			['P600', 'found'],
		]);
		expect(items[1].json).toMatchObject({
			Name: 'Fasadrenovering',
			CustomerId: SEED_IDS.customers.apostrophe,
			StartDate: '2026-03-01T00:00:00',
			Status: 1,
		});
		expect(writesAfter(bed, mark)).toEqual(['POST projects']);

		const error = await failureOf(bed.run(params, [{ number: 'P700' }]));
		expect(error?.message).toBe('Project Name is required to create project P700 [item 0]');
	});
});

describe('Update Draft plans its rows like Create', () => {
	const bed = useTestBed({}, { ready: withDefaultArticle });

	it('prices a row from the article with VAT for a private customer when the company shows prices with VAT, as Create does', async () => {
		bed.sim.setCompanySettings({ ShowPricesExclVatPC: true });
		try {
			const rows = [{ articleNumber: 'A100', quantity: 1 }];
			const created = await bed.run({ ...createTrades, defaultArticle: byNumber('A139') }, [
				{ invoiceNumber: 'UPD-1', customerNumber: '1002', rows },
			]);
			const draftId = created.items[0].json.Id as string;
			expect(rowsOf(draftOf(bed, draftId))[0].UnitPrice).toBe(812.5);

			const { items } = await bed.run({
				resource: 'customerInvoiceDraft',
				operation: 'update',
				draft: byId(draftId),
				replaceRows: true,
				rowsSource: 'mapFromInput',
				rowsData: [{ articleNumber: 'A100', quantity: 2 }],
				defaultArticle: byNumber('A139'),
			});
			expect(rowsOf(draftOf(bed, items[0].json.Id))[0]).toMatchObject({
				Quantity: 2,
				UnitPrice: 812.5,
			});
			expect((items[0].json.articleMatches as Json[])[0]).toMatchObject({ priceFrom: 'article' });
		} finally {
			bed.sim.setCompanySettings({ ShowPricesExclVatPC: false });
		}
	});

	it("replaces a ROT draft's rows with work rows and keeps its tax reduction; a tax reduction alone needs Replace Rows", async () => {
		const created = await bed.run(createTrades, [
			{
				invoiceNumber: 'T-19',
				customerNumber: '1002',
				taxReduction: {
					type: 'ROT',
					propertyType: 'apartment',
					propertyName: 'Lgh 1102',
					housingAssociationOrgNumber: '769612-3459',
					persons: [{ ssn: ANNA, amount: 500 }],
				},
				rows: [{ articleNumber: 'A100', quantity: 4, unitPrice: 650, workType: 1, workHours: 4 }],
			},
		]);
		const draftId = created.items[0].json.Id as string;
		expect(draftOf(bed, draftId)).toMatchObject({
			RotPropertyType: 1,
			RotReducedInvoicingOrgNumber: '769612-3459',
		});
		const update = {
			resource: 'customerInvoiceDraft',
			operation: 'update',
			draft: byId(draftId),
			replaceRows: true,
			rowsSource: 'mapFromInput',
			rowsData: [
				{
					articleNumber: 'A103',
					quantity: 3,
					unitPrice: 720,
					workType: 'RotPlumbWork',
					workHours: 3,
				},
				{ articleNumber: 'A121', quantity: 2, unitPrice: 89 },
			],
			defaultArticle: byNumber('A139'),
		};
		const { items } = await bed.run(update);
		expect(items[0].json.changedFields).toEqual(['Rows']);
		const draft = draftOf(bed, draftId);
		expect(draft).toMatchObject({ RotReducedInvoicingType: 1, RotReducedInvoicingAmount: 500 });
		expect(rowsOf(draft).map((r) => [r.IsWorkCost, r.WorkCostType, r.WorkHours])).toEqual([
			[true, 7, 3],
			[false, 0, null],
		]);

		const error = await failureOf(
			bed.run({
				resource: 'customerInvoiceDraft',
				operation: 'update',
				draft: byId(draftId),
				draftFields: { taxReduction: { type: 'none' } },
			}),
		);
		expect(error?.message).toBe(
			'Tax Reduction changes only together with the rows; turn on Replace Rows [item 0]',
		);
		// Without a work row the kept ROT reduction refuses the new rows.
		const noWork = await failureOf(
			bed.run({ ...update, rowsData: [{ articleNumber: 'A121', quantity: 2, unitPrice: 89 }] }),
		);
		expect(noWork?.message).toBe(
			'Rows need at least one work row (with a Work Type and Work Hours) for ROT [item 0]',
		);
		// Type none removes the reduction together with the rows.
		const removed = await bed.run({
			...update,
			draftFields: { taxReduction: { type: 'none' } },
			rowsData: [{ articleNumber: 'A121', quantity: 2, unitPrice: 89 }],
		});
		expect(draftOf(bed, removed.items[0].json.Id)).toMatchObject({
			RotReducedInvoicingType: 0,
			Persons: [],
			RotPropertyType: null,
		});
	});
});

describe("the README's tradespeople approvals through the one-step example, as it ships", () => {
	const bed = useTestBed();

	it('ROT, RUT, reverse charge and project rows land as the drafts Visma expects', async () => {
		const approvals = tradesApprovals('README');
		const parameters = exampleParameters(
			EXAMPLES.approvalExport,
			'Export Invoice as Draft',
			(item) => ({ $json: item.json, nodes: {} }),
		);
		const webhook = (body: Json) => ({ headers: {}, params: {}, query: {}, body });
		const { items } = await bed.run(parameters, [
			webhook(approvals.rot),
			webhook(approvals.rut),
			webhook(approvals.reverseCharge),
			webhook(approvals.projects),
		]);
		expect(items.map((i) => i.json.outcome)).toEqual(['created', 'created', 'created', 'created']);
		const [rotDraft, rutDraft, reverseDraft, projectDraft] = items.map((i) =>
			draftOf(bed, i.json.Id),
		);

		expect(rotDraft).toMatchObject({
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
			RotReducedInvoicingAmount: 2400,
			CustomerIsPrivatePerson: true,
		});
		expect((rotDraft.Persons as Json[]).map((p) => [p.Ssn, p.Amount])).toEqual([
			[ANNA, 1500],
			[ERIK_12, 900],
		]);
		expect(rowsOf(rotDraft).map((r) => [r.IsWorkCost, r.WorkCostType, r.WorkHours])).toEqual([
			[true, 1, 8],
			[true, 2, 2],
			[false, 0, null],
		]);

		expect(rutDraft).toMatchObject({ RotReducedInvoicingType: 2, RotReducedInvoicingAmount: 1200 });
		expect((rutDraft.Persons as Json[]).map((p) => p.Amount)).toEqual([600, 600]);
		expect(rowsOf(rutDraft)[0]).toMatchObject({ UnitPrice: 450, WorkCostType: 9, WorkHours: 6 });

		expect(reverseDraft.ReverseChargeOnConstructionServices).toBe(true);
		expect(rowsOf(reverseDraft).map((r) => r.ReversedConstructionServicesVatFree)).toEqual([
			true,
			false,
		]);

		expect(rowsOf(projectDraft).map((r) => r.ProjectId)).toEqual([
			SEED_IDS.projects.ongoing,
			SEED_IDS.projects.roof,
		]);
	});
});

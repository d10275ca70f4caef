import { describe, expect, it } from '@jest/globals';

import { Checker } from '../../nodes/VismaEAccounting/domain/check';
import { planDraft } from '../../nodes/VismaEAccounting/domain/draftPlan';
import type { CodingInfo } from '../../nodes/VismaEAccounting/domain/draftRules';
import {
	customerProblems,
	rowReverseCharge,
	settingsProblems,
	vatCodeProblem,
} from '../../nodes/VismaEAccounting/domain/draftRules';
import { checkDraftInput } from '../../nodes/VismaEAccounting/domain/draftInput';
import type { DraftFields, RowInput } from '../../nodes/VismaEAccounting/domain/invoice';
import type { MatchableArticle } from '../../nodes/VismaEAccounting/domain/rowMatch';
import { articleIndex } from '../../nodes/VismaEAccounting/domain/rowMatch';
import { applyFixedDiscount, rowAmountCents } from '../../nodes/VismaEAccounting/domain/rowPrice';
import {
	checkTaxReduction,
	taxReductionOfDraft,
	taxReductionValues,
} from '../../nodes/VismaEAccounting/domain/taxReduction';

const ON = '2026-11-30';
const ANNA = '19800101-0019';
const ERIK = '820202-0007';

const reduction = (raw: unknown) => {
	const c = new Checker();
	const value = checkTaxReduction(c, raw, ON);
	return { value, problems: c.problems.map((p) => `${p.field} ${p.message}`) };
};

describe('tax reduction from the approval', () => {
	it('none given is undefined, type none is null', () => {
		expect(reduction(undefined)).toEqual({ value: undefined, problems: [] });
		expect(reduction('')).toEqual({ value: undefined, problems: [] });
		expect(reduction({ type: 'none' })).toEqual({ value: null, problems: [] });
		expect(reduction({ type: 0 })).toEqual({ value: null, problems: [] });
	});

	it('ROT on a property, with amounts: persons in the 12-digit form, the amount their sum', () => {
		expect(
			reduction({
				type: 'rot',
				propertyType: 'Property',
				propertyName: ' Umeå Björken 1:23 ',
				persons: [
					{ ssn: ANNA, amount: 1500 },
					{ ssn: ERIK, amount: 900.5 },
				],
				otherCosts: 250,
			}),
		).toEqual({
			value: {
				type: 'rot',
				propertyType: 'property',
				propertyName: 'Umeå Björken 1:23',
				persons: [
					{ ssn: ANNA, amount: 1500 },
					{ ssn: '19820202-0007', amount: 900.5 },
				],
				automaticDistribution: false,
				amount: 2400.5,
				otherCosts: 250,
			},
			problems: [],
		});
	});

	it('reads JSON text, and splits an amount by shares to the öre, the odd öre to the first persons', () => {
		const { value } = reduction(
			JSON.stringify({
				type: 'RUT',
				amount: 100,
				persons: [
					{ ssn: ANNA, share: 33.34 },
					{ ssn: ERIK, share: 33.33 },
					{ ssn: '19121212-1212', share: 33.33 },
				],
			}),
		);
		expect(value?.persons.map((p) => p.amount)).toEqual([33.34, 33.33, 33.33]);
		const even = reduction({
			type: 'RUT',
			amount: 0.05,
			persons: [
				{ ssn: ANNA, share: 50 },
				{ ssn: ERIK, share: 50 },
			],
		});
		expect(even.value?.persons.map((p) => p.amount)).toEqual([0.03, 0.02]);
	});

	it('an apartment needs its housing association; RUT names no property', () => {
		expect(
			reduction({
				type: 'ROT',
				propertyType: 'apartment',
				propertyName: 'Lgh 1102',
				housingAssociationOrgNumber: '7696123459',
				persons: [{ ssn: ANNA, amount: 1 }],
			}).value,
		).toMatchObject({ propertyType: 'apartment', housingAssociationOrgNumber: '769612-3459' });
		expect(
			reduction({
				type: 'RUT',
				propertyType: 'property',
				propertyName: 'x',
				persons: [{ ssn: ANNA, amount: 1 }],
			}).problems,
		).toEqual([
			'Tax Reduction: propertyType is only used for ROT and green technology, not RUT',
			'Tax Reduction: propertyName is only used for ROT and green technology, not RUT',
		]);
	});

	it('names every problem with the person and the field', () => {
		expect(
			reduction({
				type: 'ROT',
				propertyType: 'house',
				persons: [
					{ ssn: ANNA, amount: 10.001 },
					{ ssn: '800101-0019', amount: 5 },
					{ ssn: ERIK, share: 50, amount: 5 },
					{ ssn: '19121212-1212' },
					{ personnummer: '1' },
				],
				extra: true,
			}).problems,
		).toEqual([
			'Tax Reduction: extra is not a tax reduction field; use type, propertyType, propertyName, housingAssociationOrgNumber, persons, automaticDistribution, amount, otherCosts',
			'Tax Reduction: Property Type "house" is not property or apartment',
			'Tax Reduction: Property Name is required',
			'Tax Reduction, Person 1: Amount can have at most 2 decimals, got 10.001',
			'Tax Reduction, Person 2: SSN is the same person as Person 1',
			'Tax Reduction, Person 3: Amount and Share (%) are both given; give one of them',
			'Tax Reduction, Person 4: Amount is required (or a Share (%) of the Amount, or automatic distribution)',
			'Tax Reduction, Person 5: personnummer is not a person field; use ssn, amount, share',
			'Tax Reduction, Person 5: SSN is required',
			'Tax Reduction, Person 5: Amount is required (or a Share (%) of the Amount, or automatic distribution)',
		]);
	});

	it('automatic distribution takes persons without amounts', () => {
		expect(
			reduction({
				type: 'RUT',
				automaticDistribution: true,
				persons: [{ ssn: ANNA }, { ssn: ERIK, amount: 5 }],
			}).problems,
		).toEqual([
			'Tax Reduction, Person 2: Amount is not used with automatic distribution; remove it, or turn automatic distribution off',
		]);
	});

	it('shares need the amount they split; persons are required', () => {
		expect(reduction({ type: 'RUT', persons: [{ ssn: ANNA, share: 100 }] }).problems).toEqual([
			"Tax Reduction: Amount is required to split it by the persons' shares",
		]);
		expect(reduction({ type: 'RUT', persons: [] }).problems).toEqual([
			"Tax Reduction: Persons are required for RUT: give each buyer's personal identity number",
		]);
		expect(reduction({ type: 'ROTT' }).problems).toEqual([
			'Tax Reduction: Type "ROTT" is not none, ROT, RUT or greenTechnology',
		]);
	});

	it("becomes Visma's draft fields, and reads back from a draft for Update", () => {
		const { value } = reduction({
			type: 'ROT',
			propertyType: 'apartment',
			propertyName: 'Lgh 1102',
			housingAssociationOrgNumber: '769612-3459',
			persons: [{ ssn: ANNA, amount: 700 }],
			otherCosts: 100,
		});
		const values = taxReductionValues(value);
		expect(values).toEqual({
			RotReducedInvoicingType: 1,
			RotReducedInvoicingAutomaticDistribution: false,
			Persons: [{ Ssn: ANNA, Amount: 700 }],
			RotPropertyType: 1,
			RotReducedInvoicingPropertyName: 'Lgh 1102',
			RotReducedInvoicingOrgNumber: '769612-3459',
			RotReducedInvoicingAmount: 700,
			HouseWorkOtherCosts: 100,
		});
		expect(taxReductionOfDraft(values)).toEqual(value);
		expect(taxReductionOfDraft({ RotReducedInvoicingType: 0 })).toBeNull();
		expect(
			taxReductionValues(
				reduction({
					type: 'greenTechnology',
					propertyType: 'property',
					propertyName: 'Umeå Björken 1:23',
					automaticDistribution: true,
					persons: [{ ssn: ANNA }],
				}).value,
			),
		).toEqual({
			RotReducedInvoicingType: 0,
			UsesGreenTechnology: true,
			RotReducedInvoicingAutomaticDistribution: true,
			Persons: [{ Ssn: ANNA }],
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
		});
	});
});

const input = (fields: Record<string, unknown>, rows: unknown[]) => {
	const c = new Checker();
	const value = checkDraftInput(c, fields, rows);
	return { ...value, problems: c.problems.map((p) => `${p.field} ${p.message}`) };
};
const ROT = {
	type: 'ROT',
	propertyType: 'property',
	propertyName: 'Umeå Björken 1:23',
	persons: [{ ssn: ANNA, amount: 500 }],
};

describe('rows of a tradesperson: checked with the invoice they belong to', () => {
	it('reads the new row keys; work types by name or number', () => {
		const { rows, problems } = input({ taxReduction: ROT }, [
			{
				articleNumber: 'A100',
				quantity: 8,
				workType: 'rotconstructionwork',
				workHours: '8',
				materialCosts: '120,50',
				projectNumber: 'P100',
				vatCode: '25',
				discountAmount: 0,
			},
			{ articleNumber: 'A110', quantity: 1, isWorkCost: false, reverseCharge: 'false' },
		]);
		expect(problems).toEqual([]);
		expect(rows).toEqual([
			{
				line: 1,
				isTextRow: false,
				articleNumber: 'A100',
				quantity: 8,
				workType: 1,
				workHours: 8,
				materialCosts: 120.5,
				projectNumber: 'P100',
				vatCode: '25',
			},
			{
				line: 2,
				isTextRow: false,
				articleNumber: 'A110',
				quantity: 1,
				isWorkCost: false,
				reverseCharge: false,
			},
		]);
	});

	it('refuses what does not fit the invoice, naming row and field', () => {
		expect(
			input({ taxReduction: ROT, reverseChargeConstruction: true }, [
				{ articleNumber: 'A100', isWorkCost: true, workHours: 2 },
				{ articleNumber: 'A101', workType: 'RutGarden', workHours: 1 },
				{ articleNumber: 'A102', workType: 99 },
				{ articleNumber: 'A103', workHours: 3, greenTechnologyType: 1 },
				{ isTextRow: true, text: 'Hej', workHours: 1 },
				{ articleNumber: 'A104', projectName: 'Utan nummer' },
			]).problems,
		).toEqual([
			expect.stringMatching(
				/^Row 3: Work Type 99 is not one of Visma's values: RotConstructionWork \(1\)/,
			),
			'Row 5: workHours cannot be set on a text row',
			'Row 6: Project Name is given without a Project Number',
			'Reverse-Charge Construction VAT cannot be combined with a ROT tax reduction: a tax reduction is for a private person, reverse charge for a company',
			'Row 1: Work Type is required on a work row, e.g. RotConstructionWork',
			"Row 2: Work Type RutGarden is RUT work, but the invoice's tax reduction is ROT",
			'Row 4: Green Technology Type is only used on a green technology invoice (Tax Reduction type greenTechnology)',
			'Row 4: Work Hours are only used on a work row; give its Work Type',
		]);
	});

	it('a green technology invoice needs a row with its type, and takes no ROT/RUT work', () => {
		expect(
			input(
				{
					taxReduction: {
						type: 'greenTechnology',
						propertyType: 'property',
						propertyName: 'Umeå Björken 1:23',
						persons: [{ ssn: ANNA, amount: 100 }],
					},
				},
				[{ articleNumber: 'A100', workType: 1, workHours: 2 }],
			).problems,
		).toEqual([
			'Row 1: Work Type is only used on ROT and RUT invoices, not green technology',
			'Row 1: Work Hours is only used on ROT and RUT invoices, not green technology',
			'Rows need at least one row with a Green Technology Type for a green technology tax reduction',
		]);
	});
});

describe('fixed-amount discounts: sent exactly or not at all', () => {
	const row = (quantity: number, discountAmount: number): RowInput => ({
		line: 2,
		isTextRow: false,
		quantity,
		discountAmount,
	});

	it('computes the row amount as Visma does: round(quantity × price × (1 − discount), 2)', () => {
		expect(rowAmountCents(8, 650, 0.1)).toBe(BigInt(468000));
		expect(rowAmountCents(3, 333.33, 0)).toBe(BigInt(99999));
		expect(rowAmountCents(1, 0.005, 0)).toBe(BigInt(1));
		expect(rowAmountCents(-2, 100, 0.25)).toBe(BigInt(-15000));
	});

	it('as a 4-decimal percentage when one takes exactly the amount off', () => {
		expect(applyFixedDiscount(row(8, 520), 650, 2)).toEqual({
			unitPrice: 650,
			DiscountPercentage: 0.1,
			discount: { amount: 520, sentAs: 'percentage', DiscountPercentage: 0.1 },
		});
		expect(applyFixedDiscount(row(3, 100), 333.33, 2)).toMatchObject({
			DiscountPercentage: 0.1,
		});
	});

	it('else off the unit price when that is exact, else a problem naming the row', () => {
		expect(applyFixedDiscount(row(8, 500), 650, 2)).toEqual({
			unitPrice: 587.5,
			discount: { amount: 500, sentAs: 'unitPrice', unitPriceBeforeDiscount: 650 },
		});
		const inexact = applyFixedDiscount(row(7, 1000.01), 333.33, 2);
		expect('problem' in inexact && inexact.problem.field).toBe('Row 2: Discount Amount');
		expect(applyFixedDiscount(row(1, 700), 650, 2)).toEqual({
			problem: {
				field: 'Row 2: Discount Amount',
				message: "(700) is more than the row's amount (650)",
			},
		});
	});

	it('a credit row (negative quantity) is discounted towards zero', () => {
		expect(applyFixedDiscount(row(-2, 50), 100, 2)).toMatchObject({ DiscountPercentage: 0.25 });
	});
});

const CODINGS = new Map<string, CodingInfo>([
	[
		'c-services',
		{
			Id: 'c-services',
			Name: 'Tjänster 25 %',
			VatRate: '25',
			VatRatePercent: 0.25,
			DomesticSalesSubjectToReversedConstructionVatAccountNumber: 3231,
		},
	],
	[
		'c-goods',
		{
			Id: 'c-goods',
			Name: 'Varor 12 %',
			VatRate: 'MP2',
			VatRatePercent: 12,
			DomesticSalesSubjectToReversedConstructionVatAccountNumber: null,
		},
	],
]);
const LABOUR: MatchableArticle = {
	Id: 'a1',
	Number: 'A100',
	CodingId: 'C-SERVICES',
	NetPrice: 650,
};
const GOODS: MatchableArticle = { Id: 'a2', Number: 'A110', CodingId: 'c-goods', NetPrice: 89 };
const plain = (r: Partial<RowInput> = {}): RowInput => ({
	line: 1,
	isTextRow: false,
	quantity: 1,
	...r,
});
const noFields: DraftFields = { isCreditInvoice: false, delivery: {} };

describe("the draft's rules against eAccounting's data", () => {
	it("a VAT code matches the article's coding by its code or its percentage", () => {
		expect(vatCodeProblem(plain({ vatCode: '25' }), LABOUR, CODINGS)).toBeUndefined();
		expect(vatCodeProblem(plain({ vatCode: '25,0 %' }), LABOUR, CODINGS)).toBeUndefined();
		expect(vatCodeProblem(plain({ vatCode: 'mp2' }), GOODS, CODINGS)).toBeUndefined();
		expect(vatCodeProblem(plain({ vatCode: '12' }), GOODS, CODINGS)).toBeUndefined();
		expect(vatCodeProblem(plain({ vatCode: '6' }), GOODS, CODINGS)?.message).toBe(
			"6 is not the VAT of article A110, whose account coding Varor 12 % has 12 % (code MP2); eAccounting takes a row's VAT from its article's account coding (its API cannot set it per row), so give the row an article with that VAT",
		);
	});

	it('reverse charge goes on rows whose coding can carry it; asked on a row that cannot, it is a problem', () => {
		const invoice = { ...noFields, reverseCharge: true };
		expect(rowReverseCharge(plain(), invoice, LABOUR, CODINGS)).toEqual({ value: true });
		expect(rowReverseCharge(plain(), invoice, GOODS, CODINGS)).toEqual({
			value: false,
			note: "reverse charge does not apply: article A110's account coding Varor 12 % has no account for reverse-charge construction sales",
		});
		expect(rowReverseCharge(plain({ reverseCharge: false }), invoice, LABOUR, CODINGS)).toEqual({
			value: false,
		});
		expect(
			rowReverseCharge(plain({ reverseCharge: true }), noFields, GOODS, CODINGS),
		).toMatchObject({ problem: { field: 'Row 1: Reverse Charge' } });
	});

	it('company settings and the customer, each named', () => {
		const rot = reduction(ROT).value!;
		const fields = { ...noFields, taxReduction: rot, projectNumber: 'P1' };
		expect(settingsProblems({}, fields, [plain()]).map((p) => p.field)).toEqual([
			'Tax Reduction',
			'Project Number',
		]);
		expect(
			settingsProblems({ UsesRotReducedInvoicing: true, UsesProject: true }, fields, [plain()]),
		).toEqual([]);
		const company = { Id: 'c', CustomerNumber: '1001', Name: 'Bygg AB', IsPrivatePerson: false };
		expect(customerProblems(company, fields, [plain()])).toEqual([
			{
				field: 'Tax Reduction',
				message:
					'(ROT) needs a private-person customer, and customer 1001 (Bygg AB) is a company in eAccounting',
			},
		]);
		const reverse = { ...noFields, reverseCharge: true };
		expect(
			customerProblems({ ...company, VatNumber: 'SE556677889901' }, reverse, [plain()])[0].message,
		).toMatch(/^needs a customer set up for it, and customer 1001 \(Bygg AB\) is not/);
	});

	it('plans a ROT draft: the reduction on the draft, the work and the project on the rows', () => {
		const rot = reduction(ROT).value!;
		const plan = planDraft({
			customer: { Id: 'cust', IsPrivatePerson: true },
			companyCurrency: 'SEK',
			fields: { ...noFields, taxReduction: rot, projectNumber: 'P1' },
			rows: [
				plain({ articleNumber: 'A100', unitPrice: 650, quantity: 4, workType: 1, workHours: 4 }),
				plain({ line: 2, articleNumber: 'A110', unitPrice: 89, quantity: 2, materialCosts: 178 }),
			],
			articles: articleIndex([LABOUR, GOODS]),
			settings: { UsesRotReducedInvoicing: true, UsesProject: true },
			codings: CODINGS,
			projects: new Map([['p1', { Id: 'p-1', Number: 'P1', Status: 1 }]]),
		});
		if ('problems' in plan) throw new Error(JSON.stringify(plan.problems));
		expect(plan.missingProjects).toEqual([]);
		expect(plan.body).toMatchObject({
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			Persons: [{ Ssn: ANNA, Amount: 500 }],
			RotReducedInvoicingAmount: 500,
		});
		expect(plan.body.Rows).toEqual([
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: 'a1',
				Quantity: 4,
				UnitPrice: 650,
				ProjectId: 'p-1',
				IsWorkCost: true,
				WorkCostType: 1,
				WorkHours: 4,
			},
			{
				IsTextRow: false,
				ReversedConstructionServicesVatFree: false,
				ArticleId: 'a2',
				Quantity: 2,
				UnitPrice: 89,
				ProjectId: 'p-1',
				IsWorkCost: false,
				MaterialCosts: 178,
			},
		]);
		expect(plan.matches.map((m) => m.project)).toEqual([
			{ Id: 'p-1', Number: 'P1', outcome: 'found' },
			{ Id: 'p-1', Number: 'P1', outcome: 'found' },
		]);
	});

	it('a project to create is listed once and leaves the rows without it until it exists', () => {
		const plan = planDraft({
			customer: { Id: 'cust' },
			companyCurrency: 'SEK',
			fields: { ...noFields, projectNumber: 'P9', projectName: 'Nytt jobb' },
			rows: [plain({ unitPrice: 1 }), plain({ line: 2, unitPrice: 2 })],
			articles: articleIndex([]),
			defaultArticle: LABOUR,
			settings: { UsesProject: true },
			createMissingProjects: true,
		});
		if ('problems' in plan) throw new Error(JSON.stringify(plan.problems));
		expect(plan.missingProjects).toEqual([{ number: 'P9', name: 'Nytt jobb' }]);
		expect((plan.body.Rows as Array<Record<string, unknown>>).map((r) => r.ProjectId)).toEqual([
			undefined,
			undefined,
		]);
	});
});

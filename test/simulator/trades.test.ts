import { describe, expect, it } from '@jest/globals';

import { articleRow, draftBody, fields, http, type Sim, authorized, type Api } from './helpers';
import { SEED_IDS, articleIdFor } from '../../dev/simulator';
import { useSimulator } from '../support/simulator';

type Json = Record<string, unknown>;

const C = SEED_IDS.customers;
const A = SEED_IDS.articles;
const P = SEED_IDS.projects;
const GUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const ANNA = '19800101-0019';
const ERIK = '820202-0007';
const ALL_SCOPES = ['ea:api', 'ea:sales', 'ea:accounting'];

/** A ROT draft for the seeded private person: 8 hours of carpentry (5200 net, 6500 with VAT). */
const rot = (extra: Json = {}, rows?: unknown[]) =>
	draftBody(
		C.privatePerson,
		rows ?? [
			articleRow(A.snickare, 8, {
				UnitPrice: 650,
				IsWorkCost: true,
				WorkCostType: 1,
				WorkHours: 8,
			}),
			articleRow(A.gipsskiva, 10, { UnitPrice: 89, IsWorkCost: false }),
		],
		{
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
			RotReducedInvoicingAmount: 1500,
			Persons: [
				{ Ssn: ANNA, Amount: 1000 },
				{ Ssn: ERIK, Amount: 500 },
			],
			...extra,
		},
	);

describe('simulator: ROT, RUT, green technology, reverse charge and projects on drafts', () => {
	let sim: Sim;
	let api: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started, ALL_SCOPES);
	});

	const post = async (body: unknown) => await api('POST', '/v2/customerinvoicedrafts', body);

	it('stores a ROT draft with its persons, computes the maximum reduction and keeps the work on the rows', async () => {
		const res = await post(rot());
		expect(res.status).toBe(201);
		expect(res.body).toMatchObject({
			RotReducedInvoicingType: 1,
			RotPropertyType: 2,
			RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
			RotReducedInvoicingAmount: 1500,
			// 30 % (the company's ROT percentage) of 5200 × 1.25.
			MaxAllowedTaxReductionAmount: 1950,
			CustomerIsPrivatePerson: true,
		});
		expect((res.body.Persons as Json[]).map((p) => [p.Ssn, p.Amount])).toEqual([
			[ANNA, 1000],
			[ERIK, 500],
		]);
		expect(
			(res.body.Rows as Json[]).map((r) => [r.IsWorkCost, r.WorkCostType, r.WorkHours]),
		).toEqual([
			[true, 1, 8],
			[false, 0, null],
		]);
		// Material costs on a work row lower the maximum: 30 % of (6500 − 1000 × 1.25).
		const material = await post(
			rot({ RotReducedInvoicingAmount: 1000, Persons: [{ Ssn: ANNA, Amount: 1000 }] }, [
				articleRow(A.snickare, 8, {
					UnitPrice: 650,
					IsWorkCost: true,
					WorkCostType: 1,
					WorkHours: 8,
					MaterialCosts: 1000,
				}),
			]),
		);
		expect(material.body.MaxAllowedTaxReductionAmount).toBe(1575);
	});

	it('refuses what Visma documents or implies for ROT and RUT, naming the field', async () => {
		const cases: Array<[string, unknown, string[], number?]> = [
			['a company customer', { ...rot(), CustomerId: C.first }, ['CustomerId']],
			['no property type on ROT', rot({ RotPropertyType: null }), ['RotPropertyType']],
			[
				'a property type without a name',
				rot({ RotReducedInvoicingPropertyName: null }),
				['RotReducedInvoicingPropertyName'],
			],
			[
				'an apartment without its housing association',
				rot({ RotPropertyType: 1 }),
				['RotReducedInvoicingOrgNumber'],
			],
			[
				'a housing association with a wrong check digit',
				rot({ RotPropertyType: 1, RotReducedInvoicingOrgNumber: '769612-3458' }),
				['RotReducedInvoicingOrgNumber'],
			],
			[
				'RUT with a property',
				rot({ RotReducedInvoicingType: 2 }),
				['RotPropertyType', 'Rows[0].WorkCostType'],
			],
			[
				'a work row under an hour',
				rot({}, [
					articleRow(A.snickare, 1, {
						UnitPrice: 650,
						IsWorkCost: true,
						WorkCostType: 1,
						WorkHours: 0.5,
					}),
				]),
				['Rows[0].WorkHours'],
			],
			[
				'work without a type',
				rot({}, [articleRow(A.snickare, 1, { UnitPrice: 650, IsWorkCost: true, WorkHours: 1 })]),
				['Rows[0].WorkCostType'],
			],
			[
				'a type of work Visma does not have',
				rot({}, [
					articleRow(A.snickare, 1, {
						UnitPrice: 650,
						IsWorkCost: true,
						WorkCostType: 8,
						WorkHours: 1,
					}),
				]),
				['Rows[0].WorkCostType'],
			],
			[
				'work on a normal invoice',
				draftBody(C.first, [
					articleRow(A.snickare, 1, {
						UnitPrice: 650,
						IsWorkCost: true,
						WorkCostType: 1,
						WorkHours: 1,
					}),
				]),
				['Rows[0].WorkCostType'],
			],
			[
				'persons on a normal invoice',
				draftBody(C.first, [articleRow(A.snickare, 1, { UnitPrice: 650 })], {
					Persons: [{ Ssn: ANNA, Amount: 1 }],
				}),
				['Persons'],
			],
			['a person without an amount', rot({ Persons: [{ Ssn: ANNA }] }), ['Persons[0].Amount']],
			[
				'the same person twice',
				rot({
					Persons: [
						{ Ssn: ANNA, Amount: 750 },
						{ Ssn: '800101-0019', Amount: 750 },
					],
				}),
				['Persons[1].Ssn'],
			],
			[
				"persons' amounts that do not add up",
				rot({ RotReducedInvoicingAmount: 1600 }),
				['Persons'],
			],
			[
				'more than the work allows',
				rot({ RotReducedInvoicingAmount: 2000, Persons: [{ Ssn: ANNA, Amount: 2000 }] }),
				['RotReducedInvoicingAmount'],
			],
			[
				'an invalid personal identity number',
				rot({ Persons: [{ Ssn: '19800101-0018', Amount: 1500 }] }),
				['Persons[0].Ssn'],
				4029,
			],
			[
				'a date that does not exist',
				rot({ Persons: [{ Ssn: '19800230-0000', Amount: 1500 }] }),
				['Persons[0].Ssn'],
				4029,
			],
		];
		for (const [name, body, expected, code = 2000] of cases) {
			const res = await post(body);
			expect({
				name,
				status: res.status,
				code: res.body.ErrorCode,
				fields: fields(res.body),
			}).toEqual({
				name,
				status: 400,
				code,
				fields: expected,
			});
		}
		expect(sim.list('customerinvoicedrafts')).toHaveLength(3);
	});

	it('caps a person at the company maximum; RUT by age', async () => {
		sim.setCompanySettings({
			CompanyRotRutSettings: {
				RotReducedInvoicingPercent: 0.3,
				RotReducedInvoicingMaxAmount: 1200,
				RutReducedInvoicingPercent: 0.5,
				RutMaxAmountForPersBelow65Year: 500,
				RutMaxAmountForPersOver65Year: 2000,
			},
		});
		const rot1 = await post(
			rot({
				Persons: [
					{ Ssn: ANNA, Amount: 1300 },
					{ Ssn: ERIK, Amount: 200 },
				],
			}),
		);
		expect(fields(rot1.body)).toEqual(['Persons[0].Amount']);
		const rut = (ssn: string) =>
			draftBody(
				C.privatePerson,
				[
					articleRow(articleIdFor('A129'), 4, {
						UnitPrice: 450,
						IsWorkCost: true,
						WorkCostType: 9,
						WorkHours: 4,
					}),
				],
				{
					RotReducedInvoicingType: 2,
					RotReducedInvoicingAmount: 1000,
					Persons: [{ Ssn: ssn, Amount: 1000 }],
				},
			);
		// Below 65: at most 500; 1912 is over 65: at most 2000.
		expect(fields((await post(rut(ANNA))).body)).toEqual(['Persons[0].Amount']);
		expect((await post(rut('19121212-1212'))).status).toBe(201);
	});

	it('splits the reduction evenly with automatic distribution', async () => {
		const res = await post(
			rot({
				RotReducedInvoicingAmount: 0,
				RotReducedInvoicingAutomaticDistribution: true,
				Persons: [{ Ssn: ANNA }, { Ssn: ERIK }, { Ssn: '19121212-1212' }],
			}),
		);
		expect(res.status).toBe(201);
		expect(res.body.RotReducedInvoicingAmount).toBe(1950);
		expect((res.body.Persons as Json[]).map((p) => p.Amount)).toEqual([650, 650, 650]);
	});

	it('ROT/RUT on a company that does not use it is refused', async () => {
		sim.setCompanySettings({ UsesRotReducedInvoicing: false });
		expect(fields((await post(rot())).body)).toEqual(['RotReducedInvoicingType']);
	});

	it('green technology: only in a company that uses it, with a row of its type and RotReducedInvoicingType 0', async () => {
		const green = (extra: Json = {}, type = 1) =>
			draftBody(
				C.privatePerson,
				[articleRow(A.elektriker, 10, { UnitPrice: 695, GreenTechnologyType: type })],
				{
					UsesGreenTechnology: true,
					RotPropertyType: 2,
					RotReducedInvoicingPropertyName: 'Umeå Björken 1:23',
					RotReducedInvoicingAmount: 1000,
					Persons: [{ Ssn: ANNA, Amount: 1000 }],
					...extra,
				},
			);
		expect(fields((await post(green())).body)).toEqual(['UsesGreenTechnology']);
		sim.setCompanySettings({ UsesGreenTechnology: true });
		const ok = await post(green());
		expect(ok.status).toBe(201);
		expect(ok.body).toMatchObject({ UsesGreenTechnology: true, RotReducedInvoicingType: 0 });
		expect((ok.body.Rows as Json[])[0].GreenTechnologyType).toBe(1);
		expect(fields((await post(green({}, 0))).body)).toEqual(['Rows']);
		expect(fields((await post(green({ RotReducedInvoicingType: 1 }))).body)).toEqual(
			expect.arrayContaining(['UsesGreenTechnology']),
		);
		expect(fields((await post(green({ RotReducedInvoicingPropertyName: null }))).body)).toEqual([
			'RotReducedInvoicingPropertyName',
		]);
		const typeWithoutGreen = draftBody(C.first, [
			articleRow(A.elektriker, 1, { UnitPrice: 695, GreenTechnologyType: 2 }),
		]);
		expect(fields((await post(typeWithoutGreen)).body)).toEqual(['Rows[0].GreenTechnologyType']);
	});

	it('reverse charge: only on rows whose coding has a reverse-charge account (4027), in a company that uses it', async () => {
		const goods = await post(
			draftBody(C.reverseCharge, [
				articleRow(A.gipsskiva, 1, { UnitPrice: 89, ReversedConstructionServicesVatFree: true }),
			]),
		);
		expect(goods.body.ErrorCode).toBe(4027);
		expect(fields(goods.body)).toEqual(['Rows[0].ReversedConstructionServicesVatFree']);
		sim.setCompanySettings({ UsesReverseConstructionVat: false });
		const off = await post(
			draftBody(C.reverseCharge, [
				articleRow(A.snickare, 1, { UnitPrice: 650, ReversedConstructionServicesVatFree: true }),
			]),
		);
		expect(fields(off.body)).toEqual(['Rows[0].ReversedConstructionServicesVatFree']);
	});

	it('projects on rows: stored, unknown (3000), finished (5005), not used by the company; kept when the draft is booked', async () => {
		const ok = await post(
			draftBody(C.first, [
				articleRow(A.snickare, 1, { UnitPrice: 650, ProjectId: P.ongoing }),
				articleRow(A.gipsskiva, 1, { UnitPrice: 89 }),
			]),
		);
		expect((ok.body.Rows as Json[]).map((r) => r.ProjectId)).toEqual([P.ongoing, null]);
		const booked = await api('POST', `/v2/customerinvoicedrafts/${ok.body.Id as string}/convert`);
		expect((booked.body.Rows as Json[])[0].ProjectId).toBe(P.ongoing);

		const unknown = await post(
			draftBody(C.first, [articleRow(A.snickare, 1, { UnitPrice: 650, ProjectId: GUID })]),
		);
		expect([unknown.body.ErrorCode, fields(unknown.body)]).toEqual([3000, ['Rows[0].ProjectId']]);
		const ended = await post(
			draftBody(C.first, [articleRow(A.snickare, 1, { UnitPrice: 650, ProjectId: P.finished })]),
		);
		expect([ended.body.ErrorCode, fields(ended.body)]).toEqual([5005, ['Rows[0].ProjectId']]);
		sim.setCompanySettings({ UsesProject: false });
		const off = await post(
			draftBody(C.first, [articleRow(A.snickare, 1, { UnitPrice: 650, ProjectId: P.ongoing })]),
		);
		expect(fields(off.body)).toEqual(['Rows[0].ProjectId']);
	});

	it("ignores the read-only row and draft fields the API documents (VAT, fixed discounts, the draft's reverse charge)", async () => {
		const res = await post(
			draftBody(
				C.first,
				[
					articleRow(A.snickare, 2, {
						UnitPrice: 650,
						VatRateId: '12',
						IsDiscountInFixedAmount: true,
						DiscountFixedAmount: 100,
					}),
				],
				{ ReverseChargeOnConstructionServices: true },
			),
		);
		expect(res.status).toBe(201);
		expect(res.body.ReverseChargeOnConstructionServices).toBe(false);
		expect((res.body.Rows as Json[])[0]).toMatchObject({
			VatRateId: '25',
			VatRate: 0.25,
			IsDiscountInFixedAmount: false,
			DiscountFixedAmount: null,
			Amount: 1300,
		});
	});
});

describe('simulator: projects', () => {
	let sim: Sim;
	let api: Api;
	let salesOnly: Api;

	useSimulator({}, (started) => {
		sim = started;
		api = authorized(started, ALL_SCOPES);
		salesOnly = http(started, started.issueTokens().access_token);
	});

	const project = (extra: Json = {}) => ({ Number: 'P900', Name: 'Nytt kök', Status: 1, ...extra });

	it('lists and gets projects with a sales scope; writing them needs ea:accounting', async () => {
		const list = await salesOnly(
			'GET',
			`/v2/projects?$filter=${encodeURIComponent("Number eq 'P101'")}`,
		);
		expect(list.body.Data).toEqual([
			expect.objectContaining({
				Id: P.roof,
				Number: 'P101',
				Status: 1,
				CustomerName: 'Västerbottens Byggentreprenad AB',
			}),
		]);
		expect((await salesOnly('GET', `/v2/projects/${P.finished}`)).body).toMatchObject({
			Number: 'P200',
			Status: 2,
		});
		expect((await salesOnly('GET', `/v2/projects/${GUID}`)).status).toBe(404);
		const refused = await salesOnly('POST', '/v2/projects', project());
		expect([refused.status, refused.body.ErrorCode]).toEqual([403, 4006]);
	});

	it('creates projects with a unique number (compared without regard to case); PUT answers 201', async () => {
		const created = await api('POST', '/v2/projects', project({ CustomerId: C.first }));
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			Number: 'P900',
			CustomerName: 'Bergström Bygg AB',
			StartDate: `${sim.clock.now().toISOString().slice(0, 10)}T00:00:00`,
		});
		const twin = await api('POST', '/v2/projects', project({ Number: 'p900' }));
		expect([twin.status, twin.body.ErrorCode, fields(twin.body)]).toEqual([400, 2000, ['Number']]);
		const put = await api(
			'PUT',
			`/v2/projects/${created.body.Id as string}`,
			project({ Status: 2 }),
		);
		expect([put.status, put.body.Status]).toEqual([201, 2]);
		expect((await api('PUT', `/v2/projects/${GUID}`, project())).body.ErrorCode).toBe(3000);
	});

	it('validates projects as the OpenAPI model says', async () => {
		const bad = await api('POST', '/v2/projects', { Number: 'P1234567890', Status: 3 });
		expect(fields(bad.body).sort()).toEqual(['Name', 'Number', 'Status']);
		const customer = await api('POST', '/v2/projects', project({ CustomerId: GUID }));
		expect([customer.body.ErrorCode, fields(customer.body)]).toEqual([3000, ['CustomerId']]);
	});
});

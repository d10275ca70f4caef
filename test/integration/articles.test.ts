import { describe, expect, it } from '@jest/globals';
import { NodeOperationError } from 'n8n-workflow';

import { propertiesOf } from '../../nodes/VismaEAccounting/actions/resources';
import { failureOf, lastSeq, writesAfter } from './simLog';
import type { TestBed } from './support';
import { byId, byNumber, fromItem, SEED_IDS, useTestBed } from './support';

type Json = Record<string, unknown>;
const articleOperations = propertiesOf('article');

const article = (bed: TestBed, number: string) =>
	bed.sim.list('articles').find((a) => a.Number === number);
const stable = (a: Json | undefined) => ({ ...a, ChangedUtc: null });

const fromRow = {
	articleNumber: fromItem('number'),
	articleName: fromItem('name'),
	unitId: fromItem('unit'),
	codingId: fromItem('coding'),
	price: fromItem('price'),
	articleFields: { isActive: fromItem('active') },
};

describe('Article > Create, Create or Update', () => {
	const bed = useTestBed();

	it('creates articles, taking unit and coding by ID, code or name, and refuses a number that exists', async () => {
		const mark = lastSeq(bed);
		const { items: out } = await bed.run(
			{ resource: 'article', operation: 'create', ...fromRow },
			[
				{
					number: 'N-1',
					name: 'Takläggning',
					unit: 'tim',
					coding: 'Tjänster 25 %',
					price: '720,50',
				},
				{
					number: 'N-2',
					name: 'Skruv 4x40',
					unit: SEED_IDS.units.styck,
					coding: SEED_IDS.codings.varor25,
					price: 2,
				},
				{ number: 'A100', name: 'Dubblett', unit: 'st', coding: 'Varor 25 %' },
				{ number: 'N-3', name: 'Okänd enhet', unit: 'pall', coding: 'Varor 25 %' },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toMatchObject({
			Number: 'N-1',
			UnitId: SEED_IDS.units.timme,
			CodingId: SEED_IDS.codings.tjanster25,
		});
		expect(out[1].json).toMatchObject({ Number: 'N-2', NetPrice: 2, GrossPrice: 2.5 });
		expect(out[2].json.error).toBe('Article number A100 already exists in eAccounting [item 2]');
		expect(out[3].json.error).toBe(
			'Unit "pall" matches no unit\'s code, abbreviation or name in eAccounting [item 3]',
		);
		expect(article(bed, 'N-1')).toMatchObject({
			Name: 'Takläggning',
			NetPrice: 720.5,
			GrossPrice: 900.63,
			IsActive: true,
		});
		expect(article(bed, 'A100')!.Name).not.toBe('Dubblett');
		expect(article(bed, 'N-3')).toBeUndefined();
		expect(writesAfter(bed, mark)).toEqual(['POST articles', 'POST articles']);
	});

	it('Create needs name, unit and coding, and says so before writing anything', async () => {
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run({
				resource: 'article',
				operation: 'create',
				articleNumber: 'N-9',
				articleName: 'Utan enhet',
			}),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error!.message).toBe('Unit is required to create article N-9 [item 0]');
		expect(error!.description).toMatch(/Account Coding is required/);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('Create or Update creates, updates and leaves unchanged, with one batched look-up', async () => {
		const a100 = article(bed, 'A100')!;
		const a110 = article(bed, 'A110')!;
		bed.sim.resetStats();
		const { items: out } = await bed.run(
			{ resource: 'article', operation: 'createOrUpdate', ...fromRow },
			[
				{ number: 'U-1', name: 'Ny artikel', unit: 'st', coding: 'Varor 12 %', price: 10 },
				{ number: 'A100', price: 700 },
				{ number: 'A110', name: a110.Name, price: a110.NetPrice },
				{ number: 'U-1', active: false },
			],
		);
		expect(out.map((o) => [o.json.Number, o.json.outcome, o.json.changedFields])).toEqual([
			['U-1', 'created', undefined],
			['A100', 'updated', ['NetPrice']],
			['A110', 'unchanged', undefined],
			['U-1', 'updated', ['IsActive']],
		]);
		expect(bed.sim.stats().byRoute).toEqual({
			'GET articles': 1,
			'GET units': 1,
			'GET articleaccountcodings': 1,
			'POST articles': 1,
			'PUT articles/{articleId}': 2,
		});
		// The PUT kept everything else and Visma recomputed the gross price from the coding's rate.
		expect(
			stable({ ...article(bed, 'A100'), NetPrice: 0, GrossPrice: 0, NetPriceWithDiscount: 0 }),
		).toEqual(stable({ ...a100, NetPrice: 0, GrossPrice: 0, NetPriceWithDiscount: 0 }));
		expect(article(bed, 'A100')).toMatchObject({ NetPrice: 700, GrossPrice: 875 });
		expect(article(bed, 'A110')).toEqual(a110);
		expect(article(bed, 'U-1')).toMatchObject({
			Name: 'Ny artikel',
			IsActive: false,
			CodingId: SEED_IDS.codings.varor12,
		});
	});

	it('a new number without name, unit or coding fails only that item', async () => {
		const { items: out } = await bed.run(
			{ resource: 'article', operation: 'createOrUpdate', ...fromRow },
			[
				{ number: 'U-2', price: 5 },
				{ number: 'A101', price: 1 },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json.error).toBe('Name is required to create article U-2 [item 0]');
		expect(out[1].json).toMatchObject({ Number: 'A101', outcome: 'updated', NetPrice: 1 });
		expect(article(bed, 'U-2')).toBeUndefined();
	});
});

describe('Article > Get, Get Many, Update', () => {
	const bed = useTestBed();

	it('gets articles by ID and by number', async () => {
		const { items: out } = await bed.run(
			{ resource: 'article', operation: 'get', article: fromItem('ref') },
			[
				{ ref: byNumber('A110') },
				{ ref: byId(SEED_IDS.articles.snickare) },
				{ ref: byNumber('NOPE') },
			],
			{ continueOnFail: true },
		);
		expect(out[0].json).toEqual({
			Id: SEED_IDS.articles.gipsskiva,
			Number: 'A110',
			Name: article(bed, 'A110')!.Name,
			NetPrice: 89,
			GrossPrice: article(bed, 'A110')!.GrossPrice,
			UnitName: 'Styck',
			CodingName: 'Varor 25 %',
			IsActive: true,
			ChangedUtc: article(bed, 'A110')!.ChangedUtc,
		});
		expect(out[1].json.Number).toBe('A100');
		expect(out[2].json.error).toBe('Article with number NOPE is not in eAccounting [item 2]');
	});

	it('lists articles with filters', async () => {
		const all = bed.sim.list('articles');
		const run = async (params: Json) =>
			(
				await bed.run({ resource: 'article', operation: 'getAll', returnAll: true, ...params })
			).items.map((o) => o.json);
		expect(await run({})).toHaveLength(all.length);
		expect(await run({ returnAll: false, limit: 3 })).toHaveLength(3);
		expect((await run({ filters: { number: 'A139' } })).map((a) => a.Id)).toEqual([
			SEED_IDS.articles.momsfri,
		]);
		expect((await run({ filters: { isActive: false } })).map((a) => a.Number)).toEqual(
			all.filter((a) => !a.IsActive).map((a) => a.Number),
		);
		const named = await run({ filters: { nameContains: 'Arbetstid', isActive: true } });
		expect(named.map((a) => a.Number).sort()).toEqual(
			all
				.filter((a) => (a.Name as string).includes('Arbetstid') && a.IsActive)
				.map((a) => a.Number)
				.sort(),
		);
		expect(named.length).toBeGreaterThan(0);
		const since = new Date(bed.sim.clock.now().getTime() - 1000).toISOString();
		await bed.run({
			resource: 'article',
			operation: 'update',
			article: byNumber('A101'),
			updateFields: { articleName: 'Elektriker' },
		});
		expect((await run({ filters: { changedSince: since } })).map((a) => a.Number)).toEqual([
			'A101',
		]);
	});

	it('updates an article by number: price, unit by code, deactivation', async () => {
		const before = article(bed, 'A135')!;
		const { items: out } = await bed.run({
			resource: 'article',
			operation: 'update',
			article: byNumber('A135'),
			updateFields: { price: '199', unitId: 'KGM', isActive: false },
		});
		expect(out[0].json).toMatchObject({
			Number: 'A135',
			NetPrice: 199,
			IsActive: false,
			changedFields: ['UnitId', 'NetPrice', 'IsActive'],
		});
		const after = article(bed, 'A135')!;
		expect(after).toMatchObject({
			NetPrice: 199,
			GrossPrice: 210.94,
			UnitId: SEED_IDS.units.kilogram,
			IsActive: false,
		});
		expect(after.CodingId).toBe(before.CodingId);
		expect(after.Name).toBe(before.Name);
	});

	it('an unknown coding name fails before anything is written', async () => {
		const mark = lastSeq(bed);
		const error = await failureOf(
			bed.run({
				resource: 'article',
				operation: 'update',
				article: byNumber('A100'),
				updateFields: { codingId: 'Moms 99 %' },
			}),
		);
		expect(error!.message).toBe(
			'Account Coding "Moms 99 %" matches no account coding\'s name in eAccounting [item 0]',
		);
		expect(writesAfter(bed, mark)).toEqual([]);
	});

	it('has no Delete: the operations say to deactivate instead', () => {
		const operation = articleOperations.find((p) => p.name === 'operation')!;
		const options = operation.options as Array<{ value: string; description: string }>;
		expect(options.map((o) => o.value)).not.toContain('delete');
		expect(options.find((o) => o.value === 'update')!.description).toMatch(
			/cannot delete articles: turn Active off instead/,
		);
	});
});

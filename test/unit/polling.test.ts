import { describe, expect, it } from '@jest/globals';

import type {
	EventKind,
	PollMemory,
	PollSetup,
	StoredState,
} from '../../nodes/VismaEAccounting/domain/polling';
import {
	activatePoll,
	compactId,
	CompactIdSet,
	PollMemory as Memory,
	readState,
	runPoll,
} from '../../nodes/VismaEAccounting/domain/polling';
import type { ScanRequest } from '../../nodes/VismaEAccounting/domain/pollScan';
import {
	formatUtc,
	keysetScan,
	nextCursor,
	parseUtc,
} from '../../nodes/VismaEAccounting/domain/pollScan';
import { mulberry32 } from '../../dev/simulator/faults';

// ---------------------------------------------------------------------------------------------
// A model of Visma for the scan: records stamped with the server clock when written, visible
// only after a commit lag, ties in any order unless sorted by Id, and a hook that writes while
// the trigger is paging.

interface Rec {
	Id: string;
	/** The axis timestamp: stamped on every write. */
	Ts: number;
	/** Stamped on the first write only. */
	Created: number;
	Paid: boolean;
	rev: number;
}

/** The simulator's deterministic PRNG (mulberry32). */
const prng = mulberry32;

function guid(rng: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

class FakeVisma {
	now = Date.UTC(2026, 10, 2, 8, 0, 0);

	readonly requests: ScanRequest[] = [];

	hook: ((request: ScanRequest) => void) | undefined;

	private readonly versions = new Map<string, Array<{ visibleAt: number; data: Rec }>>();

	constructor(private readonly rng: () => number = prng(1)) {}

	write(id: string, change: Partial<Rec> = {}, lag = 0): Rec {
		const list = this.versions.get(id) ?? [];
		const previous = list[list.length - 1]?.data;
		const data: Rec = {
			Id: id,
			Created: previous?.Created ?? this.now,
			Paid: previous?.Paid ?? false,
			rev: (previous?.rev ?? 0) + 1,
			...change,
			Ts: this.now,
		};
		list.push({ visibleAt: this.now + lag, data });
		this.versions.set(id, list);
		return data;
	}

	/** The newest version a reader can see now. */
	current(id: string): Rec | undefined {
		const list = this.versions.get(id) ?? [];
		for (let i = list.length - 1; i >= 0; i--)
			if (list[i].visibleAt <= this.now) return list[i].data;
		return undefined;
	}

	/** The newest version written, visible or not. */
	latest(id: string): Rec | undefined {
		const list = this.versions.get(id) ?? [];
		return list[list.length - 1]?.data;
	}

	ids(): string[] {
		return [...this.versions.keys()];
	}

	fetch = async (request: ScanRequest) => {
		this.hook?.(request);
		this.requests.push(request);
		if (this.requests.length > 20_000)
			throw new Error(`runaway scan: ${JSON.stringify(this.requests.slice(-8))}`);
		const rows = this.ids()
			.map((id) => this.current(id))
			.filter((r): r is Rec => r !== undefined)
			.filter(
				(r) =>
					(request.from === undefined || r.Ts >= request.from) &&
					(request.before === undefined || r.Ts < request.before),
			)
			.map((r) => ({ r, tie: this.rng() }))
			.sort(
				(a, b) =>
					a.r.Ts - b.r.Ts || (request.tieOrder ? (a.r.Id < b.r.Id ? -1 : 1) : a.tie - b.tie),
			)
			.map((x) => x.r);
		const start = (request.page - 1) * request.pageSize;
		return {
			records: rows.slice(start, start + request.pageSize).map((r) => ({ ...r })),
			total: rows.length,
			serverTime: this.now,
		};
	};
}

const OVERLAP = 5 * 60_000;

function setupFor(server: FakeVisma, kind: EventKind, pageSize = 4): PollSetup<Rec> {
	return {
		fetch: server.fetch,
		timestamp: (r) => r.Ts,
		pageSize,
		overlapMs: OVERLAP,
		event: 'test',
		scope: 'sim|cred',
		kind,
	};
}

// ---------------------------------------------------------------------------------------------

describe('compact ids', () => {
	it('folds a whole GUID into 12 hex characters, ignoring case and hyphens', () => {
		const id = '6D2E1F70-1234-4ABC-8DEF-0123456789AB';
		expect(compactId(id)).toHaveLength(12);
		expect(compactId(id)).toBe(compactId(id.toLowerCase().replace(/-/g, '')));
		// Ids that differ only in their last bytes (like sequential GUIDs) stay apart.
		expect(compactId('00000000-0000-0000-0000-000000000001')).not.toBe(
			compactId('00000000-0000-0000-0000-000000000002'),
		);
		expect(compactId('not a guid')).toBe('~not a guid');
	});

	it('stores a set as one sorted string and reads it back', () => {
		const ids = ['6d2e1f70-1234-4abc-8def-0123456789ab', 'aaaaaaaa-0000-4000-8000-000000000000'];
		const set = new CompactIdSet();
		for (const id of ids) set.add(id);
		const text = set.encode();
		expect(text).toHaveLength(24);
		expect(text).toBe([...ids.map(compactId)].sort().join(''));
		const back = CompactIdSet.decode(text);
		expect(ids.every((id) => back.has(id))).toBe(true);
		back.delete(ids[0]);
		expect(back.has(ids[0])).toBe(false);
		expect(back.size).toBe(1);
		expect(CompactIdSet.decode(undefined).size).toBe(0);
		expect(CompactIdSet.decode(42).size).toBe(0);
	});
});

describe('timestamps', () => {
	it('reads Visma *Utc values as UTC whatever their precision', () => {
		const ms = Date.UTC(2026, 10, 29, 10, 0, 0, 123);
		expect(parseUtc('2026-11-29T10:00:00.123Z')).toBe(ms);
		expect(parseUtc('2026-11-29T10:00:00.1234567Z')).toBe(ms);
		expect(parseUtc('2026-11-29T10:00:00.1234567')).toBe(ms); // no offset: still UTC
		expect(parseUtc('2026-11-29T12:00:00.123+02:00')).toBe(ms);
		expect(parseUtc('2026-11-29T10:00:00Z')).toBe(ms - 123);
		expect(parseUtc('2026-11-29')).toBe(Date.UTC(2026, 10, 29));
		expect(parseUtc('yesterday')).toBeUndefined();
		expect(parseUtc(null)).toBeUndefined();
		expect(formatUtc(ms)).toBe('2026-11-29T10:00:00.123Z');
	});
});

describe('keyset scan', () => {
	const collect = async (server: FakeVisma, from: number | undefined, pageSize: number) => {
		const seen: Rec[] = [];
		const summary = await keysetScan<Rec>({
			fetch: server.fetch,
			timestamp: (r) => r.Ts,
			from,
			pageSize,
			visit: (r) => seen.push(r),
		});
		return { seen, summary };
	};

	it('continues from the largest timestamp of a full page, never by page number', async () => {
		const server = new FakeVisma();
		const start = server.now;
		for (let i = 0; i < 10; i++) {
			server.write(`r${i}`);
			server.now += 10;
		}
		const { seen, summary } = await collect(server, start, 4);
		expect(new Set(seen.map((r) => r.Id)).size).toBe(10);
		expect(server.requests.map((r) => [r.from! - start, r.page])).toEqual([
			[0, 1],
			[30, 1],
			[60, 1],
			[90, 1],
		]);
		expect(summary.maxSeen).toBe(start + 90);
		expect(summary.serverTime).toBe(server.now);
	});

	it('finds records that move while it pages (offset paging would skip one)', async () => {
		const server = new FakeVisma();
		const start = server.now;
		for (let i = 0; i < 12; i++) {
			server.write(`r${i}`);
			server.now += 10;
		}
		// Between page 1 and 2, the first record changes: it moves to the end.
		server.hook = (request) => {
			if (server.requests.length === 1 && request.page === 1) server.write('r0');
		};
		const { seen } = await collect(server, start, 5);
		const ids = new Set(seen.map((r) => r.Id));
		expect(ids.size).toBe(12);
		expect([...new Set(seen.filter((r) => r.Id === 'r0').map((r) => r.rev))]).toEqual([1, 2]);
	});

	it('reads a block of records sharing one millisecond from its last page to its first', async () => {
		const server = new FakeVisma();
		const start = server.now;
		for (let i = 0; i < 10; i++) server.write(`t${String(i).padStart(2, '0')}`);
		server.now += 5;
		server.write('after');
		// While the block is read, records leave it (they change and move to a later time).
		let moved = 0;
		server.hook = (request) => {
			if (request.tieOrder && request.pageSize === 4 && moved < 3) {
				server.now += 1;
				server.write(`t${String(moved * 3).padStart(2, '0')}`);
				moved++;
			}
		};
		const { seen } = await collect(server, start, 4);
		const ids = new Set(seen.map((r) => r.Id));
		expect(ids.size).toBe(11);
		const tie = server.requests.filter((r) => r.tieOrder);
		expect(tie.map((r) => [r.pageSize, r.page])).toEqual([
			[1, 1],
			[4, 3],
			[4, 2],
			[4, 1],
		]);
		expect(tie.every((r) => r.from === start && r.before === start + 1)).toBe(true);
		expect(server.requests[server.requests.length - 1].from).toBeGreaterThan(start);
	});

	it('refuses to page when Visma ignores the filter or the order', async () => {
		const server = new FakeVisma();
		const start = server.now;
		for (let i = 0; i < 6; i++) {
			server.write(`r${i}`);
			server.now += 10;
		}
		const ignoringFilter = async (request: ScanRequest) =>
			await server.fetch({ ...request, from: undefined });
		await expect(
			keysetScan<Rec>({
				fetch: ignoringFilter,
				timestamp: (r) => r.Ts,
				from: start + 25,
				pageSize: 4,
				visit: () => {},
			}),
		).rejects.toThrow('outside the requested time range');
		const unordered = async (request: ScanRequest) => {
			const page = await server.fetch(request);
			return { ...page, records: [...page.records].reverse() };
		};
		await expect(
			keysetScan<Rec>({
				fetch: unordered,
				timestamp: (r) => r.Ts,
				from: start,
				pageSize: 4,
				visit: () => {},
			}),
		).rejects.toThrow('time order');
	});

	it('moves the cursor to the latest of the old cursor, the server time and what it read', () => {
		expect(nextCursor(100, { serverTime: 300, maxSeen: 200, requests: 1, records: 1 })).toBe(300);
		expect(nextCursor(100, { serverTime: 300, maxSeen: 400, requests: 1, records: 1 })).toBe(400);
		expect(nextCursor(500, { serverTime: 300, maxSeen: 400, requests: 1, records: 1 })).toBe(500);
		expect(nextCursor(undefined, { requests: 1, records: 0 })).toBeUndefined();
	});
});

describe('deciders', () => {
	const id = (n: number) => `0000000${n}-0000-4000-8000-000000000000`;

	it('created: emits an id once, and only when it was created inside the window', () => {
		const memory = new Memory(1000);
		expect(memory.isNewCreation(id(1), 1500)).toBe(true);
		expect(memory.isNewCreation(id(1), 1500)).toBe(false);
		expect(memory.isNewCreation(id(2), 999)).toBe(false);
		expect(memory.isNewCreation(id(3), undefined)).toBe(false);
	});

	it('changed: emits each newer timestamp of an id once', () => {
		const memory = new Memory(1000);
		expect(memory.isNewVersion(id(1), 1500)).toBe(true);
		expect(memory.isNewVersion(id(1), 1500)).toBe(false);
		expect(memory.isNewVersion(id(1), 1400)).toBe(false);
		expect(memory.isNewVersion(id(1), 1600)).toBe(true);
	});

	it('first sight: emits an id never seen before, once', () => {
		const memory = new Memory(1000, { seen: {}, known: compactId(id(1)) });
		expect(memory.isFirstSight(id(1))).toBe(false);
		expect(memory.isFirstSight(id(2))).toBe(true);
		expect(memory.isFirstSight(id(2))).toBe(false);
	});

	it('paid: emits an invoice once when it turns paid after being open or new', () => {
		const memory = new Memory(1000, { seen: {}, open: compactId(id(1)) });
		// Open at activation, paid now.
		expect(memory.isNewlyPaid(id(1), 10, false)).toBe(false);
		expect(memory.isNewlyPaid(id(1), 10, true)).toBe(true);
		expect(memory.isNewlyPaid(id(1), 10, true)).toBe(false);
		// Paid before activation and modified now: never.
		expect(memory.isNewlyPaid(id(2), 10, true)).toBe(false);
		// Created in the window and paid before we ever saw it open.
		expect(memory.isNewlyPaid(id(3), 1200, true)).toBe(true);
		expect(memory.isNewlyPaid(id(3), 1200, true)).toBe(false);
		// Created in the window unpaid: remembered as open, emitted when paid, then never again.
		expect(memory.isNewlyPaid(id(4), 1300, false)).toBe(false);
		expect(memory.open.has(id(4))).toBe(true);
		expect(memory.isNewlyPaid(id(4), 1300, true)).toBe(true);
		expect(memory.isNewlyPaid(id(4), 1300, false)).toBe(false);
		expect(memory.isNewlyPaid(id(4), 1300, true)).toBe(false);
	});

	it('stores only what the next window still needs', () => {
		const memory = new Memory(1000);
		memory.isNewVersion(id(1), 1100);
		memory.isNewVersion(id(2), 2100);
		const state = memory.toState('changedCustomer', 'scope', 'changed', 2500, 2000);
		expect(state).toEqual({
			v: 1,
			event: 'changedCustomer',
			scope: 'scope',
			cursor: formatUtc(2500),
			seen: { [compactId(id(2))]: formatUtc(2100) },
		});
		expect(readState(state, 'changedCustomer', 'scope')).toEqual(state);
		expect(readState(state, 'newCustomer', 'scope')).toBeUndefined();
		expect(readState(state, 'changedCustomer', 'other connection')).toBeUndefined();
		expect(readState({ ...state, v: 2 }, 'changedCustomer', 'scope')).toBeUndefined();
		expect(readState({ ...state, cursor: 'soon' }, 'changedCustomer', 'scope')).toBeUndefined();
		expect(readState(undefined, 'changedCustomer', 'scope')).toBeUndefined();
		// A first-sight or paid state without its id set is not trusted.
		expect(
			readState({ ...state, event: 'newCustomer' }, 'newCustomer', 'scope', 'firstSight'),
		).toBeUndefined();
		expect(
			readState(
				{ ...state, event: 'newCustomer', known: '' },
				'newCustomer',
				'scope',
				'firstSight',
			),
		).toBeDefined();
		expect(
			readState({ ...state, event: 'invoicePaid' }, 'invoicePaid', 'scope', 'paid'),
		).toBeUndefined();
	});
});

// ---------------------------------------------------------------------------------------------
// Whole polls against the model, with random writes between and during polls.

type Scenario = 'created' | 'createdOnModified' | 'changed' | 'firstSight' | 'paid';

interface Run {
	server: FakeVisma;
	activation: number;
	/** Every emission, in order. */
	emitted: Rec[];
	/** Invoices open when the trigger was activated (paid scenario). */
	openAtActivation: Set<string>;
}

const RULES: Record<
	Scenario,
	{
		kind: EventKind;
		listing?: string[];
		decide: (m: PollMemory, r: Rec) => boolean;
		remember: (m: PollMemory, r: Rec) => void;
	}
> = {
	created: {
		kind: 'created',
		decide: (m, r) => m.isNewCreation(r.Id, r.Created),
		remember: (m, r) => void m.isNewCreation(r.Id, r.Created),
	},
	createdOnModified: {
		kind: 'created',
		decide: (m, r) => m.isNewCreation(r.Id, r.Created),
		remember: (m, r) => void m.isNewCreation(r.Id, r.Created),
	},
	changed: {
		kind: 'changed',
		decide: (m, r) => m.isNewVersion(r.Id, r.Ts),
		remember: (m, r) => void m.isNewVersion(r.Id, r.Ts),
	},
	firstSight: {
		kind: 'firstSight',
		listing: ['Id', 'Ts'],
		decide: (m, r) => m.isFirstSight(r.Id),
		remember: (m, r) => void m.isFirstSight(r.Id),
	},
	paid: {
		kind: 'paid',
		listing: ['Id', 'Created', 'Ts', 'Paid'],
		decide: (m, r) => m.isNewlyPaid(r.Id, r.Created, r.Paid),
		remember: (m, r) => m.rememberInvoice(r.Id, r.Created, r.Paid),
	},
};

async function simulate(scenario: Scenario, seed: number, polls = 25): Promise<Run> {
	const rng = prng(seed);
	const server = new FakeVisma(prng(seed + 1000));
	const rule = RULES[scenario];
	const pageSize = 4;
	const lag = () => (rng() < 0.8 ? 0 : Math.floor(rng() * 30_000));
	const pick = (ids: string[]) => ids[Math.floor(rng() * ids.length)];

	const write = () => {
		const ids = server.ids();
		const r = rng();
		switch (scenario) {
			case 'created':
				server.write(guid(rng), {}, lag());
				return;
			case 'createdOnModified':
			case 'changed':
			case 'firstSight':
				if (ids.length === 0 || r < (scenario === 'createdOnModified' ? 0.6 : 0.3))
					server.write(guid(rng), {}, lag());
				else server.write(pick(ids), {}, lag());
				return;
			case 'paid': {
				const unpaid = ids.filter((id) => !server.latest(id)!.Paid);
				const paid = ids.filter((id) => server.latest(id)!.Paid);
				if (ids.length === 0 || r < 0.4) server.write(guid(rng), { Paid: false }, lag());
				else if (r < 0.45) server.write(guid(rng), { Paid: true }, lag());
				else if (r < 0.7 && unpaid.length) server.write(pick(unpaid), { Paid: true }, lag());
				else if (r < 0.8 && paid.length) server.write(pick(paid), { Paid: false }, lag());
				else server.write(pick(ids), {}, lag());
				return;
			}
		}
	};
	const burst = () => {
		// Many writes in one millisecond: a tie block bigger than a page.
		for (let i = 0; i < pageSize + 3; i++) write();
	};

	// History before activation, then let it all become visible.
	for (let i = 0; i < 40; i++) {
		write();
		server.now += Math.floor(rng() * 20_000);
	}
	burst();
	server.now += 60_000;

	const setup = setupFor(server, rule.kind, pageSize);
	const activation = server.now;
	const openAtActivation = new Set(
		server
			.ids()
			.filter((id) => !server.current(id)!.Paid)
			.map((id) => id),
	);
	let state: StoredState = await activatePoll(setup, activation, rule.remember, rule.listing);

	const emitted: Rec[] = [];
	server.hook = () => {
		if (rng() < 0.15) {
			for (let i = Math.floor(rng() * 2); i >= 0; i--) {
				write();
				server.now += Math.floor(rng() * 5);
			}
		}
		if (rng() < 0.02) burst();
	};
	for (let p = 0; p < polls; p++) {
		const writes = Math.floor(rng() * 25);
		for (let i = 0; i < writes; i++) {
			write();
			server.now += Math.floor(rng() * 3000);
		}
		if (rng() < 0.15) burst();
		// Sometimes right after the last writes (some not visible yet), sometimes much later.
		server.now += rng() < 0.5 ? Math.floor(rng() * 2000) : Math.floor(rng() * 600_000);
		const result = await runPoll(setup, state, rule.decide);
		state = result.state;
		emitted.push(...result.emitted);
	}
	// Quiet: no more writes, everything visible, two more polls.
	server.hook = undefined;
	for (let p = 0; p < 2; p++) {
		server.now += 60_000;
		const result = await runPoll(setup, state, rule.decide);
		state = result.state;
		emitted.push(...result.emitted);
	}
	expect(JSON.stringify(state).length).toBeLessThan(40 * 1024);
	return { server, activation, emitted, openAtActivation };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('whole polls against a model of Visma (lag, ties, writes during paging)', () => {
	const createdAfter = (run: Run) =>
		new Set(run.server.ids().filter((id) => run.server.latest(id)!.Created >= run.activation));

	it.each(SEEDS)(
		'created: every record created after activation exactly once (seed %i)',
		async (seed) => {
			for (const scenario of ['created', 'createdOnModified'] as const) {
				const run = await simulate(scenario, seed);
				const ids = run.emitted.map((r) => r.Id);
				expect(new Set(ids).size).toBe(ids.length);
				expect(new Set(ids)).toEqual(createdAfter(run));
			}
		},
	);

	it.each(SEEDS)(
		'changed: every change after activation, no version twice (seed %i)',
		async (seed) => {
			const run = await simulate('changed', seed);
			const versions = run.emitted.map((r) => `${r.Id}@${r.Ts}`);
			expect(new Set(versions).size).toBe(versions.length);
			expect(run.emitted.every((r) => r.Ts >= run.activation)).toBe(true);
			// Per record, emitted versions only move forward.
			const last = new Map<string, number>();
			for (const r of run.emitted) {
				expect(r.Ts).toBeGreaterThan(last.get(r.Id) ?? -Infinity);
				last.set(r.Id, r.Ts);
			}
			// The final state of every record touched after activation was emitted.
			for (const id of run.server.ids()) {
				const final = run.server.latest(id)!;
				if (final.Ts >= run.activation) expect(last.get(id)).toBe(final.Ts);
				else expect(last.has(id)).toBe(false);
			}
		},
	);

	it.each(SEEDS)(
		'first sight: new records once, changed old ones never (seed %i)',
		async (seed) => {
			const run = await simulate('firstSight', seed);
			const ids = run.emitted.map((r) => r.Id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(new Set(ids)).toEqual(createdAfter(run));
		},
	);

	it.each(SEEDS)(
		'paid: once per invoice, only for invoices open at activation or newer (seed %i)',
		async (seed) => {
			const run = await simulate('paid', seed);
			const ids = run.emitted.map((r) => r.Id);
			expect(new Set(ids).size).toBe(ids.length);
			expect(run.emitted.every((r) => r.Paid)).toBe(true);
			const eligible = new Set([...run.openAtActivation, ...createdAfter(run)]);
			expect(ids.filter((id) => !eligible.has(id))).toEqual([]);
			const finallyPaid = run.server
				.ids()
				.filter((id) => eligible.has(id) && run.server.latest(id)!.Paid);
			expect(finallyPaid.filter((id) => !ids.includes(id))).toEqual([]);
		},
	);
});

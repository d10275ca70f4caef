import { expect } from '@jest/globals';

import { sampleApproval } from '../../../dev/stack/examples';
import { whileConfigured } from '../../support/simulator';
import { progress } from './context';
import type { Stack, Suite } from './suite';

/** The faults Visma shows: a plain 503, a 500 with ErrorCode 5001, a POST applied whose answer is lost. */
export const FAULT_KINDS: Array<'503' | '500-5001' | 'lost-response'> = [
	'503',
	'500-5001',
	'lost-response',
];

/**
 * `count` approvals with new invoice numbers (`${prefix}-0001`, ...), for `customers` in turn
 * (existing numbers, or new ones the export creates).
 */
export const approvalsFor = (prefix: string, count: number, customers: string[]) =>
	Array.from({ length: count }, (_, i) => {
		const number = customers[i % customers.length];
		return sampleApproval(`${prefix}-${String(i + 1).padStart(4, '0')}`, {
			customer: {
				number,
				name: `Kund ${number} AB`,
				address1: 'Industrigatan 1',
				postalCode: '901 30',
				city: 'Umeå',
			},
		});
	});

/**
 * Sends `count` approvals (new references, over `customers`) to the one-step example's webhook,
 * `groupSize` at a time, while the simulator injects 10 % faults of each kind, and checks issue
 * 17's promise: every approval answered 200 and exported exactly once, and every draft the node
 * deleted is one its own POSTs created (the simulator logs the Id a POST created, also when its
 * answer was lost).
 */
export async function approvalsThroughFaults(
	label: string,
	env: Pick<Suite, 'stack' | 'sim' | 'q'>,
	options: { prefix: string; count: number; groupSize: number; customers: string[]; seed: number },
): Promise<void> {
	const { stack, sim, q } = env;
	const mark = q.lastSeq();
	sim.resetStats();
	const approvals = approvalsFor(options.prefix, options.count, options.customers);
	const started = Date.now();
	const responses: Array<Awaited<ReturnType<Stack['webhook']>>> = [];
	const faults = { rate: 0.3, kinds: FAULT_KINDS, seed: options.seed };
	await whileConfigured(sim, { faults }, async () => {
		for (let i = 0; i < approvals.length; i += options.groupSize) {
			const group = approvals.slice(i, i + options.groupSize);
			responses.push(
				...(await Promise.all(group.map(async (a) => await stack.webhook('visma/export', a)))),
			);
		}
	});
	const injected = sim.stats().faults;
	progress(
		`[e2e] ${label}: ${options.count} approvals (${options.groupSize} at a time) answered in ${((Date.now() - started) / 1000).toFixed(1)} s; faults ${JSON.stringify(injected)}`,
	);
	for (const kind of FAULT_KINDS) expect(injected[kind]).toBeGreaterThan(0);

	expect(responses.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
	// Found after a lost answer, a draft is not claimed as created (it may be another process's).
	for (const r of responses) expect(['created', 'existingDraft']).toContain(r.body.outcome);
	approvals.forEach((a, i) => {
		const drafts = q.draftsWithReference(a.invoiceNumber);
		expect(drafts).toHaveLength(1);
		expect(responses[i].body.Id).toBe(drafts[0].Id);
	});
	for (const number of options.customers) expect(q.customersNumbered(number)).toHaveLength(1);

	const created = new Set(q.draftsCreatedSince(mark));
	const deleted: string[] = q.draftsDeletedSince(mark);
	progress(
		`[e2e] ${label}: ${created.size} drafts created by the node's POSTs, ${deleted.length} later copies of its own deleted`,
	);
	expect(deleted.filter((id) => !created.has(id))).toEqual([]);
	expect(created.size - deleted.length).toBe(options.count);
}

import type { VismaCustomer } from '../domain/visma';
import type { VismaClient } from '../transport';
import type { DraftRequest, DraftResult } from './drafts';
import { allDecided, answerFromExisting, sourceRefOf } from './drafts';
import type { Outcome } from './outcome';
import { planDrafts } from './planDrafts';
import type { CustomerKey } from './sourceReferences';
import { withSourceReferences } from './sourceReferences';
import { writeDrafts } from './writeDrafts';

const customerKeyOf = (r: DraftRequest): CustomerKey => {
	const record = r.customer.record as VismaCustomer | undefined;
	return { id: record?.Id ?? r.customer.id, number: record?.CustomerNumber ?? r.customer.number };
};

/**
 * Create Draft Invoice: the source references first (locked and looked up), then the drafts
 * they do not answer planned (customers and articles in one batched look-up each) and written.
 */
export async function createDrafts(
	client: VismaClient,
	requests: DraftRequest[],
): Promise<Array<Outcome<DraftResult>>> {
	const refs = requests.flatMap((r) => sourceRefOf(r) ?? []);
	return await withSourceReferences(client, refs, async (existing) => {
		const results = await answerFromExisting(
			client,
			existing,
			requests.map((r) => ({
				itemIndex: r.itemIndex,
				ref: sourceRefOf(r),
				customer: customerKeyOf(r),
			})),
		);
		const pending = requests.flatMap((request, index) =>
			results[index] ? [] : [{ index, request }],
		);
		const plans = await planDrafts(client, pending, results);
		await writeDrafts(client, plans, results);
		return allDecided(client.node, results);
	});
}

import type { VismaClient } from '../transport';
import { isRefusal, passOn, readFailure } from '../transport';

/**
 * POSTs a record whose number is unique in eAccounting (a customer, an article, a project).
 * A lost answer is settled by looking the number up, so the POST is repeated only when the
 * look proves it was not applied. A refused create is followed by a look too: Visma does not
 * document its duplicate error, so a record that is there now (another process won the race)
 * is used rather than trusting an error code. Without `find` (no number to look by) a lost
 * answer is never repeated and a refusal is final.
 */
export async function createUnique<T>(
	client: VismaClient,
	args: {
		path: string;
		body: object;
		action: string;
		itemIndex: number;
		find?: () => Promise<T | undefined>;
	},
): Promise<{ record: T; created: boolean }> {
	try {
		const record = await client.request<T>({
			method: 'POST',
			path: args.path,
			body: args.body,
			action: args.action,
			itemIndex: args.itemIndex,
			verify: args.find,
		});
		return { record, created: true };
	} catch (error) {
		if (args.find && isRefusal(readFailure(error))) {
			const winner = await args.find();
			if (winner) return { record: winner, created: false };
		}
		throw passOn(client.node, error);
	}
}

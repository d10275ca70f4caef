import { Checker } from '../domain/check';
import type { KnownProject, ProjectInput } from '../domain/project';
import { checkProjectCreatable, projectCreateBody } from '../domain/project';
import type { VismaClient } from '../transport';
import { mapPool, watchKeys, withKeys } from '../transport';
import { PROJECT } from '../records/project';
import { createUnique } from './createUnique';
import type { Outcome } from './outcome';
import { asItemError, failure, forItem, problemsError, success } from './outcome';

export interface VismaProject extends KnownProject {
	[key: string]: unknown;
}

export interface ProjectRequest {
	itemIndex: number;
	input: ProjectInput;
}

export interface ProjectResult {
	project: VismaProject;
	outcome: 'found' | 'created';
}

const numberKey = (n: string) => n.toLowerCase();

/** Projects by lower-case number, in as few calls as the URL length allows. */
export async function findProjectsByNumber(
	client: VismaClient,
	numbers: Iterable<string>,
): Promise<Map<string, VismaProject>> {
	const list = [...new Set([...numbers].filter(Boolean))];
	if (list.length === 0) return new Map();
	const found = await client.findIn<VismaProject>(
		`/${PROJECT.path}`,
		PROJECT.key.field,
		PROJECT.key.kind,
		list,
	);
	return new Map(found.map((p) => [numberKey(p.Number), p]));
}

/** Today (YYYY-MM-DD, UTC): the start date of a project created without one. */
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Finds each project by number and creates the missing ones, like customers: one batched
 * look-up without a lock, then a lock per missing number in this process (looked up again
 * inside it when the lock changed hands since the look-up began), one POST per
 * new number however many items share it (the first item's fields create it), and Visma's
 * refusal or a lost answer settled by looking the number up.
 */
export async function findOrCreateProjects(
	client: VismaClient,
	requests: ProjectRequest[],
): Promise<Array<Outcome<ProjectResult>>> {
	const byNumber = new Map<string, number[]>();
	requests.forEach((r, k) => {
		const key = numberKey(r.input.number);
		byNumber.set(key, [...(byNumber.get(key) ?? []), k]);
	});
	const results = new Array<Outcome<ProjectResult>>(requests.length);
	const lockKey = (key: string) => `${client.scope}|project|${key}`;
	const watch = watchKeys([...byNumber.keys()].map(lockKey));
	try {
		const known = await findProjectsByNumber(
			client,
			requests.map((r) => r.input.number),
		);
		const missing = [...byNumber.entries()].filter(([key]) => !known.has(key));
		for (const [key, indexes] of byNumber) {
			const found = known.get(key);
			if (found)
				for (const k of indexes) results[k] = success({ project: found, outcome: 'found' });
		}
		await withKeys(
			missing.map(([key]) => lockKey(key)),
			async () => {
				watch.stop();
				await mapPool(missing, 4, async ([key, indexes]) => {
					const stale = watch.changed.has(lockKey(key));
					const first = await createOne(client, requests[indexes[0]], stale);
					results[indexes[0]] = first;
					for (const k of indexes.slice(1)) {
						results[k] = first.ok
							? success({ project: first.value.project, outcome: 'found' })
							: failure(forItem(client.node, first.error, requests[k].itemIndex));
					}
					return key;
				});
			},
		);
	} finally {
		watch.stop();
	}
	return results;
}

/**
 * One missing project, created under its lock; looked up again first when the lock changed
 * hands since the look-up began (`stale`: another execution here may have made it).
 */
async function createOne(
	client: VismaClient,
	{ input, itemIndex }: ProjectRequest,
	stale: boolean,
): Promise<Outcome<ProjectResult>> {
	const findOne = async () =>
		(await findProjectsByNumber(client, [input.number])).get(numberKey(input.number));
	try {
		const existing = stale ? await findOne() : undefined;
		if (existing) return success({ project: existing, outcome: 'found' });
		const c = new Checker();
		checkProjectCreatable(c, input);
		if (!c.ok) return failure(problemsError(client.node, c.problems, itemIndex));
		const { record, created } = await createUnique<VismaProject>(client, {
			path: `/${PROJECT.path}`,
			body: projectCreateBody(input, today()),
			action: 'project',
			itemIndex,
			find: findOne,
		});
		return success({ project: record, outcome: created ? 'created' : 'found' });
	} catch (error) {
		return failure(asItemError(client.node, error, itemIndex));
	}
}

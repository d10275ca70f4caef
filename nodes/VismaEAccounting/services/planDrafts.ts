import type { FieldProblem } from '../domain/check';
import type { DraftPlan } from '../domain/draftPlan';
import { planDraft } from '../domain/draftPlan';
import type { CodingInfo, PlannedProject } from '../domain/draftRules';
import {
	needsCodings,
	needsSettingsForRules,
	projectNumbersOf,
	projectProblems,
	settingsProblems,
} from '../domain/draftRules';
import type { MatchableArticle } from '../domain/rowMatch';
import { articleIndex } from '../domain/rowMatch';
import type { PriceContext } from '../domain/rowPrice';
import { needsCompanySettings, priceContext } from '../domain/rowPrice';
import type { VismaArticle, VismaCompanySettings, VismaCustomer } from '../domain/visma';
import type { VismaClient } from '../transport';
import { CUSTOMER } from '../records/customer';
import type { DraftRequest, Results } from './drafts';
import { findArticlesById, findArticlesByNumber } from './ensureArticles';
import { findCustomersByNumber } from './findOrCreateCustomers';
import type { ProjectRequest } from './findOrCreateProjects';
import { findOrCreateProjects, findProjectsByNumber } from './findOrCreateProjects';
import type { ItemError } from './outcome';
import { failure, forItem, problemsError } from './outcome';
import { accountCodings, companySettings } from './referenceData';

/**
 * Planning, the stage before any draft is written: customers, articles, projects, company
 * settings and account codings in one batched look-up each (settings and codings only when a
 * draft's rules need them), then every draft planned by the pure rules in domain/ (the draft's
 * rules, row matching, pricing, body building). A failed look-up may stop the node: nothing is
 * written yet. The one write of this stage is a missing project (option Create Missing
 * Projects), made only for drafts that passed every check, and then those drafts are planned
 * again with it.
 */

/** A request still to be decided, at `index` of the caller's results. */
export interface PendingDraft {
	index: number;
	request: DraftRequest;
}

/** A draft ready to be written. */
export interface PlannedDraft extends PendingDraft, DraftPlan {
	customer: VismaCustomer;
}

/** What planning needs from eAccounting, looked up once for all requests. */
export interface PlanningData {
	customerFor: (request: DraftRequest) => VismaCustomer | undefined;
	articles: Map<string, MatchableArticle>;
	defaultArticleFor: (request: DraftRequest) => VismaArticle | undefined;
	settings: Partial<VismaCompanySettings>;
	/** Account codings by lower-case ID; empty when no draft needs them. */
	codings: Map<string, CodingInfo>;
	/** Projects by lower-case number. */
	projects: Map<string, PlannedProject>;
}

const lower = (s: string) => s.toLowerCase();

/** Customers the requests name by id or number, unless already fetched. */
async function lookUpCustomers(client: VismaClient, requests: DraftRequest[]) {
	const ids = requests.flatMap((r) => (r.customer.record || !r.customer.id ? [] : [r.customer.id]));
	const numbers = requests.flatMap((r) =>
		r.customer.record || r.customer.id || !r.customer.number ? [] : [r.customer.number],
	);
	const byId = ids.length
		? await client.getByIds<VismaCustomer>(CUSTOMER.path, ids)
		: new Map<string, VismaCustomer>();
	const byNumber = numbers.length
		? await findCustomersByNumber(client, numbers)
		: new Map<string, VismaCustomer>();
	return (r: DraftRequest): VismaCustomer | undefined =>
		(r.customer.record as VismaCustomer | undefined) ??
		(r.customer.id ? byId.get(lower(r.customer.id)) : byNumber.get(lower(r.customer.number ?? '')));
}

/** Every article number on every row, plus the default articles, in one batched look-up. */
async function lookUpArticles(
	client: VismaClient,
	requests: DraftRequest[],
	known?: Map<string, VismaArticle>,
) {
	const numbers = new Set<string>();
	const defaultIds = new Set<string>();
	for (const r of requests) {
		for (const row of r.rows) if (row.articleNumber) numbers.add(row.articleNumber);
		if (r.defaultArticle?.record) continue;
		if (r.defaultArticle?.id) defaultIds.add(r.defaultArticle.id);
		else if (r.defaultArticle?.number) numbers.add(r.defaultArticle.number);
	}
	// Numbers the caller looked up already (found or not) are not asked again.
	const byNumber = new Map(known ?? []);
	const missing = known ? [] : [...numbers];
	for (const [k, v] of await findArticlesByNumber(client, missing)) byNumber.set(k, v);
	const byId = await findArticlesById(client, defaultIds);
	return {
		index: articleIndex(byNumber.values()),
		defaultFor: (r: DraftRequest): VismaArticle | undefined => {
			const d = r.defaultArticle;
			return (
				(d?.record as VismaArticle | undefined) ??
				(d?.id ? byId.get(lower(d.id)) : d?.number ? byNumber.get(lower(d.number)) : undefined)
			);
		},
	};
}

/** The look-ups planning needs, one batched call each; company settings only when pricing needs them. */
export async function lookUpForPlanning(
	client: VismaClient,
	requests: DraftRequest[],
	/** Articles by lower-case number that the caller already looked up. */
	knownArticles?: Map<string, VismaArticle>,
): Promise<PlanningData> {
	const customerFor = await lookUpCustomers(client, requests);
	const articles = await lookUpArticles(client, requests, knownArticles);
	const projects = await findProjectsByNumber(
		client,
		requests.flatMap((r) => projectNumbersOf(r.fields, r.rows)),
	);
	const needsSettings = requests.some(
		(r) =>
			needsCompanySettings(r.rows, customerFor(r)?.CurrencyCode) ||
			needsSettingsForRules(r.fields, r.rows),
	);
	const codings = requests.some((r) => needsCodings(r.fields, r.rows))
		? new Map((await accountCodings(client)).map((c) => [c.Id.toLowerCase(), c]))
		: new Map<string, CodingInfo>();
	return {
		customerFor,
		articles: articles.index,
		defaultArticleFor: articles.defaultFor,
		settings: needsSettings ? await companySettings(client) : {},
		codings,
		projects,
	};
}

/**
 * The checks of planning that need neither the customer nor the articles: the company settings
 * (ROT, green technology, reverse charge, projects turned on) and the projects the rows name.
 * Export Invoice as Draft runs them before it finds or creates customers and default articles,
 * so an item they fail writes nothing; planning runs them again.
 */
export async function checkBeforeWrites(
	client: VismaClient,
	pending: Array<{ index: number; request: Omit<DraftRequest, 'customer'> }>,
	results: Results<unknown>,
): Promise<void> {
	const asking = pending.filter(({ request }) =>
		needsSettingsForRules(request.fields, request.rows),
	);
	if (asking.length === 0) return;
	const settings = await companySettings(client);
	const projects = await findProjectsByNumber(
		client,
		asking.flatMap(({ request }) => projectNumbersOf(request.fields, request.rows)),
	);
	for (const { index, request } of asking) {
		const problems = [
			...settingsProblems(settings, request.fields, request.rows),
			...projectProblems(
				request.fields,
				request.rows,
				projects,
				request.createMissingProjects === true,
			),
		];
		if (problems.length)
			results[index] = failure(problemsError(client.node, problems, request.itemIndex));
	}
}

/** One draft planned from what was looked up (pure), or the problems that stop its item. */
export function planOne(
	request: DraftRequest,
	data: PlanningData,
): (DraftPlan & { customer: VismaCustomer }) | { problems: FieldProblem[] } {
	const customer = data.customerFor(request);
	if (!customer) {
		const which = request.customer.id
			? `ID ${request.customer.id}`
			: `number ${request.customer.number}`;
		return {
			problems: [{ field: 'Customer', message: `with ${which} does not exist in eAccounting` }],
		};
	}
	const d = request.defaultArticle;
	const defaultArticle = data.defaultArticleFor(request);
	if (d && (d.id || d.number || d.record) && !defaultArticle) {
		return {
			problems: [
				{ field: 'Default Article', message: `${d.id ?? d.number} does not exist in eAccounting` },
			],
		};
	}
	const pricing: PriceContext = priceContext(customer, data.settings);
	const plan = planDraft({
		customer,
		companyCurrency: pricing.companyCurrency,
		pricesIncludeVat: pricing.pricesIncludeVat,
		fields: request.fields,
		rows: request.rows,
		articles: data.articles,
		defaultArticle,
		settings: data.settings,
		codings: data.codings,
		projects: data.projects,
		createMissingProjects: request.createMissingProjects,
	});
	return 'problems' in plan ? plan : { ...plan, customer };
}

/**
 * Plans the pending requests. An item that cannot be planned gets its error in `results`; the
 * others come back ready to be written.
 */
export async function planDrafts(
	client: VismaClient,
	pending: PendingDraft[],
	results: Results,
	knownArticles?: Map<string, VismaArticle>,
): Promise<PlannedDraft[]> {
	if (pending.length === 0) return [];
	const data = await lookUpForPlanning(
		client,
		pending.map((p) => p.request),
		knownArticles,
	);
	const plans: PlannedDraft[] = [];
	for (const { index, request } of pending) {
		const plan = planOne(request, data);
		if ('problems' in plan) {
			results[index] = failure(problemsError(client.node, plan.problems, request.itemIndex));
		} else {
			plans.push({ index, request, ...plan });
		}
	}
	if (!plans.some((p) => p.missingProjects.length > 0)) return plans;
	return await withMissingProjects(client, plans, data, results);
}

/**
 * Creates the projects planned drafts need (each number once, with the customer of the first
 * draft that needs it), then plans those drafts again with them. A draft whose project could
 * not be created fails; the others go on.
 */
async function withMissingProjects(
	client: VismaClient,
	plans: PlannedDraft[],
	data: PlanningData,
	results: Results,
): Promise<PlannedDraft[]> {
	const asks: Array<{ plan: PlannedDraft; request: ProjectRequest }> = plans.flatMap((plan) =>
		plan.missingProjects.map((project) => ({
			plan,
			request: {
				itemIndex: plan.request.itemIndex,
				input: {
					number: project.number,
					name: project.name,
					customerId: plan.customer.Id,
					startDate: plan.request.fields.invoiceDate,
				},
			},
		})),
	);
	const outcomes = await findOrCreateProjects(
		client,
		asks.map((a) => a.request),
	);
	const again: PlannedDraft[] = [];
	for (const plan of plans) {
		if (plan.missingProjects.length === 0) {
			again.push(plan);
			continue;
		}
		// This draft's own outcomes: a project another item created is "found" for this one.
		const projects = new Map(data.projects);
		let error: ItemError | undefined;
		asks.forEach((ask, k) => {
			const outcome = outcomes[k];
			if (ask.plan !== plan) return;
			if (!outcome.ok) error ??= outcome.error;
			else
				projects.set(outcome.value.project.Number.toLowerCase(), {
					...outcome.value.project,
					created: outcome.value.outcome === 'created',
				});
		});
		if (error) {
			results[plan.index] = failure(forItem(client.node, error, plan.request.itemIndex));
			continue;
		}
		const replanned = planOne(plan.request, { ...data, projects });
		if ('problems' in replanned) {
			results[plan.index] = failure(
				problemsError(client.node, replanned.problems, plan.request.itemIndex),
			);
		} else again.push({ index: plan.index, request: plan.request, ...replanned });
	}
	return again;
}

import type { Checker } from './check';
import { DRAFT_LIMITS as L } from './limits';
import { parseOrganisationNumber, parsePersonNumber } from './personnummer';

/**
 * Swedish tax reductions on an invoice to a private person: ROT (repairs and building work on a
 * home), RUT (household services) and green technology (solar cells, batteries, chargers). The
 * approval says which one, for which property, and for whom; the rows say which of them are
 * work, of what type, and for how many hours. Visma's names: RotReducedInvoicingType,
 * Persons, WorkCostType, GreenTechnologyType and friends.
 */

export type TaxReductionType = 'rot' | 'rut' | 'greenTechnology';

export const TAX_REDUCTION_LABELS: Record<TaxReductionType, string> = {
	rot: 'ROT',
	rut: 'RUT',
	greenTechnology: 'green technology',
};

export interface TaxReductionPerson {
	/** YYYYMMDD-NNNN. */
	ssn: string;
	/** The reduction asked for this person; none with automatic distribution. */
	amount?: number;
}

export interface TaxReduction {
	type: TaxReductionType;
	propertyType?: 'apartment' | 'property';
	/** The property designation (fastighetsbeteckning), or the apartment's designation. */
	propertyName?: string;
	/** NNNNNN-NNNN, for an apartment in a housing association. */
	housingAssociationOrgNumber?: string;
	persons: TaxReductionPerson[];
	/** Visma splits the reduction between the persons. */
	automaticDistribution: boolean;
	/** The whole reduction asked for (RotReducedInvoicingAmount). */
	amount?: number;
	/** Other costs (travel, for instance), HouseWorkOtherCosts. */
	otherCosts?: number;
}

const KEYS = [
	'type',
	'propertyType',
	'propertyName',
	'housingAssociationOrgNumber',
	'persons',
	'automaticDistribution',
	'amount',
	'otherCosts',
];
const PERSON_KEYS = ['ssn', 'amount', 'share'];

/** The most a single invoice can ask for; Visma caps the real amount per person and year. */
const MAX_AMOUNT = 999_999;

function objectOf(c: Checker, field: string, raw: unknown): Record<string, unknown> | undefined {
	let value = raw;
	if (typeof value === 'string' && value.trim().startsWith('{')) {
		try {
			value = JSON.parse(value);
		} catch {
			return c.fail(field, 'is not valid JSON');
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return c.fail(field, `must be an object, got ${JSON.stringify(value)}`);
	}
	return value as Record<string, unknown>;
}

function unknownKeys(c: Checker, r: Record<string, unknown>, keys: string[], what: string) {
	const unknown = Object.keys(r).filter((k) => !keys.includes(k));
	if (unknown.length > 0) c.fail(unknown.join(', '), `is not ${what}; use ${keys.join(', ')}`);
}

function checkType(c: Checker, raw: unknown): TaxReductionType | 'none' | undefined {
	const text = String(raw ?? '')
		.trim()
		.toLowerCase()
		.replace(/[\s_-]/g, '');
	const types: Record<string, TaxReductionType | 'none'> = {
		none: 'none',
		'0': 'none',
		rot: 'rot',
		'1': 'rot',
		rut: 'rut',
		'2': 'rut',
		greentechnology: 'greenTechnology',
	};
	if (text === '') return c.fail('Type', 'is required: none, ROT, RUT or greenTechnology');
	return (
		types[text] ?? c.fail('Type', `${JSON.stringify(raw)} is not none, ROT, RUT or greenTechnology`)
	);
}

/** Cents of a share of `total`: floors first, the remaining cents to the first persons. */
function splitByShares(total: number, shares: number[]): number[] {
	const cents = Math.round(total * 100);
	const parts = shares.map((s) => Math.floor((cents * s) / 100 + 1e-9));
	let rest = cents - parts.reduce((a, b) => a + b, 0);
	for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]++;
	return parts.map((p) => p / 100);
}

/**
 * The Tax Reduction the approval maps (an object, or JSON text), checked: undefined when none
 * was given, null for `type: none`. `asOf` (YYYY-MM-DD) dates 10-digit personal identity
 * numbers.
 */
export function checkTaxReduction(
	parent: Checker,
	raw: unknown,
	asOf: string,
): TaxReduction | null | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const c = parent.scope('Tax Reduction');
	const r = objectOf(c, 'Tax Reduction', raw);
	if (!r) return undefined;
	unknownKeys(c, r, KEYS, 'a tax reduction field');
	const type = checkType(c, r.type);
	if (type === undefined) return undefined;
	if (type === 'none') {
		for (const key of KEYS.filter((k) => k !== 'type')) {
			if (r[key] !== undefined && r[key] !== null && r[key] !== '')
				c.fail(key, 'is only used with a tax reduction (type ROT, RUT or greenTechnology)');
		}
		return null;
	}
	const label = TAX_REDUCTION_LABELS[type];
	const reduction: TaxReduction = {
		type,
		persons: [],
		automaticDistribution: c.bool('Automatic Distribution', r.automaticDistribution, false),
		amount: c.money('Amount', r.amount, { min: 0.01, max: MAX_AMOUNT }),
		otherCosts: c.money('Other Costs', r.otherCosts, { min: 0, max: 99_000_000 }),
	};
	checkProperty(c, r, reduction);
	checkPersons(c, r.persons, reduction, asOf, label);
	return reduction;
}

function checkProperty(c: Checker, r: Record<string, unknown>, reduction: TaxReduction): void {
	const given = (v: unknown) => v !== undefined && v !== null && v !== '';
	if (reduction.type === 'rut') {
		// RUT is for household services: no property to name.
		for (const key of ['propertyType', 'propertyName', 'housingAssociationOrgNumber'])
			if (given(r[key])) c.fail(key, 'is only used for ROT and green technology, not RUT');
		return;
	}
	const kind = String(r.propertyType ?? '')
		.trim()
		.toLowerCase();
	if (kind === 'apartment' || kind === '1') reduction.propertyType = 'apartment';
	else if (kind === 'property' || kind === '2') reduction.propertyType = 'property';
	else if (kind === '')
		c.fail(
			'Property Type',
			'is required: property (a house, with its property designation) or apartment (in a housing association)',
		);
	else c.fail('Property Type', `${JSON.stringify(r.propertyType)} is not property or apartment`);
	reduction.propertyName = c.text('Property Name', r.propertyName, {
		max: L.RotReducedInvoicingPropertyName,
		required: true,
	});
	if (reduction.propertyType === 'apartment') {
		const org = c.text('Housing Association Org Number', r.housingAssociationOrgNumber, {
			max: 20,
			required: true,
		});
		if (org !== undefined) {
			const parsed = parseOrganisationNumber(org);
			if ('problem' in parsed) c.fail('Housing Association Org Number', parsed.problem);
			else reduction.housingAssociationOrgNumber = parsed.normalized;
		}
	} else if (given(r.housingAssociationOrgNumber)) {
		c.fail('Housing Association Org Number', 'is only used for an apartment');
	}
}

function checkPersons(
	c: Checker,
	raw: unknown,
	reduction: TaxReduction,
	asOf: string,
	label: string,
): void {
	if (!Array.isArray(raw) || raw.length === 0) {
		c.fail('Persons', `are required for ${label}: give each buyer's personal identity number`);
		return;
	}
	const seen = new Map<string, number>();
	const shares: number[] = [];
	let amounts = 0;
	raw.forEach((entry: unknown, index) => {
		const pc = c.scope(`Person ${index + 1}`);
		const p = objectOf(pc, 'Person', entry);
		if (!p) return;
		unknownKeys(pc, p, PERSON_KEYS, 'a person field');
		const ssnText = pc.text('SSN', p.ssn, { max: L.PersonSsn, required: true, identifier: true });
		const amount = pc.money('Amount', p.amount, { min: 0.01, max: MAX_AMOUNT });
		const share = pc.number('Share (%)', p.share, { min: 0.01, max: 100 });
		if (ssnText !== undefined) {
			const parsed = parsePersonNumber(ssnText, asOf);
			if ('problem' in parsed) pc.fail('SSN', `${JSON.stringify(ssnText)} ${parsed.problem}`);
			else if (seen.has(parsed.normalized))
				pc.fail('SSN', `is the same person as Person ${seen.get(parsed.normalized)}`);
			else {
				seen.set(parsed.normalized, index + 1);
				reduction.persons.push({ ssn: parsed.normalized, amount });
			}
		}
		if (reduction.automaticDistribution) {
			if (amount !== undefined || share !== undefined)
				pc.fail(
					amount !== undefined ? 'Amount' : 'Share (%)',
					'is not used with automatic distribution; remove it, or turn automatic distribution off',
				);
			return;
		}
		if (amount !== undefined && share !== undefined)
			pc.fail('Amount', 'and Share (%) are both given; give one of them');
		else if (p.amount === undefined && p.share === undefined)
			pc.fail('Amount', 'is required (or a Share (%) of the Amount, or automatic distribution)');
		if (amount !== undefined) amounts += Math.round(amount * 100);
		if (share !== undefined) shares.push(share);
	});
	if (!c.ok || reduction.automaticDistribution) return;
	if (shares.length > 0) {
		if (shares.length !== raw.length) {
			c.fail('Persons', 'must all give an Amount or all a Share (%), not a mix');
			return;
		}
		const total = shares.reduce((a, b) => a + b, 0);
		if (Math.abs(total - 100) > 1e-6) {
			c.fail('Persons', `have shares that add up to ${Number(total.toFixed(6))} %, not 100 %`);
			return;
		}
		if (reduction.amount === undefined) {
			c.fail('Amount', "is required to split it by the persons' shares");
			return;
		}
		splitByShares(reduction.amount, shares).forEach((a, i) => (reduction.persons[i].amount = a));
		return;
	}
	if (reduction.amount !== undefined && amounts !== Math.round(reduction.amount * 100)) {
		c.fail(
			'Persons',
			`have amounts that add up to ${amounts / 100}, not the Amount ${reduction.amount}`,
		);
		return;
	}
	reduction.amount = amounts / 100;
}

/** What a tax reduction adds to the draft's JSON, by Visma's names. */
export function taxReductionValues(t: TaxReduction | null | undefined): Record<string, unknown> {
	if (!t) return {};
	const values: Record<string, unknown> = {
		RotReducedInvoicingType: t.type === 'rot' ? 1 : t.type === 'rut' ? 2 : 0,
		RotReducedInvoicingAutomaticDistribution: t.automaticDistribution,
		Persons: t.persons.map((p) =>
			p.amount === undefined ? { Ssn: p.ssn } : { Ssn: p.ssn, Amount: p.amount },
		),
	};
	if (t.type === 'greenTechnology') values.UsesGreenTechnology = true;
	if (t.propertyType) values.RotPropertyType = t.propertyType === 'apartment' ? 1 : 2;
	if (t.propertyName !== undefined) values.RotReducedInvoicingPropertyName = t.propertyName;
	if (t.housingAssociationOrgNumber !== undefined)
		values.RotReducedInvoicingOrgNumber = t.housingAssociationOrgNumber;
	if (t.amount !== undefined) values.RotReducedInvoicingAmount = t.amount;
	if (t.otherCosts !== undefined) values.HouseWorkOtherCosts = t.otherCosts;
	return values;
}

/**
 * The tax reduction a draft in eAccounting carries (for Update, which keeps it unless it is
 * given), or null when it has none. Its persons are taken as Visma stores them.
 */
export function taxReductionOfDraft(draft: Record<string, unknown>): TaxReduction | null {
	const code = draft.RotReducedInvoicingType;
	const type: TaxReductionType | undefined =
		code === 1
			? 'rot'
			: code === 2
				? 'rut'
				: draft.UsesGreenTechnology === true
					? 'greenTechnology'
					: undefined;
	if (!type) return null;
	const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
	const automaticDistribution = draft.RotReducedInvoicingAutomaticDistribution === true;
	const persons = Array.isArray(draft.Persons)
		? (draft.Persons as Array<Record<string, unknown>>)
		: [];
	return {
		type,
		propertyType:
			draft.RotPropertyType === 1
				? 'apartment'
				: draft.RotPropertyType === 2
					? 'property'
					: undefined,
		propertyName: text(draft.RotReducedInvoicingPropertyName),
		housingAssociationOrgNumber: text(draft.RotReducedInvoicingOrgNumber),
		persons: persons.map((p) => ({
			ssn: String(p.Ssn ?? ''),
			...(automaticDistribution ? {} : { amount: Number(p.Amount ?? 0) }),
		})),
		automaticDistribution,
		amount:
			typeof draft.RotReducedInvoicingAmount === 'number'
				? draft.RotReducedInvoicingAmount
				: undefined,
		otherCosts:
			typeof draft.HouseWorkOtherCosts === 'number' ? draft.HouseWorkOtherCosts : undefined,
	};
}

/** The draft fields that remove a tax reduction (Update with Tax Reduction type none). */
export function clearedTaxReduction(): Record<string, unknown> {
	return {
		RotReducedInvoicingType: 0,
		UsesGreenTechnology: false,
		RotReducedInvoicingAutomaticDistribution: false,
		Persons: [],
		RotPropertyType: null,
		RotReducedInvoicingPropertyName: null,
		RotReducedInvoicingOrgNumber: null,
		RotReducedInvoicingAmount: 0,
		HouseWorkOtherCosts: null,
	};
}

import type { Checker } from '../domain/check';
import { matchByNameOrCode } from '../domain/nameMatch';
import type { VismaClient } from '../transport';
import { isGuid } from '../transport';
import { accountCodings, units } from './referenceData';

/**
 * A unit or account coding may be given as its ID, or as a CSV would name it: a unit by code,
 * abbreviation or name ("st", "PCS", "Styck"), a coding by name ("Tjänster 25 %"). Replaces such
 * text in `raw` with the ID; text that matches nothing fails the field.
 */
export async function resolveUnitAndCoding(
	client: VismaClient,
	c: Checker,
	raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
	const out = { ...raw };
	const named = (v: unknown): v is string =>
		typeof v === 'string' && v.trim() !== '' && !isGuid(v.trim());
	if (named(raw.unitId)) {
		const unit = matchByNameOrCode(await units(client), raw.unitId, [
			'Code',
			'Abbreviation',
			'AbbreviationEnglish',
			'Name',
		]);
		out.unitId =
			unit?.Id ??
			c.fail('Unit', `"${raw.unitId}" matches no unit's code, abbreviation or name in eAccounting`);
	}
	if (named(raw.codingId)) {
		const coding = matchByNameOrCode(await accountCodings(client), raw.codingId, [
			'Name',
			'NameEnglish',
		]);
		out.codingId =
			coding?.Id ??
			c.fail('Account Coding', `"${raw.codingId}" matches no account coding's name in eAccounting`);
	}
	return out;
}

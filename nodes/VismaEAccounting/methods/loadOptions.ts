import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { accountCodings, bankAccounts, termsOfPayments, units } from '../services/referenceData';
import { VismaClient } from '../transport';

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export async function getUnits(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const list = await units(await VismaClient.create(this));
	return list
		.map((u) => ({ name: u.Abbreviation ? `${u.Name} (${u.Abbreviation})` : u.Name, value: u.Id }))
		.sort(byName);
}

export async function getAccountCodings(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const list = await accountCodings(await VismaClient.create(this));
	return list
		.filter((c) => c.IsActive !== false)
		.map((c) => ({
			name: c.Name,
			value: c.Id,
			description:
				c.VatRatePercent === undefined
					? undefined
					: `VAT ${Math.round(c.VatRatePercent * 10000) / 100} %`,
		}))
		.sort(byName);
}

export async function getTermsOfPayment(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const list = await termsOfPayments(await VismaClient.create(this));
	return list
		.filter((t) => t.AvailableForSales !== false)
		.map((t) => ({ name: t.Name, value: t.Id }))
		.sort(byName);
}

/** Needs ea:purchase_readonly (Additional Scopes); without it Visma's 4006 says which scope. */
export async function getBankAccounts(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const list = await bankAccounts(await VismaClient.create(this));
	return list
		.filter((b) => b.IsActive !== false)
		.map((b) => ({
			name: b.Name,
			value: b.Id,
			description: [b.BankAccountTypeDescription, b.CurrencyCode, b.LedgerAccountNumber]
				.filter(Boolean)
				.join(' · '),
		}))
		.sort(byName);
}

import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { accountCodings, termsOfPayments, units } from '../services/referenceData';
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

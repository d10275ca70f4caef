import { describe, expect, it } from '@jest/globals';
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { VismaEAccountingOAuth2Api } from '../../credentials/VismaEAccountingOAuth2Api.credentials';
import {
	apiBaseUrl,
	HTTPS,
	LOOPBACK_HTTP,
	PRODUCTION_API_URL,
} from '../../nodes/VismaEAccounting/domain/environment';
import { VismaEAccounting } from '../../nodes/VismaEAccounting/VismaEAccounting.node';
import { VismaEAccountingTrigger } from '../../nodes/VismaEAccounting/VismaEAccountingTrigger.node';

type Choice = INodePropertyOptions | INodeProperties | INodePropertyCollection;

const node = new VismaEAccounting();
const trigger = new VismaEAccountingTrigger();
const properties = node.description.properties;

const isProperty = (choice: Choice): choice is INodeProperties =>
	'type' in choice && 'name' in choice;

/** Every parameter, nested ones (collection options, fixed-collection values) included. */
function allProperties(list: Choice[]): INodeProperties[] {
	return list.flatMap((choice) => {
		const nested = [
			...('options' in choice && Array.isArray(choice.options) ? (choice.options as Choice[]) : []),
			...('values' in choice && Array.isArray(choice.values) ? choice.values : []),
		];
		return [...(isProperty(choice) ? [choice] : []), ...allProperties(nested)];
	});
}

const valuesOf = (property: INodeProperties | undefined) =>
	((property?.options ?? []) as INodePropertyOptions[]).map((o) => String(o.value));

const resources = valuesOf(properties.find((p) => p.name === 'resource'));
const operationsOf = (resource: string) =>
	valuesOf(
		properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
		),
	);

describe('node description', () => {
	it('every displayOptions value names a real resource and one of its operations', () => {
		const wrong: string[] = [];
		for (const p of properties) {
			const show = p.displayOptions?.show ?? {};
			const named = (show.resource ?? []).map(String);
			for (const r of named) if (!resources.includes(r)) wrong.push(`${p.name}: resource ${r}`);
			for (const op of (show.operation ?? []).map(String)) {
				if (!named.some((r) => operationsOf(r).includes(op)))
					wrong.push(`${p.name}: operation ${op} of ${named.join('/')}`);
			}
			if (p.name !== 'resource' && named.length === 0)
				wrong.push(`${p.name}: shown for every resource`);
		}
		expect(wrong).toEqual([]);
		expect(resources.length).toBeGreaterThan(5);
		for (const r of resources) expect(operationsOf(r).length).toBeGreaterThan(0);
	});

	it('every loadOptionsMethod and searchListMethod exists', () => {
		const missing: string[] = [];
		for (const p of allProperties(properties)) {
			const method = p.typeOptions?.loadOptionsMethod;
			if (method && !(method in node.methods.loadOptions)) missing.push(`${p.name}: ${method}`);
			for (const mode of p.modes ?? []) {
				const search = mode.typeOptions?.searchListMethod;
				if (search && !(search in node.methods.listSearch)) missing.push(`${p.name}: ${search}`);
			}
		}
		expect(missing).toEqual([]);
		// The four record types with a From List search are registered; a new one adds itself.
		expect(Object.keys(node.methods.listSearch)).toEqual(
			expect.arrayContaining([
				'searchArticles',
				'searchCustomers',
				'searchDrafts',
				'searchInvoices',
			]),
		);
	});

	it('no two parameters with the same name are shown at the same time', () => {
		const clashes: string[] = [];
		for (const list of [properties, trigger.description.properties]) {
			const seen = new Set<string>();
			for (const p of list) {
				const show = p.displayOptions?.show ?? {};
				const others = JSON.stringify(
					Object.entries(show).filter(([k]) => k !== 'resource' && k !== 'operation'),
				);
				const pairs = (show.resource ?? ['*']).flatMap((r) =>
					(show.operation ?? ['*']).map((op) => `${String(r)}/${String(op)}`),
				);
				for (const pair of pairs) {
					const key = `${pair} ${p.name} ${others}`;
					if (seen.has(key)) clashes.push(key);
					seen.add(key);
				}
			}
		}
		expect(clashes).toEqual([]);
	});
});

describe('credential URL expressions', () => {
	const credential = new VismaEAccountingOAuth2Api();
	const expressionOf = (name: string) =>
		String(credential.properties.find((p) => p.name === name)?.default);
	/** The regular expression literals inside an expression, as `/source/flags`. */
	const literals = (expression: string) => expression.match(/\/\^[^ ]*?\/i/g) ?? [];
	const expressions = {
		baseURL: String(credential.test.request.baseURL),
		authUrl: expressionOf('authUrl'),
		accessTokenUrl: expressionOf('accessTokenUrl'),
	};

	it('a custom URL is allowed by the same two patterns as domain/environment.ts', () => {
		for (const [name, expression] of Object.entries(expressions)) {
			expect({ name, patterns: literals(expression) }).toEqual({
				name,
				patterns: [String(HTTPS), String(LOOPBACK_HTTP)],
			});
			// Trimmed and without trailing slashes, as apiBaseUrl() does.
			expect(expression).toContain('.trim().replace(/\\/+$/, "")');
		}
		expect(apiBaseUrl({ environment: 'custom', apiUrl: ' https://proxy.example.com/ ' })).toEqual({
			url: 'https://proxy.example.com',
		});
	});

	it('production and sandbox use the API host of domain/environment.ts', () => {
		expect(expressions.baseURL).toContain(`: "${PRODUCTION_API_URL}")`);
		expect(expressions.baseURL.endsWith('}}/v2')).toBe(true);
		expect(apiBaseUrl({ environment: 'sandbox' })).toEqual({ url: PRODUCTION_API_URL });
	});
});

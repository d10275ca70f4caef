import { SEED_IDS } from '../../dev/simulator';
import type { Sim, SimOptions } from '../support/simulator';
import { startTestSimulator } from '../support/simulator';

export type { Sim };

/** Loosely typed JSON (what JSON.parse returns). */
export type Json = ReturnType<typeof JSON.parse>;

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	body: Json;
}

/** Parses the body as JSON when possible, else keeps it as text. */
function parse(text: string): Json {
	if (text === '') return null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** A call to the simulator's HTTP API. */
export type Api = (
	method: string,
	path: string,
	body?: unknown,
	headers?: Record<string, string>,
) => Promise<HttpResult>;

/** A fetch wrapper against the simulator. `body` objects are sent as JSON. */
export function http(sim: Sim, token?: string): Api {
	return async (method, path, body, headers = {}) => {
		const h: Record<string, string> = { ...headers };
		if (token && !('Authorization' in h)) h.Authorization = `Bearer ${token}`;
		let payload: string | undefined;
		if (body !== undefined) {
			payload = typeof body === 'string' ? body : JSON.stringify(body);
			if (!('Content-Type' in h)) h['Content-Type'] = 'application/json';
		}
		const res = await fetch(sim.url + path, {
			method,
			headers: h,
			body: payload,
			redirect: 'manual',
		});
		const text = await res.text();
		return { status: res.status, headers: res.headers, text, body: parse(text) };
	};
}

/** A client authorized with these scopes (the default ones if none); reset() drops tokens. */
export const authorized = (sim: Sim, scopes?: string[]): Api =>
	http(sim, sim.issueTokens({ scopes }).access_token);

/** A simulator of the test's own (closed by the test), with an authorized client. */
export async function setup(options: SimOptions = {}) {
	const sim = await startTestSimulator(options);
	return { sim, api: authorized(sim) };
}

export function basicAuth(id: string, secret: string): string {
	return `Basic ${btoa(`${id}:${secret}`)}`;
}

export function form(fields: Record<string, string>): string {
	return new URLSearchParams(fields).toString();
}

/** $filter as a query string, percent-encoded like a careful client would. */
export function filterQuery(filter: string, extra = ''): string {
	return `?$filter=${encodeURIComponent(filter)}${extra}`;
}

/** The Field names of a Visma error body. */
export function fields(body: Json): string[] {
	return ((body?.Errors ?? []) as Array<{ Field: string }>).map((e) => e.Field);
}

/** A customer body Visma accepts (a company in Umeå, 30 days); `fields` add or override. */
export const customerBody = (fields: Record<string, unknown> = {}) => ({
	Name: 'Testbolaget AB',
	InvoiceCity: 'Umeå',
	InvoicePostalCode: '903 26',
	TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
	IsPrivatePerson: false,
	IsActive: true,
	...fields,
});

/** An article body Visma accepts (hours, services 25 %); `fields` add or override. */
export const articleBody = (fields: Record<string, unknown> = {}) => ({
	Number: 'T-1',
	Name: 'Testartikel',
	IsActive: true,
	CodingId: SEED_IDS.codings.tjanster25,
	UnitId: SEED_IDS.units.timme,
	...fields,
});

export const articleRow = (
	ArticleId: string,
	Quantity: number,
	extra: Record<string, unknown> = {},
) => ({
	IsTextRow: false,
	ReversedConstructionServicesVatFree: false,
	ArticleId,
	Quantity,
	...extra,
});

export const textRow = (Text: string, extra: Record<string, unknown> = {}) => ({
	IsTextRow: true,
	ReversedConstructionServicesVatFree: false,
	Text,
	...extra,
});

export const draftBody = (
	CustomerId: string,
	Rows: unknown[],
	extra: Record<string, unknown> = {},
) => ({
	CustomerId,
	EuThirdParty: false,
	RotReducedInvoicingType: 0,
	Rows,
	...extra,
});

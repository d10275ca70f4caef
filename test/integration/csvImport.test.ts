import { describe, expect, it } from '@jest/globals';
import type { INodeExecutionData } from 'n8n-workflow';

import { configurePacing } from '../../nodes/VismaEAccounting/transport';
import { fromItem, SEED_IDS, useTestBed } from './support';

/**
 * Bulk moves of customers and articles go through CSV: Extract from File turns each row into an
 * item of strings keyed by the header, and Create or Update writes them. Here the CSV text is
 * generated, parsed like Extract from File would, imported, changed and imported again.
 */

type Row = Record<string, string>;

/** RFC 4180 text as Excel writes it: CRLF, fields with a comma, quote or line break quoted. */
function toCsv(header: string[], rows: Row[]): string {
	const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	return [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]
		.map((line) => line.map(cell).join(','))
		.join('\r\n');
}

/** What Extract from File (CSV, header row on) makes of the text: one object of strings per row. */
function parseCsv(text: string): Row[] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			record.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			record.push(field);
			records.push(record);
			record = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || record.length > 0) records.push([...record, field]);
	const [header, ...body] = records;
	return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

const STEMS = [
	'Bergström',
	'Lindqvist',
	'Norrlands',
	'Fjällvägens',
	'Sjöberg',
	'Åkesson',
	'Östlund',
	'Hägglund',
	'Nyström',
	'Dahlberg',
];
const KINDS = [
	'Bygg AB',
	'El & Data AB',
	'Måleri AB',
	'VVS AB',
	'Snickeri HB',
	'Städ & Service AB',
	'Konsult AB',
];
const FIRST = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Åsa', 'Björn'];
const LAST = ['Andersson', 'Johansson', 'Öberg', 'Åström', 'Nilsson', 'Lindström'];
const CITIES: Array<[string, string]> = [
	['Umeå', '903'],
	['Luleå', '972'],
	['Göteborg', '411'],
	['Malmö', '211'],
	['Östersund', '831'],
	['Växjö', '352'],
];
const STREETS = ['Storgatan', 'Kungsgatan', 'Rådhusesplanaden', 'Västra Esplanaden', 'Sjögatan'];

function customerRow(n: number): Row {
	const [city, zip] = CITIES[n % CITIES.length];
	const person = n % 5 === 0;
	let name = person
		? `${FIRST[n % FIRST.length]} ${LAST[n % LAST.length]}`
		: `${STEMS[n % STEMS.length]} ${KINDS[n % KINDS.length]}`;
	if (!person && n % 7 === 0)
		name = `${STEMS[n % STEMS.length]} & Söner, ${KINDS[n % KINDS.length]}`;
	if (!person && n % 11 === 0) name = `Restaurang "Gästis" i ${city}`;
	if (!person && n % 13 === 0) name = `O'Learys ${city}, "Sportbar"`;
	return {
		Kundnummer: String(20001 + n),
		Namn: name,
		Adress: `${STREETS[n % STREETS.length]} ${1 + (n % 60)}${n % 9 === 0 ? ', lgh 1102' : ''}`,
		Postnummer: `${zip} ${String(10 + (n % 89)).padStart(2, '0')}`,
		Ort: city,
		'E-post': person
			? ''
			: `faktura${n}@${STEMS[n % STEMS.length].toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o')}.se`,
		Telefon: `0${90 + (n % 9)}-${String(100000 + n * 37).slice(0, 6)}`,
		Privatperson: person ? 'ja' : 'nej',
		Aktiv: 'ja',
	};
}

const UNITS = ['st', 'tim', 'kg', 'm', 'l'];
const CODINGS = ['Varor 25 %', 'Tjänster 25 %', 'Varor 12 %', 'Varor 6 %', 'Momsfri försäljning'];

function articleRow(n: number): Row {
	let name = `Artikel ${n} ${['Gipsskiva 13 mm', 'Arbetstid', 'Kabel EKK', 'Fogskum', 'Hyra'][n % 5]}`;
	if (n % 6 === 0) name = `Skruv 4,2x${30 + (n % 50)} mm, förzinkad`;
	if (n % 10 === 0) name = `Kabel "EKK" 3G1,5 (${n} m)`;
	return {
		Artikelnummer: `ART-${String(n).padStart(4, '0')}`,
		Benämning: name,
		Enhet: UNITS[n % UNITS.length],
		Kontering: CODINGS[n % CODINGS.length],
		Pris: `${10 + (n % 900)},${String((n * 7) % 100).padStart(2, '0')}`,
		Aktiv: 'ja',
	};
}

const yes = (column: string) => (item: INodeExecutionData) => item.json[column] === 'ja';

const customerImport = {
	resource: 'customer',
	operation: 'createOrUpdate',
	customerNumber: fromItem('Kundnummer'),
	customerName: fromItem('Namn'),
	address1: fromItem('Adress'),
	postalCode: fromItem('Postnummer'),
	city: fromItem('Ort'),
	customerFields: {
		email: fromItem('E-post'),
		phone: fromItem('Telefon'),
		isPrivatePerson: yes('Privatperson'),
		isActive: yes('Aktiv'),
	},
};

const articleImport = {
	resource: 'article',
	operation: 'createOrUpdate',
	articleNumber: fromItem('Artikelnummer'),
	articleName: fromItem('Benämning'),
	unitId: fromItem('Enhet'),
	codingId: fromItem('Kontering'),
	price: fromItem('Pris'),
	articleFields: { isActive: yes('Aktiv') },
};

const CUSTOMER_HEADER = [
	'Kundnummer',
	'Namn',
	'Adress',
	'Postnummer',
	'Ort',
	'E-post',
	'Telefon',
	'Privatperson',
	'Aktiv',
];
const ARTICLE_HEADER = ['Artikelnummer', 'Benämning', 'Enhet', 'Kontering', 'Pris', 'Aktiv'];

const count = (out: INodeExecutionData[], outcome: string) =>
	out.filter((o) => o.json.outcome === outcome).length;

/**
 * Look-ups of n numbers in a collection of `size` records: one call to count it and one per page
 * of 500, because that is cheaper here than OR-filters of at most 25 numbers (the simulator
 * refuses filters over 100 nodes, as ASP.NET does by default).
 */
const lookups = (n: number, size: number) => Math.min(1 + Math.ceil(size / 500), Math.ceil(n / 25));

describe('CSV import of customers and articles with Create or Update', () => {
	// Two imports of 500 rows exceed 580 calls a minute on one endpoint; pacing has its own tests.
	const bed = useTestBed({ seed: 'empty' }, { ready: () => configurePacing({ limit: 100_000 }) });

	const customerRows = Array.from({ length: 500 }, (_, n) => customerRow(n));
	const articleRows = Array.from({ length: 500 }, (_, n) => articleRow(n));

	it('parses the generated CSV back into the same rows, quotes and commas included', () => {
		const csv = toCsv(CUSTOMER_HEADER, customerRows);
		expect(csv).toContain('"Restaurang ""Gästis"" i Växjö"');
		expect(csv).toContain('"Hägglund & Söner, Bygg AB"');
		expect(parseCsv(csv)).toEqual(customerRows);
		expect(parseCsv(toCsv(ARTICLE_HEADER, articleRows))).toEqual(articleRows);
	});

	it('imports 500 customers: one POST per row plus a few batched look-ups', async () => {
		const items = parseCsv(toCsv(CUSTOMER_HEADER, customerRows));
		bed.sim.resetStats();
		const { items: out } = await bed.run(customerImport, items);

		expect(out).toHaveLength(500);
		expect(count(out, 'created')).toBe(500);
		// One POST per row; the 500 numbers are looked up in OR-filters of at most 25 (the
		// simulator refuses filters over 100 nodes, as ASP.NET does by default).
		expect(bed.sim.stats().byRoute).toEqual({
			'GET companysettings': 1,
			'GET customers': lookups(500, 0),
			'POST customers': 500,
		});

		const stored = bed.sim.list('customers');
		expect(stored).toHaveLength(500);
		const byNumber = new Map(stored.map((c) => [c.CustomerNumber, c]));
		for (const n of [0, 7, 11, 13, 45, 499]) {
			const row = customerRows[n];
			expect(byNumber.get(row.Kundnummer)).toMatchObject({
				Name: row.Namn,
				InvoiceAddress1: row.Adress,
				InvoicePostalCode: row.Postnummer,
				InvoiceCity: row.Ort,
				EmailAddress: row['E-post'] || null,
				Telephone: row.Telefon,
				IsPrivatePerson: row.Privatperson === 'ja',
				IsActive: true,
				TermsOfPaymentId: SEED_IDS.termsOfPayment.dagar30,
			});
		}
		expect(byNumber.get('20008')!.Name).toBe('Hägglund & Söner, Bygg AB');
		expect(byNumber.get('20012')!.Name).toBe('Restaurang "Gästis" i Växjö');
		expect(byNumber.get('20014')!.Name).toBe('O\'Learys Luleå, "Sportbar"');
	});

	it('a second import of the changed CSV updates and adds, never duplicates', async () => {
		const changed = customerRows.map((row, n) => {
			if (n % 10 === 1) return { ...row, Ort: 'Kiruna', Postnummer: '981 31' };
			if (n % 50 === 2) return { ...row, Aktiv: 'nej' };
			return row;
		});
		const added = Array.from({ length: 10 }, (_, k) => customerRow(500 + k));
		const items = parseCsv(toCsv(CUSTOMER_HEADER, [...changed, ...added]));
		bed.sim.resetStats();
		const { items: out } = await bed.run(customerImport, items);

		expect([count(out, 'created'), count(out, 'updated'), count(out, 'unchanged')]).toEqual([
			10, 60, 440,
		]);
		expect(out[1].json.changedFields).toEqual(['InvoicePostalCode', 'InvoiceCity']);
		expect(out[2].json.changedFields).toEqual(['IsActive']);
		expect(bed.sim.stats().byRoute).toEqual({
			'GET companysettings': 1,
			'GET customers': lookups(510, 500),
			'POST customers': 10,
			'PUT customers/{customerId}': 60,
		});

		const stored = bed.sim.list('customers');
		expect(stored).toHaveLength(510);
		expect(new Set(stored.map((c) => c.CustomerNumber)).size).toBe(510);
		const byNumber = new Map(stored.map((c) => [c.CustomerNumber, c]));
		expect(byNumber.get('20002')).toMatchObject({
			InvoiceCity: 'Kiruna',
			InvoicePostalCode: '981 31',
			Name: customerRows[1].Namn,
		});
		expect(byNumber.get('20003')).toMatchObject({
			IsActive: false,
			InvoiceCity: customerRows[2].Ort,
		});
		expect(byNumber.get('20510')).toMatchObject({ Name: customerRow(509).Namn });
	});

	it('imports 500 articles with units and codings named as in the CSV, then updates changed prices', async () => {
		const items = parseCsv(toCsv(ARTICLE_HEADER, articleRows));
		bed.sim.resetStats();
		const first = await bed.run(articleImport, items);
		expect(count(first.items, 'created')).toBe(500);
		// Units and codings named in the CSV are read once, not per row.
		expect(bed.sim.stats().byRoute).toEqual({
			'GET articleaccountcodings': 1,
			'GET articles': lookups(500, 0),
			'GET units': 1,
			'POST articles': 500,
		});

		const stored = bed.sim.list('articles');
		expect(stored).toHaveLength(500);
		const units = new Map(bed.sim.list('units').map((u) => [u.Abbreviation, u.Id]));
		const codings = new Map(bed.sim.list('articleaccountcodings').map((c) => [c.Name, c.Id]));
		const byNumber = new Map(stored.map((a) => [a.Number, a]));
		for (const n of [0, 6, 10, 333, 499]) {
			const row = articleRows[n];
			expect(byNumber.get(row.Artikelnummer)).toMatchObject({
				Name: row.Benämning,
				UnitId: units.get(row.Enhet),
				CodingId: codings.get(row.Kontering),
				NetPrice: Number(row.Pris.replace(',', '.')),
				IsActive: true,
			});
		}
		expect(byNumber.get('ART-0010')!.Name).toBe('Kabel "EKK" 3G1,5 (10 m)');

		const changed = articleRows.map((row, n) => {
			if (n % 25 === 3) return { ...row, Pris: '999,00' };
			if (n % 100 === 4) return { ...row, Aktiv: 'nej' };
			return row;
		});
		bed.sim.resetStats();
		const second = await bed.run(
			articleImport,
			parseCsv(toCsv(ARTICLE_HEADER, [...changed, articleRow(500)])),
		);
		expect([
			count(second.items, 'created'),
			count(second.items, 'updated'),
			count(second.items, 'unchanged'),
		]).toEqual([1, 25, 475]);
		expect(bed.sim.stats().byRoute).toEqual({
			'GET articleaccountcodings': 1,
			'GET articles': lookups(501, 500),
			'GET units': 1,
			'POST articles': 1,
			'PUT articles/{articleId}': 25,
		});
		expect(bed.sim.list('articles')).toHaveLength(501);
		expect(bed.sim.list('articles').find((a) => a.Number === 'ART-0003')).toMatchObject({
			NetPrice: 999,
			GrossPrice: 1058.94,
		});
		expect(bed.sim.list('articles').find((a) => a.Number === 'ART-0004')).toMatchObject({
			IsActive: false,
		});
	});
});

/**
 * Input checks that run before anything is written. Each problem names the field the user
 * filled in, so the error can say exactly what to fix.
 */
export interface FieldProblem {
	field: string;
	message: string;
}

const LINE_BREAK = /[\r\n\u2028\u2029]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
/** Date, optional time (hh:mm, :ss, fraction) and optional zone. */
const TIMESTAMP =
	/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;
/** C0 control characters other than tab and line breaks, and DEL. */
const hasControl = (text: string) =>
	[...text].some((ch) => {
		const code = ch.charCodeAt(0);
		return (code < 32 && ch !== '\t' && ch !== '\n' && ch !== '\r') || code === 127;
	});
const NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

export interface TextRules {
	max: number;
	required?: boolean;
	/** Allows line breaks (row texts, notes). */
	multiline?: boolean;
	/** An identifier users match on (customer number, article number, source reference). */
	identifier?: boolean;
	pattern?: RegExp;
	patternHint?: string;
}

export interface NumberRules {
	required?: boolean;
	min?: number;
	max?: number;
	integer?: boolean;
}

const describe = (v: unknown) =>
	typeof v === 'string' ? `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"` : JSON.stringify(v);

export class Checker {
	constructor(
		readonly problems: FieldProblem[] = [],
		private readonly prefix = '',
	) {}

	/** A checker whose field names start with `prefix`, e.g. "Row 3". */
	scope(prefix: string): Checker {
		return new Checker(this.problems, this.prefix ? `${this.prefix}, ${prefix}` : prefix);
	}

	get ok(): boolean {
		return this.problems.length === 0;
	}

	fail(field: string, message: string): undefined {
		this.problems.push({ field: this.prefix ? `${this.prefix}: ${field}` : field, message });
		return undefined;
	}

	text(field: string, value: unknown, rules: TextRules): string | undefined {
		if (value === undefined || value === null || value === '') {
			return rules.required ? this.fail(field, 'is required') : undefined;
		}
		if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
		if (typeof value !== 'string') return this.fail(field, `must be text, got ${describe(value)}`);
		if (LONE_SURROGATE.test(value))
			return this.fail(field, 'contains broken Unicode (a lone surrogate)');
		const text = value.normalize('NFC').trim();
		if (text === '') return rules.required ? this.fail(field, 'is required') : undefined;
		if (hasControl(text)) return this.fail(field, 'contains control characters');
		if (!rules.multiline && LINE_BREAK.test(text)) return this.fail(field, 'must be on one line');
		if (BIDI_CONTROL.test(text))
			return this.fail(field, 'contains hidden text-direction characters');
		if (rules.identifier && INVISIBLE.test(text)) {
			return this.fail(field, 'contains invisible characters (zero-width space or similar)');
		}
		if (rules.pattern && !rules.pattern.test(text)) {
			return this.fail(
				field,
				`${describe(text)} is not valid${rules.patternHint ? `: ${rules.patternHint}` : ''}`,
			);
		}
		if (text.length > rules.max) {
			return this.fail(field, `is too long: ${text.length} characters, Visma allows ${rules.max}`);
		}
		return text;
	}

	number(field: string, value: unknown, rules: NumberRules = {}): number | undefined {
		if (value === undefined || value === null || value === '') {
			return rules.required ? this.fail(field, 'is required') : undefined;
		}
		let n: number;
		if (typeof value === 'number') n = value;
		else if (typeof value === 'string' && NUMBER.test(value.trim()))
			n = Number(value.trim().replace(',', '.'));
		else return this.fail(field, `must be a number, got ${describe(value)}`);
		if (!Number.isFinite(n))
			return this.fail(field, `must be a finite number, got ${describe(value)}`);
		if (rules.integer && !Number.isInteger(n))
			return this.fail(field, `must be a whole number, got ${n}`);
		if (rules.min !== undefined && n < rules.min)
			return this.fail(field, `must be at least ${rules.min}, got ${n}`);
		if (rules.max !== undefined && n > rules.max)
			return this.fail(field, `must be at most ${rules.max}, got ${n}`);
		return n;
	}

	/** A money amount with at most 2 decimals (Visma's "Format: 2 decimals"). */
	money(field: string, value: unknown, rules: NumberRules): number | undefined {
		const n = this.number(field, value, rules);
		if (n === undefined) return undefined;
		if (Math.abs(n * 100 - Math.round(n * 100)) > 1e-6)
			return this.fail(field, `can have at most 2 decimals, got ${n}`);
		return n;
	}

	bool(field: string, value: unknown, fallback: boolean): boolean {
		if (value === undefined || value === null || value === '') return fallback;
		if (typeof value === 'boolean') return value;
		if (value === 'true' || value === 'false') return value === 'true';
		this.fail(field, `must be true or false, got ${describe(value)}`);
		return fallback;
	}

	guid(field: string, value: unknown, required = false): string | undefined {
		const text = this.text(field, value, { max: 36, required, identifier: true });
		if (text === undefined) return undefined;
		if (!GUID.test(text))
			return this.fail(field, `${describe(text)} is not a valid eAccounting ID (a GUID)`);
		return text.toLowerCase();
	}

	/** A calendar date; returned as YYYY-MM-DD, which Visma reads in the company's time zone. */
	date(field: string, value: unknown): string | undefined {
		if (value instanceof Date) value = value.toISOString();
		const text = this.text(field, value, { max: 40 });
		if (text === undefined) return undefined;
		const match = DATE.exec(text);
		const day = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
		if (!match || !day || day.getUTCDate() !== +match[3] || day.getUTCMonth() !== +match[2] - 1) {
			return this.fail(field, `${describe(text)} is not a date in the form YYYY-MM-DD`);
		}
		return `${match[1]}-${match[2]}-${match[3]}`;
	}

	/**
	 * A point in time as UTC ISO text, for "changed since" filters. A date or time without a zone
	 * is read as UTC, like the *Utc fields it is compared with.
	 */
	timestamp(field: string, value: unknown): string | undefined {
		if (value instanceof Date) value = value.toISOString();
		// n8n hands a Luxon DateTime to date-time parameters filled by an expression.
		if (
			value !== null &&
			typeof value === 'object' &&
			typeof (value as { toISO?: unknown }).toISO === 'function'
		) {
			value = (value as { toISO: () => string }).toISO();
		}
		const text = this.text(field, value, { max: 40 });
		if (text === undefined) return undefined;
		const match = TIMESTAMP.exec(text);
		const hint = `${describe(text)} is not a date and time such as 2026-01-31T08:00:00Z`;
		if (!match) return this.fail(field, hint);
		// Date.parse accepts 2026-02-30; the calendar check of date() does not.
		if (this.date(field, match[1]) === undefined) return undefined;
		const [, day, time = '00:00', seconds = ':00', fraction = '', zone = 'Z'] = match;
		const ms = Date.parse(`${day}T${time}${seconds}${fraction}${zone.toUpperCase()}`);
		if (Number.isNaN(ms)) return this.fail(field, hint);
		return new Date(ms).toISOString();
	}

	countryCode(field: string, value: unknown): string | undefined {
		const text = this.text(field, typeof value === 'string' ? value.toUpperCase() : value, {
			max: 2,
			pattern: /^[A-Z]{2}$/,
			patternHint: 'use a 2-letter ISO country code such as SE',
		});
		return text;
	}

	currency(field: string, value: unknown): string | undefined {
		return this.text(field, typeof value === 'string' ? value.toUpperCase() : value, {
			max: 3,
			pattern: /^[A-Z]{3}$/,
			patternHint: 'use a 3-letter currency code such as SEK or EUR',
		});
	}

	email(field: string, value: unknown, max: number): string | undefined {
		return this.text(field, value, {
			max,
			pattern: /^[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+$/,
			patternHint: 'use an address like name@example.com',
		});
	}
}

/** "Name is too long: ...; Row 2: Quantity must be a number" */
export function describeProblems(problems: FieldProblem[]): string {
	return problems.map((p) => `${p.field} ${p.message}`).join('; ');
}

import type { INodeExecutionData } from 'n8n-workflow';

import approvalForm from '../../examples/approval-form-to-draft.json';
import approvalExport from '../../examples/approval-webhook-export-invoice.json';
import approvalSteps from '../../examples/approval-webhook-to-draft.json';
import type { ParamValue } from '../../dev/harness/context';

/**
 * The example workflows in examples/, read as they ship, with their Visma node parameters made
 * runnable by the test harness: each `={{ … }}` expression becomes a function of the item, like
 * n8n evaluates it. Only the expression forms the examples use are understood (paths into
 * `$json`, `$binary` or `$('Node').item.json`, `??`, `a ? b : c`, string literals, array and
 * object literals); anything
 * else throws, so an example that changes shape fails the tests instead of being misread.
 */
interface Workflow {
	name: string;
	nodes: Array<{ name: string; parameters?: unknown }>;
}

export const EXAMPLES: Record<'approvalForm' | 'approvalExport' | 'approvalSteps', Workflow> = {
	approvalForm,
	approvalExport,
	approvalSteps,
};

type Json = Record<string, unknown>;

/** What the expressions of one node see: its input item and the items of nodes before it. */
export interface ExpressionScope {
	$json: Json;
	nodes: Record<string, Json>;
	/** The item's binary data (n8n's `$binary`); the item's own when not given. */
	$binary?: Json;
}

/** The parameters of the node named `name`, with every expression turned into a function. */
export function exampleParameters(
	workflow: Workflow,
	name: string,
	scope: (item: INodeExecutionData) => ExpressionScope,
): Record<string, ParamValue> {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`${workflow.name} has no node named ${name}`);
	const convert = (value: unknown): unknown => {
		if (typeof value === 'string' && value.startsWith('=')) {
			const evaluate = compile(value.slice(1));
			return (item: INodeExecutionData) =>
				evaluate({ $binary: (item.binary ?? {}) as Json, ...scope(item) });
		}
		if (Array.isArray(value)) return value.map(convert);
		if (value && typeof value === 'object')
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
		return value;
	};
	return convert(node.parameters) as Record<string, ParamValue>;
}

type Evaluate = (scope: ExpressionScope) => unknown;

/** `{{ expr }}` (the whole parameter) compiled to a function of the scope. */
function compile(template: string): Evaluate {
	const match = /^\{\{([\s\S]*)\}\}$/.exec(template.trim());
	if (!match) throw new Error(`Unsupported expression (not a single {{ }}): ${template}`);
	const parser = new Parser(match[1]);
	const evaluate = parser.expression();
	parser.end();
	return evaluate;
}

class Parser {
	private at = 0;

	constructor(private readonly text: string) {}

	expression(): Evaluate {
		const test = this.coalesce();
		if (!this.take('?')) return test;
		const yes = this.expression();
		if (!this.take(':')) this.fail('expected :');
		const no = this.expression();
		return (s) => (test(s) ? yes(s) : no(s));
	}

	private coalesce(): Evaluate {
		const left = this.primary();
		if (!this.take('??')) return left;
		const right = this.coalesce();
		return (s) => left(s) ?? right(s);
	}

	end(): void {
		this.space();
		if (this.at !== this.text.length) this.fail('unexpected text');
	}

	private primary(): Evaluate {
		this.space();
		if (this.take("'")) return this.stringRest();
		if (this.take('['))
			return this.list(
				']',
				() => this.expression(),
				(parts) => (s) => parts.map((p) => p(s)),
			);
		if (this.take('{')) {
			return this.list(
				'}',
				() => {
					const key = this.identifier();
					if (!this.take(':')) this.fail('expected :');
					return [key, this.expression()] as const;
				},
				(entries) => (s) => Object.fromEntries(entries.map(([k, v]) => [k, v(s)])),
			);
		}
		let base: Evaluate;
		if (this.take('$json')) base = (s) => s.$json;
		else if (this.take('$binary')) base = (s) => s.$binary ?? {};
		else if (this.take("$('")) {
			const node = this.until("')");
			if (!this.take('.item.json')) this.fail('expected .item.json');
			base = (s) => {
				if (!(node in s.nodes)) throw new Error(`Expression reads node ${node}, which has not run`);
				return s.nodes[node];
			};
		} else return this.fail('expected $json, $binary, $(…), a string, a list or an object');
		const keys: string[] = [];
		for (;;) {
			if (this.take('.')) keys.push(this.identifier());
			else if (this.take("['")) keys.push(this.until("']"));
			else break;
		}
		return (s) => keys.reduce<unknown>((v, k) => (v as Json | undefined)?.[k], base(s));
	}

	private list<T, R>(close: string, element: () => T, build: (parts: T[]) => R): R {
		const parts: T[] = [];
		while (!this.take(close)) {
			if (parts.length > 0 && !this.take(',')) this.fail(`expected , or ${close}`);
			parts.push(element());
		}
		return build(parts);
	}

	private stringRest(): Evaluate {
		const value = this.until("'");
		return () => value;
	}

	private identifier(): string {
		this.space();
		const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
		if (!match) return this.fail('expected a name');
		this.at += match[0].length;
		return match[0];
	}

	private until(end: string): string {
		const stop = this.text.indexOf(end, this.at);
		if (stop < 0) this.fail(`expected ${end}`);
		const value = this.text.slice(this.at, stop);
		this.at = stop + end.length;
		return value;
	}

	private take(token: string): boolean {
		this.space();
		if (!this.text.startsWith(token, this.at)) return false;
		this.at += token.length;
		return true;
	}

	private space(): void {
		while (/\s/.test(this.text[this.at] ?? '')) this.at++;
	}

	private fail(what: string): never {
		throw new Error(`Unsupported expression: ${what} at ${this.at} in {{${this.text}}}`);
	}
}

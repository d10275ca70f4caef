import { expect } from '@jest/globals';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { VismaEAccountingTrigger } from '../../nodes/VismaEAccounting/VismaEAccountingTrigger.node';
import { buildContext } from '../../dev/harness/context';
import type { TestBed } from './support';

type Json = Record<string, unknown>;

const trigger = new VismaEAccountingTrigger();

/** One trigger node: its parameters and the static data n8n keeps for it between polls. */
export class TriggerNode {
	readonly staticData: IDataObject = {};

	calls = 0;

	constructor(
		private readonly bed: TestBed,
		private parameters: Record<string, unknown>,
	) {}

	set(parameters: Record<string, unknown>): void {
		this.parameters = { ...this.parameters, ...parameters };
	}

	/** One poll the way n8n runs it; returns the emitted items (none when the poll returned null). */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<Json[]> {
		const counter = { calls: 0 };
		const { poll } = buildContext(
			{
				nodeType: trigger,
				parameters: this.parameters,
				credential: this.bed.credential,
				mode,
				staticData: this.staticData,
			},
			counter,
		);
		const output = (await trigger.poll.call(poll)) as INodeExecutionData[][] | null;
		this.calls += counter.calls;
		if (output === null) return [];
		expect(output).toHaveLength(1);
		expect(output[0].length).toBeGreaterThan(0);
		return output[0].map((item) => item.json as Json);
	}

	state(): string {
		return JSON.stringify(this.staticData);
	}
}

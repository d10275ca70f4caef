import { describe, expect, it } from '@jest/globals';

import { EXAMPLE_CREDENTIAL } from '../../dev/stack/examples';
import { progress } from './support/context';
import { agentWorkflow, startFakeModel } from './support/fakeModel';
import { example } from './support/flows';
import { useStack } from './support/suite';

/*
 * What callers read back in a real n8n: the one-step example's error branch when Visma keeps
 * failing, and the answers n8n's AI Agent hands its model from the Visma eAccounting tool. The
 * model is scripted (an OpenAI-compatible server in this process behind an OpenAI credential);
 * everything else is n8n's own: the Agent node, the tool wrapping of usableAsTool, $fromAI.
 */

const SUITE = 'answers';

type Model = Awaited<ReturnType<typeof startFakeModel>>;

const ONE_STEP = example('approval-webhook-export-invoice.json');
const MODEL_CREDENTIAL = { id: 'fakeModelCred', name: 'Scripted model' };
const AGENT = agentWorkflow({
	id: 'e2eAgent',
	webhookPath: 'e2e/agent',
	vismaCredential: { ...EXAMPLE_CREDENTIAL },
	modelCredential: MODEL_CREDENTIAL,
});

describe('answers in a real n8n: the error branch and the AI agent tool', () => {
	let model: Model;
	const suite = useStack(SUITE, {
		before: async () => {
			model = await startFakeModel();
		},
		stack: () => ({
			workflows: [ONE_STEP, AGENT],
			credentials: [
				{
					...MODEL_CREDENTIAL,
					type: 'openAiApi',
					data: { apiKey: 'sk-scripted', url: model.url },
				},
			],
		}),
		after: async () => await model?.close(),
	});

	/** The agent is asked; the model calls the tool with this customer number. */
	async function askAgent(prompt: string, customerNumber: string) {
		model.nextArguments = {
			customerNumber,
			customerName: 'Agentens Kund AB',
			postalCode: '903 26',
			city: 'Umeå',
		};
		const res = await suite.stack.webhook('e2e/agent', { prompt });
		expect(res.status).toBe(200);
	}

	it('Visma unavailable through every retry: the error branch answers 422 with the error and what to do', async () => {
		const { sim, stack, q } = suite;
		sim.injectFault({ method: 'GET', path: '/v2/customerinvoicedrafts', kind: '503', times: 50 });
		const res = await stack.webhook('visma/export', {
			invoiceNumber: 'FAULT-0001',
			customer: { number: '1001', name: 'unused', postalCode: '000 00', city: 'x' },
			rows: [{ articleNumber: 'A100', text: 'Snickeri', quantity: 1, unitPrice: 650 }],
		});
		sim.clearFaults();
		expect(res.status).toBe(422);
		expect(res.body).toEqual({
			error: 'Visma eAccounting is unavailable (HTTP 503) [item 0]',
			description: expect.stringContaining(
				'This is usually temporary. Run again in a few minutes.',
			),
		});
		expect(q.draftsWithReference('FAULT-0001')).toEqual([]);
	});

	it('as a tool, Find or Create answers the model with the outcome first and the Simplify fields', async () => {
		const { q } = suite;
		await askAgent('Find or create customer 8801', '8801');
		expect(model.toolsOffered[0]).toEqual(['Visma']);
		expect(model.toolResults).toHaveLength(1);
		const result = model.toolResults[0];
		progress(`[e2e] tool result for the model (${result.length} characters): ${result}`);
		const [answer] = JSON.parse(result) as Array<Record<string, unknown>>;
		expect(Object.keys(answer)[0]).toBe('outcome');
		expect(answer).toMatchObject({
			outcome: 'created',
			Id: expect.any(String),
			CustomerNumber: '8801',
			Name: 'Agentens Kund AB',
			InvoiceCity: 'Umeå',
		});
		expect(Object.values(answer)).not.toContain(null);
		expect(result.length).toBeLessThan(500);
		expect(q.customersNumbered('8801')).toHaveLength(1);
	});

	it('as a tool, a too-long customer number comes back to the model without an item index, with what to do', async () => {
		const { q } = suite;
		await askAgent('Find or create that customer', 'CUSTOMER-NUMBER-TOO-LONG');
		const result = model.toolResults[model.toolResults.length - 1];
		progress(`[e2e] tool error for the model: ${result}`);
		expect(result).toMatch(/Customer Number is too long/);
		expect(result).toMatch(/Nothing was written for this item/);
		expect(result).not.toMatch(/\[item|item 0/);
		expect(q.customersNumbered('CUSTOMER-NUMBER-TOO-LONG')).toEqual([]);
	});
});

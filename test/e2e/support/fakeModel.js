// @ts-check
'use strict';

/**
 * A scripted chat model for n8n's AI Agent: an OpenAI-compatible `/v1/chat/completions` on
 * 127.0.0.1 that an OpenAI credential with this Base URL reaches. Its script: when the last
 * message is not a tool result, call the first tool offered with `nextArguments`; after a tool
 * result, answer with that result. Every tool result it was given is kept in `toolResults`,
 * which is exactly what the agent handed the model from our node.
 */

const http = require('http');

/**
 * @returns {Promise<{ url: string, nextArguments: Record<string, unknown>, toolResults: string[], toolsOffered: string[][], close: () => Promise<void> }>}
 */
async function startFakeModel() {
	const model = {
		url: '',
		/** @type {Record<string, unknown>} */
		nextArguments: {},
		/** @type {string[]} */
		toolResults: [],
		/** @type {string[][]} */
		toolsOffered: [],
		close: async () => {},
	};
	let calls = 0;

	/**
	 * @param {import('http').ServerResponse} res
	 * @param {boolean} stream
	 * @param {{ content: string | null, toolCall?: { id: string, name: string, arguments: string } }} answer
	 */
	function reply(res, stream, answer) {
		const id = `chatcmpl-fake-${++calls}`;
		const created = Math.floor(Date.now() / 1000);
		const finish = answer.toolCall ? 'tool_calls' : 'stop';
		const toolCalls = answer.toolCall
			? [
					{
						index: 0,
						id: answer.toolCall.id,
						type: 'function',
						function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
					},
				]
			: undefined;
		if (!stream) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id,
					object: 'chat.completion',
					created,
					model: 'fake-model',
					choices: [
						{
							index: 0,
							message: { role: 'assistant', content: answer.content, tool_calls: toolCalls },
							finish_reason: finish,
						},
					],
					usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
				}),
			);
			return;
		}
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		const chunk = (/** @type {object} */ delta, /** @type {string | null} */ reason) =>
			res.write(
				`data: ${JSON.stringify({
					id,
					object: 'chat.completion.chunk',
					created,
					model: 'fake-model',
					choices: [{ index: 0, delta, finish_reason: reason }],
				})}\n\n`,
			);
		chunk({ role: 'assistant', content: answer.content ?? '', tool_calls: toolCalls }, null);
		chunk({}, finish);
		res.end('data: [DONE]\n\n');
	}

	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (d) => (raw += d));
		req.on('end', () => {
			if (req.method === 'GET' && /\/models$/.test(req.url ?? '')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
				return;
			}
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `not simulated: ${req.method} ${req.url}` } }));
				return;
			}
			const body = JSON.parse(raw || '{}');
			const messages = Array.isArray(body.messages) ? body.messages : [];
			const tools = (Array.isArray(body.tools) ? body.tools : []).map(
				(/** @type {any} */ t) => t.function?.name,
			);
			model.toolsOffered.push(tools);
			const last = messages[messages.length - 1];
			if (last?.role === 'tool') {
				const result =
					typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
				model.toolResults.push(result);
				reply(res, body.stream === true, { content: `The tool answered: ${result}` });
				return;
			}
			reply(res, body.stream === true, {
				content: null,
				toolCall: {
					id: `call_${calls + 1}`,
					name: tools[0] ?? 'missing_tool',
					arguments: JSON.stringify(model.nextArguments),
				},
			});
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	model.url = `http://127.0.0.1:${address.port}/v1`;
	model.close = () =>
		new Promise((resolve) => {
			server.close(() => resolve(undefined));
			server.closeAllConnections();
		});
	return model;
}

/**
 * Webhook (POST `webhookPath`, answers with the agent's output) → AI Agent, with the scripted
 * model and the Visma eAccounting node as its tool, set to Customer → Find or Create with the
 * fields the model fills in ($fromAI).
 * @param {{ id: string, webhookPath: string, vismaCredential: { id: string, name: string }, modelCredential: { id: string, name: string } }} o
 */
function agentWorkflow(o) {
	const fromAi = (/** @type {string} */ key, /** @type {string} */ about) =>
		`={{ $fromAI('${key}', '${about}', 'string') }}`;
	return {
		id: o.id,
		name: 'e2e: AI Agent with the Visma eAccounting tool',
		nodes: [
			{
				id: 'a1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5a0e1f6c-0000-4000-8000-00000000a001',
				parameters: {
					httpMethod: 'POST',
					path: o.webhookPath,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: 'a2',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [240, 0],
				parameters: { promptType: 'define', text: '={{ $json.body.prompt }}', options: {} },
			},
			{
				id: 'a3',
				name: 'Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: [160, 220],
				parameters: {
					model: { __rl: true, mode: 'id', value: 'fake-model' },
					options: {},
				},
				credentials: { openAiApi: { ...o.modelCredential } },
			},
			{
				id: 'a4',
				name: 'Visma',
				type: 'n8n-nodes-visma-eaccounting.vismaEAccountingTool',
				typeVersion: 1,
				position: [360, 220],
				parameters: {
					descriptionType: 'manual',
					toolDescription:
						'Finds a customer in Visma eAccounting by customer number, or creates it',
					resource: 'customer',
					operation: 'findOrCreate',
					customerNumber: fromAi('customerNumber', 'The customer number'),
					customerName: fromAi('customerName', 'The customer name'),
					postalCode: fromAi('postalCode', 'The postal code'),
					city: fromAi('city', 'The city'),
					customerFields: {},
					options: {},
				},
				credentials: { vismaEAccountingOAuth2Api: { ...o.vismaCredential } },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			Visma: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { agentWorkflow, startFakeModel };

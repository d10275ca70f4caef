import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkSendInput } from '../../domain/send';
import { INVOICE } from '../../records/invoice';
import type { SendRequest, SendResult } from '../../services/sendInvoices';
import { sendInvoice } from '../../services/sendInvoices';
import type { VismaClient } from '../../transport';
import { recordLocator } from '../shared/fields';
import { checkEachItem, perItem } from '../shared/items';
import { idsOf, readLocator } from '../shared/locator';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Send',
	description:
		'Send a booked invoice by email or as an e-invoice; a re-run does not send it again unless Send Again is on',
	action: 'Send an invoice',
};

export const description: INodeProperties[] = [
	recordLocator(
		INVOICE,
		'The invoice to send: pick it from the list, or give its ID or invoice number',
	),
	{
		displayName: 'Send By',
		name: 'sendBy',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email', description: 'Visma emails the invoice PDF' },
			{
				name: 'E-Invoice',
				value: 'eInvoice',
				description: "Through Visma's AutoInvoice (electronic, print, B2C) or Kivra",
			},
		],
		default: 'email',
	},
	{
		displayName: 'E-Invoice Type',
		name: 'eInvoiceType',
		type: 'options',
		displayOptions: { show: { sendBy: ['eInvoice'] } },
		options: [
			{
				name: 'AutoInvoice Electronic',
				value: 'autoInvoiceElectronic',
				description: "To the customer's electronic address",
			},
			{ name: 'AutoInvoice Print', value: 'autoInvoicePrint', description: 'Printed and posted' },
			{
				name: 'AutoInvoice B2C',
				value: 'autoInvoiceB2C',
				description: 'To private persons; not for Swedish customers',
			},
			{ name: 'Kivra', value: 'kivra', description: 'To Swedish private persons' },
		],
		default: 'autoInvoiceElectronic',
	},
	{
		displayName: 'Email Fields',
		name: 'emailFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: { show: { sendBy: ['email'] } },
		default: {},
		description: "Fields left out take Visma's defaults",
		options: [
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				placeholder: 'e.g. ekonomi@example.com, chef@example.com',
				description:
					"Addresses to copy, separated by commas (at most 5). Empty: the customer's CC addresses.",
			},
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: "The email text. Empty: the company's invoice text in eAccounting.",
			},
			{
				displayName: 'No CC',
				name: 'noCc',
				type: 'boolean',
				default: false,
				description: "Whether to send without CC, even to the customer's CC addresses",
			},
			{
				displayName: 'Recipient',
				name: 'to',
				type: 'string',
				placeholder: 'e.g. faktura@example.com',
				default: '',
				description: "Empty: the customer's invoice email address",
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description:
					"Empty: Visma's subject with the company name. #### in the text becomes the invoice number.",
			},
		],
	},
	{
		displayName: 'Send Again',
		name: 'sendAgain',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the invoice even if this node sent it before. Off: a re-run reports the earlier send and sends nothing.',
	},
];

/** The send's output: what was sent (or sent before), with the invoice it was for. */
function sendJson(result: SendResult, request: SendRequest): IDataObject {
	const { invoice, entry } = result;
	const input = request.input;
	return {
		invoiceId: invoice.Id,
		invoiceNumber: invoice.InvoiceNumber ?? null,
		customerNumber: (invoice.CustomerNumber as string | undefined) ?? null,
		customerName: (invoice.CustomerName as string | undefined) ?? null,
		outcome: result.outcome,
		sentBy: entry.via,
		sentAt: entry.at,
		...(result.outcome === 'sent'
			? input.via === 'email'
				? {
						// null: Visma's default was used.
						email: {
							to: input.email.to ?? null,
							cc: input.email.cc ?? null,
							subject: input.email.subject ?? null,
							message: input.email.message ?? null,
						},
					}
				: { eInvoiceType: input.type }
			: {}),
		earlierSends: result.earlier.map((e) => ({ sentBy: e.via, sentAt: e.at })),
		noteId: result.noteId,
		...(result.warning ? { warning: result.warning } : {}),
	};
}

/**
 * Sends each item's invoice. Whether an invoice was sent is kept in a note on it (Visma shows
 * no such field), read before anything is sent; see services/sendInvoices.ts.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const { requests, invalid } = await checkEachItem(this, items, (c, i) => {
		const which = readLocator(
			c,
			this.getNodeParameter(INVOICE.locator.parameter, i),
			INVOICE.label,
			INVOICE,
		);
		const fields = this.getNodeParameter('emailFields', i, {}) as IDataObject;
		const input = checkSendInput(c, {
			via: this.getNodeParameter('sendBy', i, 'email'),
			eInvoiceType: this.getNodeParameter('eInvoiceType', i, 'autoInvoiceElectronic'),
			to: fields.to,
			cc: fields.cc,
			noCc: fields.noCc,
			subject: fields.subject,
			message: fields.message,
			sendAgain: this.getNodeParameter('sendAgain', i, false),
		});
		return { which: which ?? { id: '' }, input };
	});
	// Invoices named by number cost one batched look-up for all items.
	const invoices = await idsOf(client, INVOICE, requests);
	const byItem = new Map(
		requests.map((r, k) => [r.itemIndex, { request: r, invoice: invoices[k] }]),
	);
	return await perItem(this, items, async (i) => {
		const error = invalid.get(i);
		if (error) throw error;
		const { request, invoice } = byItem.get(i)!;
		if (!invoice.ok) throw invoice.error;
		const send = { itemIndex: i, invoiceId: invoice.value, input: request.input };
		return sendJson(await sendInvoice(client, send), send);
	});
}

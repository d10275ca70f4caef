import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { checkPaymentInput, dateIn } from '../../domain/payment';
import { INVOICE } from '../../records/invoice';
import type { PaymentRequest, PaymentResult } from '../../services/recordPayments';
import { differs, recordPayment } from '../../services/recordPayments';
import type { VismaClient } from '../../transport';
import { recordLocator } from '../shared/fields';
import { checkEachItem, perItem } from '../shared/items';
import { idsOf, readLocator } from '../shared/locator';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Record Payment',
	description:
		'Record a payment received elsewhere (card, bank file) on a booked invoice; the same payment reference is never recorded twice',
	action: 'Record a payment on an invoice',
};

export const description: INodeProperties[] = [
	recordLocator(
		INVOICE,
		'The invoice that was paid: pick it from the list, or give its ID or invoice number',
	),
	{
		displayName: 'Payment Reference',
		name: 'paymentReference',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.paymentId }}',
		description:
			'A unique ID of the payment in the system it came from (max 100 characters). A payment with this reference is recorded once per invoice, however often the workflow runs.',
	},
	{
		displayName: 'Bank Account Name or ID',
		name: 'bankAccountId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getBankAccounts' },
		required: true,
		default: '',
		description:
			'The company bank account the money arrived in. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		hint: 'The list needs the ea:purchase_readonly scope: add it under Additional Scopes in the credential and reconnect',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1250.00',
		description:
			"Amount paid, in the invoice's currency. Empty: what remains to be paid on the invoice.",
	},
	{
		displayName: 'Payment Date',
		name: 'paymentDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-11-30',
		description:
			"The day the money arrived (YYYY-MM-DD, not in the future). Empty: today in the workflow's time zone.",
	},
	{
		displayName: 'Options',
		name: 'paymentOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Overpayment',
				name: 'allowOverpayment',
				type: 'boolean',
				default: false,
				description:
					'Whether an amount larger than what remains on the invoice is sent to Visma. Off: it is refused before anything is written.',
			},
		],
	},
];

function paymentJson(result: PaymentResult, request: PaymentRequest): IDataObject {
	const { invoice, entry } = result;
	const asked = request.input;
	const mismatch =
		result.outcome === 'alreadyRecorded' && differs(entry, asked)
			? `Payment reference ${entry.ref} was recorded before as ${entry.amount.toFixed(2)} ${entry.currency} on ${entry.date}; this run asked for ${asked.amount === undefined ? 'the remaining amount' : asked.amount.toFixed(2)} on ${asked.date}. Nothing was recorded now.`
			: undefined;
	const warning = [result.warning, mismatch].filter(Boolean).join(' ');
	return {
		invoiceId: invoice.Id,
		invoiceNumber: invoice.InvoiceNumber ?? null,
		customerNumber: (invoice.CustomerNumber as string | undefined) ?? null,
		outcome: result.outcome,
		paymentReference: entry.ref,
		amount: entry.amount,
		currency: entry.currency,
		paymentDate: entry.date,
		bankAccountId: asked.bankAccountId,
		remainingBefore: entry.before,
		remainingAmount: (invoice.RemainingAmountInvoiceCurrency as number | undefined) ?? null,
		paymentStatus: (invoice.PaymentStatus as number | undefined) ?? null,
		...(result.payment ? { payment: result.payment as IDataObject } : {}),
		noteId: result.noteId,
		...(warning ? { warning } : {}),
	};
}

/**
 * Records each item's payment. Which payment references an invoice was paid with is kept in
 * notes on it (Visma lists no payments), read before anything is written; see
 * services/recordPayments.ts.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	client: VismaClient,
): Promise<INodeExecutionData[]> {
	const today = dateIn(this.getTimezone());
	const { requests, invalid } = await checkEachItem(this, items, (c, i) => {
		const which = readLocator(
			c,
			this.getNodeParameter(INVOICE.locator.parameter, i),
			INVOICE.label,
			INVOICE,
		);
		const options = this.getNodeParameter('paymentOptions', i, {}) as IDataObject;
		const input = checkPaymentInput(
			c,
			{
				reference: this.getNodeParameter('paymentReference', i, ''),
				amount: this.getNodeParameter('amount', i, ''),
				date: this.getNodeParameter('paymentDate', i, ''),
				bankAccountId: this.getNodeParameter('bankAccountId', i, ''),
				allowOverpayment: options.allowOverpayment,
			},
			today,
		);
		return { which: which ?? { id: '' }, input };
	});
	const invoices = await idsOf(client, INVOICE, requests);
	const byItem = new Map(
		requests.map((r, k) => [r.itemIndex, { request: r, invoice: invoices[k] }]),
	);
	return await perItem(this, items, async (i) => {
		const error = invalid.get(i);
		if (error) throw error;
		const { request, invoice } = byItem.get(i)!;
		if (!invoice.ok) throw invoice.error;
		const payment = { itemIndex: i, invoiceId: invoice.value, input: request.input };
		return paymentJson(await recordPayment(client, payment), payment);
	});
}

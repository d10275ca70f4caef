import type { Checker } from './check';
import type { PaymentEntry } from './journal';
import { paymentNoteFits, sameAmount } from './journal';
import { roundHalfAwayFromZero } from './money';

/** Visma's limits of a payment (InvoicePaymentApi). */
export const PAYMENT_LIMITS = { Reference: 100 } as const;

/** InvoicePaymentApi.PaymentType. */
export const PAYMENT_TYPE = { partial: 1, complete: 2 } as const;

export interface PaymentInput {
	reference: string;
	/** Undefined: what remains on the invoice. */
	amount?: number;
	/** YYYY-MM-DD, in the company's time zone (Visma reads it so). */
	date: string;
	bankAccountId: string;
	allowOverpayment: boolean;
}

/**
 * The parameters of Record Payment, checked before anything is read or written. `today` is
 * the date in the workflow's time zone: Visma refuses payments dated in the future.
 */
export function checkPaymentInput(
	c: Checker,
	raw: {
		reference: unknown;
		amount: unknown;
		date: unknown;
		bankAccountId: unknown;
		allowOverpayment: unknown;
	},
	today: string,
): PaymentInput {
	const reference = c.text('Payment Reference', raw.reference, {
		max: PAYMENT_LIMITS.Reference,
		required: true,
		identifier: true,
	});
	const amount = c.number('Amount', raw.amount);
	if (amount !== undefined && amount <= 0) c.fail('Amount', `must be more than 0, got ${amount}`);
	const date = c.date('Payment Date', raw.date) ?? today;
	if (date > today)
		c.fail('Payment Date', `${date} is in the future (today is ${today}); Visma refuses that`);
	const bankAccountId = c.guid('Bank Account', raw.bankAccountId, true);
	return {
		reference: reference ?? '',
		amount: amount === undefined ? undefined : roundHalfAwayFromZero(amount, 2),
		date,
		bankAccountId: bankAccountId ?? '',
		allowOverpayment: c.bool('Allow Overpayment', raw.allowOverpayment, false),
	};
}

/** What the node reads from the invoice to plan a payment. */
export interface PayableInvoice {
	InvoiceNumber?: number;
	CurrencyCode?: string | null;
	IsCreditInvoice?: boolean;
	RemainingAmountInvoiceCurrency?: number;
}

export interface PaymentPlan {
	body: {
		CompanyBankAccountId: string;
		PaymentDate: string;
		Reference: string;
		PaymentAmount: number;
		PaymentCurrency: string;
		PaymentType: number;
	};
	entry: PaymentEntry;
}

/**
 * The payment for an invoice, or why there is none: an amount above what remains is refused
 * unless overpayment is allowed; a paid or credit invoice takes no payment from the node.
 */
export function planPayment(
	invoice: PayableInvoice,
	input: PaymentInput,
	at: string,
): PaymentPlan | { problem: string } {
	const number = invoice.InvoiceNumber ?? '';
	const remaining = roundHalfAwayFromZero(invoice.RemainingAmountInvoiceCurrency ?? 0, 2);
	const currency = invoice.CurrencyCode ?? '';
	if (invoice.IsCreditInvoice)
		return { problem: `Invoice ${number} is a credit invoice; record its refund in eAccounting` };
	if (remaining <= 0) return { problem: `Invoice ${number} is already fully paid` };
	const amount = input.amount ?? remaining;
	if (amount > remaining && !sameAmount(amount, remaining) && !input.allowOverpayment)
		return {
			problem: `Amount ${amount.toFixed(2)} ${currency} is more than the ${remaining.toFixed(2)} ${currency} that remains on invoice ${number}; turn on Allow Overpayment to record it anyway`,
		};
	const entry: PaymentEntry = {
		kind: 'payment',
		state: 'pending',
		ref: input.reference,
		amount,
		currency,
		date: input.date,
		before: remaining,
		at,
	};
	if (!paymentNoteFits(entry))
		return {
			problem: `Payment Reference is too long to be kept in the invoice's note (Visma allows 256 characters per note); use a shorter reference`,
		};
	return {
		body: {
			CompanyBankAccountId: input.bankAccountId,
			PaymentDate: input.date,
			Reference: input.reference,
			PaymentAmount: amount,
			PaymentCurrency: currency,
			// A complete payment closes the invoice; anything less leaves the rest open.
			PaymentType: amount >= remaining ? PAYMENT_TYPE.complete : PAYMENT_TYPE.partial,
		},
		entry,
	};
}

/** The calendar date (YYYY-MM-DD) at `now` in a time zone, e.g. the workflow's. */
export function dateIn(timeZone: string, now = new Date()): string {
	try {
		return new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(now);
	} catch {
		return now.toISOString().slice(0, 10);
	}
}

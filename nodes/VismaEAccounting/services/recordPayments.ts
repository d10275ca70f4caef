import type { PaymentEntry } from '../domain/journal';
import { sameAmount, settlePending } from '../domain/journal';
import type { PaymentInput } from '../domain/payment';
import { planPayment } from '../domain/payment';
import type { VismaInvoice } from '../domain/visma';
import { INVOICE } from '../records/invoice';
import type { VismaClient } from '../transport';
import { isRefusal, passOn, readFailure, resourcePath } from '../transport';
import type { JournalNote } from './invoiceJournal';
import { readJournal, settleClaim, updateEntry, withJournal, writeEntry } from './invoiceJournal';
import { itemError } from './outcome';

export interface PaymentRequest {
	itemIndex: number;
	invoiceId: string;
	input: PaymentInput;
}

export interface PaymentResult {
	outcome: 'recorded' | 'alreadyRecorded';
	invoice: VismaInvoice;
	entry: PaymentEntry;
	noteId: string;
	/** What Visma answered to the payment (recorded now, with a known answer only). */
	payment?: Record<string, unknown>;
	warning?: string;
}

const remainingOf = (invoice: VismaInvoice) => Number(invoice.RemainingAmountInvoiceCurrency ?? 0);

const isPayment = (reference: string) => (entry: { kind: string; ref?: string }) =>
	entry.kind === 'payment' && entry.ref === reference;

/**
 * Record Payment for one item. Visma lists no payments of an invoice, only what remains, so
 * the payment reference is kept in a journal note on the invoice: written as pending before
 * the payment and marked done after it. A re-run with the same payment reference finds the
 * note and records nothing; a pending note left by a run that stopped halfway is settled by
 * what remains on the invoice (dropped by the amount: it went through; unchanged: it did not).
 */
export async function recordPayment(
	client: VismaClient,
	request: PaymentRequest,
): Promise<PaymentResult> {
	const { itemIndex, invoiceId, input } = request;
	return await withJournal(client, invoiceId, async () => {
		const { invoice, notes } = await readJournal(client, invoiceId, itemIndex);
		const mine = notes.filter(({ entry }) => isPayment(input.reference)(entry)) as Array<
			JournalNote<PaymentEntry>
		>;
		const earlier = await fromJournal(client, request, invoice, mine);
		if ('outcome' in earlier) return earlier;

		const plan = planPayment(invoice, input, new Date().toISOString());
		if ('problem' in plan)
			throw itemError(client.node, plan.problem, itemIndex, 'Nothing was written for this item.');

		const claim = await claimPayment(client, request, invoice, plan.entry, earlier.pending);
		if ('outcome' in claim) return claim;
		const payment = await postPayment(client, request, plan, claim);

		let warning: string | undefined;
		let noteId = claim.note.Id;
		try {
			noteId = (await updateEntry(client, claim, { ...plan.entry, state: 'done' }, itemIndex)).note
				.Id;
		} catch (error) {
			warning = `The payment was recorded, but its note on the invoice could not be marked done (${error instanceof Error ? error.message : String(error)}). A re-run with the same reference still finds it through the remaining amount.`;
		}
		const after =
			(await client.getById<VismaInvoice>(INVOICE.path, invoiceId, itemIndex)) ?? invoice;
		return {
			outcome: 'recorded',
			invoice: after,
			entry: { ...plan.entry, state: 'done' },
			noteId,
			payment,
			...(warning ? { warning } : {}),
		};
	});
}

/**
 * What the journal already says about this payment reference: recorded (done, or pending and
 * the remaining amount shows it), unclear (the item fails), or a pending claim to reuse.
 */
async function fromJournal(
	client: VismaClient,
	{ itemIndex, input }: PaymentRequest,
	invoice: VismaInvoice,
	mine: Array<JournalNote<PaymentEntry>>,
): Promise<PaymentResult | { pending?: JournalNote<PaymentEntry> }> {
	const done = mine.find(({ entry }) => entry.state === 'done');
	if (done) return already(invoice, done);
	const pending = mine.find(({ entry }) => entry.state === 'pending');
	if (!pending) return {};
	const verdict = settlePending(pending.entry, remainingOf(invoice));
	if (verdict === 'applied') {
		const marked = await updateEntry(
			client,
			pending,
			{ ...pending.entry, state: 'done' },
			itemIndex,
		);
		return already(invoice, marked);
	}
	if (verdict === 'unclear')
		throw itemError(
			client.node,
			`Payment reference ${input.reference} on invoice ${String(invoice.InvoiceNumber)} was started before and its outcome is unclear`,
			itemIndex,
			`An earlier run wrote its note (${pending.note.Id}) but did not finish. Since then the remaining amount went from ${pending.entry.before.toFixed(2)} to ${remainingOf(invoice).toFixed(2)} ${pending.entry.currency}, which is not a payment of ${pending.entry.amount.toFixed(2)}. Check the invoice's payments in eAccounting; nothing was written now.`,
		);
	return { pending };
}

/**
 * The claim: a pending note before the payment, so a run that stops halfway leaves a trace.
 * Of two executions claiming the same payment reference at once, only the earliest note pays.
 */
async function claimPayment(
	client: VismaClient,
	{ itemIndex, invoiceId, input }: PaymentRequest,
	invoice: VismaInvoice,
	entry: PaymentEntry,
	pending: JournalNote<PaymentEntry> | undefined,
): Promise<PaymentResult | JournalNote<PaymentEntry>> {
	const claim = pending
		? await updateEntry(client, pending, entry, itemIndex)
		: await writeEntry(client, invoiceId, entry, itemIndex);
	const winner = await settleClaim(client, invoiceId, claim, isPayment(input.reference), itemIndex);
	if (winner.note.Id === claim.note.Id) return claim;
	if (winner.entry.state === 'done') return already(invoice, winner as JournalNote<PaymentEntry>);
	throw itemError(
		client.node,
		`Another execution is recording payment reference ${input.reference} on invoice ${String(invoice.InvoiceNumber)} at this moment`,
		itemIndex,
		'Nothing was written by this item. Run it again in a minute: it then reports the payment the other execution recorded.',
	);
}

/** The payment itself; after a lost answer it is only looked for (through the remaining amount). */
async function postPayment(
	client: VismaClient,
	{ itemIndex, invoiceId }: PaymentRequest,
	plan: { body: object; entry: PaymentEntry },
	claim: JournalNote<PaymentEntry>,
): Promise<Record<string, unknown>> {
	try {
		return await client.request<Record<string, unknown>>({
			method: 'POST',
			path: resourcePath(INVOICE.path, invoiceId, 'payments'),
			body: plan.body,
			action: 'payment',
			itemIndex,
			// Paying twice is the one thing this must not do: after a lost answer, only look.
			resend: 'never',
			verify: async () => {
				const now = await client.getById<VismaInvoice>(INVOICE.path, invoiceId, itemIndex);
				return now && settlePending(plan.entry, remainingOf(now)) === 'applied'
					? { verifiedBy: 'remainingAmount' }
					: undefined;
			},
			lostAnswer: `The payment may have been recorded: the answer was lost and the invoice's remaining amount did not show it in time. It was not sent again. Run this item again: its note on the invoice (${claim.note.Id}) and the remaining amount tell whether it went through, and it is never recorded twice.`,
		});
	} catch (error) {
		// Refused: provably not recorded, so the note says so and a re-run may try again.
		if (isRefusal(readFailure(error)))
			await updateEntry(client, claim, { ...plan.entry, state: 'failed' }, itemIndex).catch(
				() => undefined,
			);
		throw passOn(client.node, error);
	}
}

function already(invoice: VismaInvoice, found: JournalNote<PaymentEntry>): PaymentResult {
	return { outcome: 'alreadyRecorded', invoice, entry: found.entry, noteId: found.note.Id };
}

/** Whether two payments with one payment reference disagree on what was asked (for the output). */
export const differs = (entry: PaymentEntry, input: PaymentInput) =>
	(input.amount !== undefined && !sameAmount(entry.amount, input.amount)) ||
	entry.date !== input.date;

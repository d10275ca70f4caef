import type { SendEntry } from '../domain/journal';
import type { SendInput } from '../domain/send';
import { E_INVOICE_TYPES, emailBody } from '../domain/send';
import type { VismaInvoice } from '../domain/visma';
import { INVOICE } from '../records/invoice';
import type { VismaClient } from '../transport';
import { isRefusal, passOn, readFailure, resourcePath } from '../transport';
import type { JournalNote } from './invoiceJournal';
import { readJournal, settleClaim, updateEntry, withJournal, writeEntry } from './invoiceJournal';
import { itemError } from './outcome';

export interface SendRequest {
	itemIndex: number;
	invoiceId: string;
	input: SendInput;
}

export interface SendResult {
	outcome: 'sent' | 'alreadySent';
	invoice: VismaInvoice;
	entry: SendEntry;
	noteId: string;
	/** Sends of this invoice the journal knew before this one (with Send Again). */
	earlier: SendEntry[];
	warning?: string;
}

const isSend = (entry: { kind: string }) => entry.kind === 'send';

/**
 * Send for one item, by email or as an e-invoice. Visma shows no sign that an invoice was
 * sent, so the node relies on its journal note on the invoice: a send it did (or started and
 * could not confirm) is not repeated unless Send Again is on.
 */
export async function sendInvoice(client: VismaClient, request: SendRequest): Promise<SendResult> {
	const { itemIndex, invoiceId, input } = request;
	return await withJournal(client, invoiceId, async () => {
		const { invoice, notes } = await readJournal(client, invoiceId, itemIndex);
		const sends = notes.filter(({ entry }) => isSend(entry)) as Array<JournalNote<SendEntry>>;
		const earlier = sends.map(({ entry }) => entry).filter((e) => e.state === 'done');
		if (!input.sendAgain) {
			const done = alreadySent(client, request, invoice, sends);
			if (done) return { ...done, earlier };
		}
		const entry: SendEntry = {
			kind: 'send',
			state: 'pending',
			via: input.via,
			...(input.via === 'email' && input.email.to ? { to: input.email.to } : {}),
			at: new Date().toISOString(),
		};
		const claim = await claimSend(client, request, invoice, entry);
		await postSend(client, request, invoice, entry, claim);

		const sent: SendEntry = { ...entry, state: 'done' };
		try {
			const marked = await updateEntry(client, claim, sent, itemIndex);
			return { outcome: 'sent', invoice, entry: sent, noteId: marked.note.Id, earlier };
		} catch (error) {
			return {
				outcome: 'sent',
				invoice,
				entry: sent,
				noteId: claim.note.Id,
				earlier,
				warning: `The invoice was sent, but its note could not be marked sent (${error instanceof Error ? error.message : String(error)}). A re-run without Send Again will refuse to send it, as it cannot tell.`,
			};
		}
	});
}

const numberOf = (invoice: VismaInvoice, invoiceId: string) =>
	String(invoice.InvoiceNumber ?? invoiceId);

/** Without Send Again: a send the journal knows is reported; one it cannot confirm fails the item. */
function alreadySent(
	client: VismaClient,
	{ itemIndex, invoiceId }: SendRequest,
	invoice: VismaInvoice,
	sends: Array<JournalNote<SendEntry>>,
): Omit<SendResult, 'earlier'> | undefined {
	const done = sends.find(({ entry }) => entry.state === 'done');
	if (done) return { outcome: 'alreadySent', invoice, entry: done.entry, noteId: done.note.Id };
	const pending = sends.find(({ entry }) => entry.state === 'pending');
	if (pending)
		throw itemError(
			client.node,
			`Invoice ${numberOf(invoice, invoiceId)} may already have been sent: an earlier send (${pending.entry.at}) did not finish`,
			itemIndex,
			`Its note on the invoice (${pending.note.Id}) says the send was started but not confirmed, and Visma shows no sign of sent invoices. Check with the recipient, then turn on Send Again to send it anyway. Nothing was sent now.`,
		);
	return undefined;
}

/** The pending note; without Send Again only the earliest claim of parallel executions sends. */
async function claimSend(
	client: VismaClient,
	{ itemIndex, invoiceId, input }: SendRequest,
	invoice: VismaInvoice,
	entry: SendEntry,
): Promise<JournalNote<SendEntry>> {
	const claim = await writeEntry(client, invoiceId, entry, itemIndex);
	if (input.sendAgain) return claim;
	const winner = await settleClaim(client, invoiceId, claim, isSend, itemIndex);
	if (winner.note.Id !== claim.note.Id)
		throw itemError(
			client.node,
			`Another execution is sending invoice ${numberOf(invoice, invoiceId)} at this moment`,
			itemIndex,
			'Nothing was sent by this item. Run it again in a minute: it then reports the send of the other execution.',
		);
	return claim;
}

/** The send itself: never repeated after a lost answer, and a refusal marks the note failed. */
async function postSend(
	client: VismaClient,
	{ itemIndex, invoiceId, input }: SendRequest,
	invoice: VismaInvoice,
	entry: SendEntry,
	claim: JournalNote<SendEntry>,
): Promise<void> {
	try {
		await client.request({
			method: 'POST',
			path: resourcePath(INVOICE.path, invoiceId, input.via === 'email' ? 'email' : 'einvoice'),
			body:
				input.via === 'email' ? emailBody(input.email) : { SendType: E_INVOICE_TYPES[input.type] },
			action: input.via === 'email' ? 'invoice email' : 'e-invoice',
			itemIndex,
			lostAnswer: `Invoice ${numberOf(invoice, invoiceId)} may or may not have been sent: the answer was lost. It was not sent again, and its note on the invoice (${claim.note.Id}) stays "sending", so a re-run does not send it either. Check with the recipient, then run with Send Again if it did not arrive.`,
		});
	} catch (error) {
		// Refused: provably not sent, so the note says so and a re-run may try again.
		if (isRefusal(readFailure(error)))
			await updateEntry(client, claim, { ...entry, state: 'failed' }, itemIndex).catch(
				() => undefined,
			);
		throw passOn(client.node, error);
	}
}

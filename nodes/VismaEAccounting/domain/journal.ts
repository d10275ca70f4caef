/**
 * Visma shows neither whether an invoice was sent nor which payments it has (only what
 * remains). So the node keeps a journal of what it did on the invoice itself, in notes
 * (POST /notes attached to the invoice, listed in the invoice's `Notes`): one note per send or
 * payment, written as "pending" before the call and marked "done" after it. A re-run reads the
 * notes first, so it never sends or pays twice what the journal knows about. People see the
 * notes in eAccounting too.
 */

/** Visma's limits of a note (NoteApi). */
export const NOTE_LIMITS = { Text: 256, Subject: 40 } as const;

/** NoteApi.DocumentType of a customer invoice. */
export const NOTE_ON_INVOICE = 1;

export type JournalState = 'pending' | 'done' | 'failed' | 'withdrawn';

export interface SendEntry {
	kind: 'send';
	state: JournalState;
	/** 'email' or 'eInvoice'. */
	via: string;
	/** The recipient asked for, when the user gave one (empty: the customer's address). */
	to?: string;
	at: string;
}

export interface PaymentEntry {
	kind: 'payment';
	state: JournalState;
	/** The Payment Reference (`ref` in notes already written, so it stays). */
	ref: string;
	amount: number;
	currency: string;
	date: string;
	/** What remained on the invoice before this payment: how a re-run tells whether it went through. */
	before: number;
	at: string;
}

export type JournalEntry = SendEntry | PaymentEntry;

const MARKER = '[n8n] ';

const SUBJECTS: Record<JournalEntry['kind'], Record<JournalState, string>> = {
	send: {
		pending: 'n8n: sending invoice',
		done: 'n8n: invoice sent',
		failed: 'n8n: sending failed',
		withdrawn: 'n8n: send withdrawn',
	},
	payment: {
		pending: 'n8n: recording payment',
		done: 'n8n: payment recorded',
		failed: 'n8n: payment refused',
		withdrawn: 'n8n: payment withdrawn',
	},
};

/** Subject and Text of the note for an entry, within Visma's limits. */
export function noteFor(entry: JournalEntry): { Subject: string; Text: string; IsDone: boolean } {
	let text = MARKER + JSON.stringify(entry);
	// A long recipient is the only part that can push a send note over the limit: leave it out.
	if (text.length > NOTE_LIMITS.Text && entry.kind === 'send')
		text = MARKER + JSON.stringify({ ...entry, to: undefined });
	return {
		Subject: SUBJECTS[entry.kind][entry.state],
		Text: text,
		IsDone: entry.state !== 'pending',
	};
}

/** The longest payment reference whose note fits Visma's 256 characters with the other fields. */
export function paymentNoteFits(entry: PaymentEntry): boolean {
	return noteFor(entry).Text.length <= NOTE_LIMITS.Text;
}

/** The journal entry a note holds, or undefined for anybody else's note. */
export function parseNote(text: unknown): JournalEntry | undefined {
	if (typeof text !== 'string' || !text.startsWith(MARKER)) return undefined;
	try {
		const entry = JSON.parse(text.slice(MARKER.length)) as JournalEntry;
		if (entry.kind === 'send' && typeof entry.via === 'string') return entry;
		if (
			entry.kind === 'payment' &&
			typeof entry.ref === 'string' &&
			typeof entry.amount === 'number' &&
			typeof entry.before === 'number'
		)
			return entry;
	} catch {
		// Not ours after all.
	}
	return undefined;
}

/** Whether an entry still counts: done, or pending (its outcome unknown). */
export const isLive = (entry: JournalEntry) => entry.state === 'done' || entry.state === 'pending';

/** Amounts equal to the cent. */
export const sameAmount = (a: number, b: number) => Math.abs(a - b) < 0.005;

/**
 * What a pending payment entry means now, from what remains on the invoice: it went through
 * (the remaining amount dropped by it), it did not (nothing changed), or it is unclear.
 */
export function settlePending(
	entry: PaymentEntry,
	remainingNow: number,
): 'applied' | 'notApplied' | 'unclear' {
	const paid = entry.before - remainingNow;
	// A complete payment closes the invoice whatever its amount.
	if (sameAmount(paid, entry.amount) || (remainingNow <= 0 && entry.amount >= entry.before))
		return 'applied';
	if (sameAmount(paid, 0)) return 'notApplied';
	return 'unclear';
}

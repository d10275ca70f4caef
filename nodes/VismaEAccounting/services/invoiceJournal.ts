import { sleep } from 'n8n-workflow';

import type { JournalEntry } from '../domain/journal';
import { NOTE_ON_INVOICE, isLive, noteFor, parseNote } from '../domain/journal';
import { earliest } from '../domain/invoice';
import type { VismaInvoice } from '../domain/visma';
import { INVOICE } from '../records/invoice';
import { NOTE } from '../records/salesDocument';
import type { VismaClient } from '../transport';
import { clampDelay, pacing, resourcePath, withKeys } from '../transport';
import { itemError } from './outcome';

/**
 * The journal the node keeps on an invoice (see domain/journal.ts): notes it wrote, read back
 * before every send or payment, so repeating one is seen before anything is written.
 */
export interface VismaNote {
	Id: string;
	Text?: string;
	Subject?: string | null;
	AttachedTo?: string | null;
	DocumentType?: number;
	IsDone?: boolean;
	CreatedUtc?: string | null;
	[key: string]: unknown;
}

export interface JournalNote<E extends JournalEntry = JournalEntry> {
	note: VismaNote;
	entry: E;
}

export interface InvoiceJournal {
	invoice: VismaInvoice;
	notes: JournalNote[];
}

/** The invoice (by ID) and the journal notes on it. */
export async function readJournal(
	client: VismaClient,
	invoiceId: string,
	itemIndex: number,
): Promise<InvoiceJournal> {
	const invoice = await client.getById<VismaInvoice>(INVOICE.path, invoiceId, itemIndex);
	if (!invoice)
		throw itemError(
			client.node,
			`Invoice with ID ${invoiceId} is not in eAccounting`,
			itemIndex,
			'Check the ID. Nothing was written.',
		);
	const ids = (invoice.Notes as string[] | null | undefined) ?? [];
	const notes = [...(await client.getByIds<VismaNote>(NOTE.path, ids)).values()].flatMap((note) => {
		const entry = parseNote(note.Text);
		return entry ? [{ note, entry }] : [];
	});
	return { invoice, notes };
}

/**
 * Runs `fn` while this process holds the invoice's journal: sends and payments of one invoice
 * in parallel executions take turns, so each reads what the one before it wrote.
 */
export async function withJournal<T>(
	client: VismaClient,
	invoiceId: string,
	fn: () => Promise<T>,
): Promise<T> {
	return await withKeys([`${client.scope}|journal|${invoiceId.toLowerCase()}`], fn);
}

/** Writes a new journal note on the invoice. */
export async function writeEntry<E extends JournalEntry>(
	client: VismaClient,
	invoiceId: string,
	entry: E,
	itemIndex: number,
): Promise<JournalNote<E>> {
	const note = await client.request<VismaNote>({
		method: 'POST',
		path: `/${NOTE.path}`,
		body: { ...noteFor(entry), AttachedTo: invoiceId, DocumentType: NOTE_ON_INVOICE },
		action: 'note on the invoice',
		itemIndex,
		// A second note would be harmless (the earliest counts), so a lost answer may be repeated.
	});
	return { note, entry };
}

/** Replaces a journal note's entry (PUT sends the whole note back, as Visma replaces it). */
export async function updateEntry<E extends JournalEntry>(
	client: VismaClient,
	current: JournalNote,
	entry: E,
	itemIndex: number,
): Promise<JournalNote<E>> {
	const note = await client.request<VismaNote>({
		method: 'PUT',
		path: resourcePath(NOTE.path, current.note.Id),
		body: {
			...noteFor(entry),
			AttachedTo: current.note.AttachedTo,
			DocumentType: current.note.DocumentType,
		},
		action: 'note on the invoice',
		itemIndex,
	});
	return { note, entry };
}

/**
 * Another process (a queue-mode worker) may have claimed the same send or payment at the same
 * moment. After a pause, look again: of the live notes `same` matches, the earliest (by
 * creation time, then ID) wins, everywhere alike. Returns the winner; when it is not `mine`,
 * `mine` is withdrawn and the caller must not write.
 */
export async function settleClaim(
	client: VismaClient,
	invoiceId: string,
	mine: JournalNote,
	same: (entry: JournalEntry) => boolean,
	itemIndex: number,
): Promise<JournalNote> {
	await sleep(clampDelay(pacing().twinDelayMs));
	const { notes } = await readJournal(client, invoiceId, itemIndex);
	const rivals = notes.filter(
		({ note, entry }) => note.Id !== mine.note.Id && isLive(entry) && same(entry),
	);
	rivals.push(mine);
	const first = earliest(rivals.map((r) => r.note));
	const winner = first ? rivals.find((r) => r.note.Id === first.Id)! : mine;
	if (winner.note.Id !== mine.note.Id)
		await updateEntry(client, mine, { ...mine.entry, state: 'withdrawn' }, itemIndex);
	return winner;
}

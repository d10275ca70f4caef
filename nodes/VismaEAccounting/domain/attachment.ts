import type { Checker } from './check';

/**
 * Files attached to a draft or an invoice (Visma's sales document attachments). Visma allows
 * PDF, JPEG, PNG and TIFF and file names of at most 128 characters; it documents no size
 * limit, so the node assumes 5 MiB (the simulator enforces the same) and refuses more before
 * anything is written.
 */
export const ATTACHMENT_LIMITS = {
	FileName: 128,
	maxBytes: 5 * 1024 * 1024,
} as const;

export const ATTACHMENT_TYPES = {
	'application/pdf': { label: 'PDF', extension: 'pdf' },
	'image/jpeg': { label: 'JPEG', extension: 'jpg' },
	'image/png': { label: 'PNG', extension: 'png' },
	'image/tiff': { label: 'TIFF', extension: 'tif' },
} as const;

export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;

/** One file to attach, checked. `data` is the content as base64, as Visma takes it. */
export interface AttachmentFile {
	/** The binary property of the input item it came from. */
	property: string;
	fileName: string;
	contentType: AttachmentContentType;
	size: number;
	data: string;
}

/** What Visma says about an attachment a document already has. */
export interface ExistingAttachment {
	Id: string;
	OriginalFilename?: string | null;
	DocumentSize?: number;
	CreatedUtc?: string | null;
}

const startsWith = (bytes: Uint8Array, head: number[]) => head.every((b, i) => bytes[i] === b);

/** The type the content says it is, by its first bytes: the declared MIME type can be wrong. */
export function sniffContentType(bytes: Uint8Array): AttachmentContentType | undefined {
	if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
		return 'image/tiff';
	return undefined;
}

/** "data, report" or ["data", "report"] as a list of binary property names, each once. */
export function attachmentProperties(c: Checker, field: string, raw: unknown): string[] {
	if (raw === undefined || raw === null || raw === '') return [];
	const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
	if (!parts) {
		c.fail(field, 'must be a comma-separated list of binary property names');
		return [];
	}
	const names: string[] = [];
	for (const part of parts) {
		const name = c.text(field, part, { max: 200, identifier: true });
		if (name && !names.includes(name)) names.push(name);
	}
	return names;
}

const describeSize = (bytes: number) =>
	bytes >= 1024 * 1024
		? `${(bytes / 1024 / 1024).toFixed(1)} MB`
		: bytes >= 1024
			? `${(bytes / 1024).toFixed(1)} kB`
			: `${bytes} bytes`;

/**
 * Checks one binary file before anything is written: a type Visma allows (by content), not
 * empty, not over the size limit, a one-line name within Visma's length. The file name is the
 * binary's own, or `<property>.<extension>` when it has none.
 */
export function checkAttachment(
	c: Checker,
	property: string,
	file: { fileName?: string; mimeType?: string; bytes: Uint8Array },
): AttachmentFile | undefined {
	const field = `Attachment "${property}"`;
	const size = file.bytes.length;
	if (size === 0) return c.fail(field, 'is an empty file');
	if (size > ATTACHMENT_LIMITS.maxBytes)
		return c.fail(
			field,
			`is too large: ${describeSize(size)}, the node attaches at most ${describeSize(ATTACHMENT_LIMITS.maxBytes)}`,
		);
	const contentType = sniffContentType(file.bytes);
	if (!contentType) {
		const declared = file.mimeType ? ` (its type is ${file.mimeType})` : '';
		return c.fail(field, `is not a PDF, JPEG, PNG or TIFF file${declared}`);
	}
	const fallback = `${property}.${ATTACHMENT_TYPES[contentType].extension}`;
	const fileName = c.text(`${field}: File Name`, file.fileName || fallback, {
		max: ATTACHMENT_LIMITS.FileName,
	});
	if (fileName === undefined) return undefined;
	return {
		property,
		fileName,
		contentType,
		size,
		data: Buffer.from(file.bytes).toString('base64'),
	};
}

/**
 * Whether the document already has this file: the same name (without regard to case) and the
 * same size. Visma keeps no checksum, so this is the comparison it allows without downloading.
 */
export function sameFile(existing: ExistingAttachment, file: AttachmentFile): boolean {
	return (
		(existing.OriginalFilename ?? '').toLowerCase() === file.fileName.toLowerCase() &&
		existing.DocumentSize === file.size
	);
}

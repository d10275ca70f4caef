import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AttachmentFile } from '../../domain/attachment';
import { attachmentProperties, checkAttachment } from '../../domain/attachment';
import type { Checker } from '../../domain/check';
import type { LocatableType } from '../../records/types';
import type { AttachmentReport, DocumentKind } from '../../services/attachments';
import { attachFiles } from '../../services/attachments';
import type { Outcome } from '../../services/outcome';
import { success } from '../../services/outcome';
import { summaryOf } from '../../transport';
import { recordLocator } from './fields';
import { checkEachItem, emitOutcomes } from './items';
import { idsOf, readLocator } from './locator';
import type { Operation, OperationOption } from './types';

const HINT =
	'PDF, JPEG, PNG or TIFF, at most 5 MB and a name of at most 128 characters. A file the document already has (same name and size) is not attached again.';

/** The Attachments option of Export Invoice as Draft and Create Draft Invoice. */
export const attachmentsOption: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'string',
	default: '',
	placeholder: 'e.g. data, workReport',
	description:
		"Binary properties of the input item to attach to the draft, separated by commas, for example the approved invoice's PDF from the source app",
	hint: HINT,
};

/** The Binary Properties parameter of the Add Attachment operations. */
export const binaryPropertiesProperty: INodeProperties = {
	displayName: 'Input Binary Fields',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	placeholder: 'e.g. data, workReport',
	description: 'Binary properties of the input item to attach, separated by commas',
	hint: HINT,
};

/**
 * The files an item names, read and checked before anything is written: a property the item
 * lacks, a type Visma does not take, an empty or too large file, or a long name is a problem of
 * that item, named with the property.
 */
export async function readAttachments(
	ctx: IExecuteFunctions,
	c: Checker,
	itemIndex: number,
	raw: unknown,
	field = 'Attachments',
): Promise<AttachmentFile[]> {
	const files: AttachmentFile[] = [];
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	for (const property of attachmentProperties(c, field, raw)) {
		if (!binary[property]) {
			const present = Object.keys(binary);
			c.fail(
				`Attachment "${property}"`,
				`is not a binary property of the input item (${present.length ? `it has ${present.map((p) => `"${p}"`).join(', ')}` : 'it has no binary data'})`,
			);
			continue;
		}
		const data = ctx.helpers.assertBinaryData(itemIndex, property);
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		const file = checkAttachment(c, property, {
			fileName: data.fileName,
			mimeType: data.mimeType,
			bytes,
		});
		if (file) files.push(file);
	}
	return files;
}

/**
 * A draft result with what happened to its files. The draft is there whatever happened to
 * them: a failed attachment never hides it, it is reported with a warning.
 */
export function withAttachments(
	json: IDataObject,
	files: AttachmentFile[],
	outcome: Outcome<AttachmentReport[]> | undefined,
	documentLabel: string,
): IDataObject {
	if (files.length === 0) return json;
	if (outcome?.ok) return { ...json, attachments: outcome.value as unknown as IDataObject[] };
	const reason = outcome ? summaryOf(outcome.error) : 'it was not tried';
	const warning = `The ${documentLabel} is there, but its files could not be attached: ${reason}. Run the item again (files the ${documentLabel} has are not attached twice) or use Add Attachment.`;
	return {
		...json,
		attachments: files.map((f) => ({
			property: f.property,
			fileName: f.fileName,
			contentType: f.contentType,
			size: f.size,
			outcome: 'failed',
		})),
		warning: json.warning ? `${String(json.warning)} ${warning}` : warning,
	};
}

/**
 * Add Attachment of drafts and of booked invoices: the same parameters and rules, on the
 * document the locator names.
 */
export function addAttachmentOperation(
	kind: DocumentKind,
	record: LocatableType,
	option: OperationOption,
	locatorDescription: string,
): Operation {
	return {
		option,
		description: [recordLocator(record, locatorDescription), binaryPropertiesProperty],
		async execute(items, client) {
			const files = new Map<number, AttachmentFile[]>();
			const { requests, invalid } = await checkEachItem(this, items, async (c, i) => {
				const which = readLocator(
					c,
					this.getNodeParameter(record.locator.parameter, i),
					record.label,
					record,
				);
				files.set(
					i,
					await readAttachments(
						this,
						c,
						i,
						this.getNodeParameter('binaryPropertyName', i, ''),
						'Input Binary Fields',
					),
				);
				if (c.ok && (files.get(i) ?? []).length === 0)
					c.fail('Input Binary Fields', 'is required: name at least one binary property');
				return { which: which ?? { id: '' } };
			});
			// Documents named by number (invoices) cost one batched look-up.
			const documents = await idsOf(client, record, requests);
			const attach = requests.flatMap((r, k) =>
				documents[k].ok
					? [
							{
								itemIndex: r.itemIndex,
								kind,
								documentId: documents[k].value,
								files: files.get(r.itemIndex) ?? [],
							},
						]
					: [],
			);
			const reports = await attachFiles(client, attach);
			const byItem = new Map(attach.map((a, j) => [a.itemIndex, reports[j]]));
			const outcomes = requests.map((r, k): Outcome<IDataObject> => {
				const document = documents[k];
				if (!document.ok) return document;
				const report = byItem.get(r.itemIndex)!;
				return report.ok
					? success({
							documentId: document.value,
							documentType: kind,
							attachments: report.value as unknown as IDataObject[],
						})
					: report;
			});
			return emitOutcomes(this, items.length, invalid, requests, outcomes, (json) => json);
		},
	};
}

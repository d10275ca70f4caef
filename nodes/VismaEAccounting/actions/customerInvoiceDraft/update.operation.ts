import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkDraftFields, checkRows } from '../../domain/invoice';
import type { VismaDraft } from '../../domain/visma';
import { DRAFT } from '../../records/draft';
import type { DraftChanges } from '../../services/updateDraft';
import { updateDraft } from '../../services/updateDraft';
import { recordLocator } from '../shared/fields';
import { updateOperation } from '../shared/operations';
import {
	defaultArticleProperty,
	draftFieldsProperty,
	readDefaultArticleLocator,
	readDraftParameters,
	rowsProperties,
} from './fields';

const properties: INodeProperties[] = [
	recordLocator(DRAFT, 'The draft invoice to change: pick it from the list, or give its ID'),
	{
		...draftFieldsProperty,
		displayName: 'Update Fields',
		description: 'Only the fields added here change; everything else stays as it is in eAccounting',
	},
	{
		displayName: 'Replace Rows',
		name: 'replaceRows',
		type: 'boolean',
		default: false,
		description:
			'Whether to replace all rows of the draft with the rows given below. Off: the rows stay as they are.',
	},
	...updateDisplayOptions({ show: { replaceRows: [true] } }, [
		...rowsProperties,
		defaultArticleProperty,
	]),
];

export const { option, description, execute } = updateOperation(DRAFT, {
	option: {
		name: 'Update',
		description:
			'Change fields of a draft invoice found by ID, and optionally replace all its rows; fields not given stay as they are',
		action: 'Update a draft invoice',
	},
	properties,
	read: async (ctx, c, i): Promise<DraftChanges> => {
		const raw = ctx.getNodeParameter('draftFields', i, {}) as IDataObject;
		const replaceRows = ctx.getNodeParameter('replaceRows', i, false) as boolean;
		const fields = checkDraftFields(c, raw);
		if (!replaceRows) {
			// These decide how rows are built and checked: they change only with the rows.
			const withRows: Array<[string, unknown]> = [
				['Tax Reduction', fields.taxReduction],
				['Reverse-Charge Construction VAT', fields.reverseCharge],
				['Project Number', fields.projectNumber],
			];
			for (const [field, value] of withRows)
				if (value !== undefined)
					c.fail(field, 'changes only together with the rows; turn on Replace Rows');
		}
		return {
			fields,
			// fields.isCreditInvoice is always a boolean; only an added field changes the draft.
			setsCreditInvoice: raw.isCreditInvoice !== undefined,
			// Update has no source reference options: only the rows of readDraftParameters are used.
			rows: replaceRows ? checkRows(c, readDraftParameters(ctx, i, 'noOptions').rows) : undefined,
			defaultArticle: replaceRows ? readDefaultArticleLocator(ctx, c, i) : undefined,
		};
	},
	apply: async (client, existing: VismaDraft, changes, i) => {
		const result = await updateDraft(client, existing, changes, i);
		return {
			...result.draft,
			changedFields: result.changed,
			...(result.matches ? { articleMatches: result.matches } : {}),
		} as IDataObject;
	},
});

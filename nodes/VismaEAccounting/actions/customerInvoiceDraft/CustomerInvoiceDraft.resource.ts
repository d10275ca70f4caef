import { DRAFT } from '../../records/draft';
import { defineResource } from '../shared/types';
import * as addAttachment from './addAttachment.operation';
import * as convert from './convert.operation';
import * as create from './create.operation';
import * as deleteDraft from './delete.operation';
import * as exportInvoice from './exportInvoice.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const customerInvoiceDraft = defineResource({
	displayName: 'Customer Invoice Draft',
	record: DRAFT,
	default: 'create',
	operations: {
		addAttachment,
		convert,
		create,
		delete: deleteDraft,
		exportInvoice,
		get,
		getAll,
		update,
	},
});

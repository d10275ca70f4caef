import { INVOICE } from '../../records/invoice';
import { defineResource } from '../shared/types';
import * as downloadPdf from './downloadPdf.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const customerInvoice = defineResource({
	displayName: 'Customer Invoice',
	record: INVOICE,
	default: 'getAll',
	operations: { downloadPdf, get, getAll },
});

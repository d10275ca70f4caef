import { INVOICE } from '../../records/invoice';
import { defineResource } from '../shared/types';
import * as addAttachment from './addAttachment.operation';
import * as downloadPdf from './downloadPdf.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as recordPayment from './recordPayment.operation';
import * as send from './send.operation';

export const customerInvoice = defineResource({
	displayName: 'Customer Invoice',
	record: INVOICE,
	default: 'getAll',
	operations: { addAttachment, downloadPdf, get, getAll, recordPayment, send },
});

import { INVOICE } from '../../records/invoice';
import { addAttachmentOperation } from '../shared/attachments';

export const { option, description, execute } = addAttachmentOperation(
	'invoice',
	INVOICE,
	{
		name: 'Add Attachment',
		description:
			'Attach files (PDF, JPEG, PNG, TIFF) from the input item to a booked invoice; a file the invoice already has is skipped',
		action: 'Add an attachment to an invoice',
	},
	'The invoice to attach the files to: pick it from the list, or give its ID or invoice number',
);

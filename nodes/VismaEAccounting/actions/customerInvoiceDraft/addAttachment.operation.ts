import { DRAFT } from '../../records/draft';
import { addAttachmentOperation } from '../shared/attachments';

export const { option, description, execute } = addAttachmentOperation(
	'draft',
	DRAFT,
	{
		name: 'Add Attachment',
		description:
			'Attach files (PDF, JPEG, PNG, TIFF) from the input item to a draft invoice; a file the draft already has is skipped',
		action: 'Add an attachment to a draft invoice',
	},
	'The draft invoice to attach the files to: pick it from the list, or give its ID',
);

import { VAT_CODE } from '../../records/referenceData';
import { referenceDataResource } from '../shared/operations';

export const vatCode = referenceDataResource(VAT_CODE, {
	displayName: 'VAT Code',
	description:
		"List the company's VAT codes with their ID, code, description and rate. Needs the ea:accounting or ea:accounting_readonly scope; a credential without it gets a permission error.",
});

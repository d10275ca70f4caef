import { referenceResource } from '../common/referenceData';

export const { operations, description } = referenceResource({
	resource: 'vatCode',
	path: '/vatcodes',
	plural: 'VAT codes',
	description:
		"List the company's VAT codes with their ID, code, description and rate. Needs the ea:accounting or ea:accounting_readonly scope; a credential without it gets a permission error.",
});

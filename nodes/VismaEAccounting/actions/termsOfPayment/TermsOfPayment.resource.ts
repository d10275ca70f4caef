import { TERMS_OF_PAYMENT } from '../../records/referenceData';
import { referenceDataResource } from '../shared/operations';

export const termsOfPayment = referenceDataResource(TERMS_OF_PAYMENT, {
	displayName: 'Terms of Payment',
	description:
		"List the company's terms of payment with their ID, name and number of days; customers and drafts refer to one by ID",
});

import { referenceResource } from '../common/referenceData';

export const { operations, description } = referenceResource({
	resource: 'termsOfPayment',
	path: '/termsofpayments',
	plural: 'terms of payment',
	description:
		"List the company's terms of payment with their ID, name and number of days; customers and drafts refer to one by ID",
});

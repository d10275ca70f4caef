import { referenceResource } from '../common/referenceData';

export const { operations, description } = referenceResource({
	resource: 'articleAccountCoding',
	path: '/articleaccountcodings',
	plural: 'article account codings',
	description:
		"List the company's article account codings with their ID, name, VAT rate and revenue accounts; an article's coding decides its VAT. Codings cannot be created through the API.",
});

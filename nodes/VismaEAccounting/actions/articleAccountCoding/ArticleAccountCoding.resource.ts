import { ARTICLE_ACCOUNT_CODING } from '../../records/referenceData';
import { referenceDataResource } from '../shared/operations';

export const articleAccountCoding = referenceDataResource(ARTICLE_ACCOUNT_CODING, {
	displayName: 'Article Account Coding',
	description:
		"List the company's article account codings with their ID, name, VAT rate and revenue accounts; an article's coding decides its VAT. Codings cannot be created through the API.",
});

import type { INodeProperties } from 'n8n-workflow';

import * as article from './article/Article.resource';
import * as articleAccountCoding from './articleAccountCoding/ArticleAccountCoding.resource';
import * as company from './company/Company.resource';
import * as customer from './customer/Customer.resource';
import * as customerInvoice from './customerInvoice/CustomerInvoice.resource';
import * as customerInvoiceDraft from './customerInvoiceDraft/CustomerInvoiceDraft.resource';
import * as termsOfPayment from './termsOfPayment/TermsOfPayment.resource';
import * as unit from './unit/Unit.resource';
import * as vatCode from './vatCode/VatCode.resource';
import type { OperationMap } from './common/types';

interface Resource {
	operations: OperationMap;
	description: INodeProperties[];
}

/** Every resource of the node; the router and the node description both read this list. */
export const resources: Record<string, Resource> = {
	customer,
	article,
	customerInvoiceDraft,
	customerInvoice,
	company,
	unit,
	articleAccountCoding,
	termsOfPayment,
	vatCode,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Article', value: 'article' },
		{ name: 'Article Account Coding', value: 'articleAccountCoding' },
		{ name: 'Company', value: 'company' },
		{ name: 'Customer', value: 'customer' },
		{ name: 'Customer Invoice', value: 'customerInvoice' },
		{ name: 'Customer Invoice Draft', value: 'customerInvoiceDraft' },
		{ name: 'Terms of Payment', value: 'termsOfPayment' },
		{ name: 'Unit', value: 'unit' },
		{ name: 'VAT Code', value: 'vatCode' },
	],
	default: 'customerInvoiceDraft',
};

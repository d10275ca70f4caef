import { checkCustomerNumber } from '../domain/customer';
import { CUSTOMER_LIMITS } from '../domain/limits';
import { contains, or } from '../transport/filter';
import type { RecordType } from './types';

export const CUSTOMER = {
	path: 'customers',
	label: 'Customer',
	plural: 'customers',
	key: {
		field: 'CustomerNumber',
		label: 'number',
		kind: 'string',
		check: (c, v) => checkCustomerNumber(c, v),
	},
	limits: CUSTOMER_LIMITS,
	simplify: [
		'Id',
		'CustomerNumber',
		'Name',
		'CorporateIdentityNumber',
		'EmailAddress',
		'Telephone',
		'InvoicePostalCode',
		'InvoiceCity',
		'IsActive',
		'ChangedUtc',
	],
	locator: {
		parameter: 'customer',
		displayName: 'Customer',
		number: { displayName: 'By Number', placeholder: 'e.g. 1001' },
	},
	search: {
		method: 'searchCustomers',
		filter: (text) => or(contains('Name', text), contains('CustomerNumber', text)),
		result: (c) => ({ name: `${String(c.CustomerNumber)} ${String(c.Name)}`, value: String(c.Id) }),
	},
} satisfies RecordType;

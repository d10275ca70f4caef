import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { IfInactive } from '../../services/findOrCreateCustomers';
import { updateFieldsCollection } from '../shared/fields';

/**
 * Customer parameters shared by Customer > Find or Create and Customer Invoice Draft > Export
 * Invoice. The fields other than the number are only used when the customer must be created
 * (or updated, when that option is on).
 */
export const customerNumberProperty: INodeProperties = {
	displayName: 'Customer Number',
	name: 'customerNumber',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1001',
	description:
		'The customer number in eAccounting (at most 16 characters). An existing customer with this number is reused; otherwise a new one is created.',
};

export const customerCoreProperties: INodeProperties[] = [
	{
		displayName: 'Customer Name',
		name: 'customerName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Norrsken Bygg AB',
		description: 'Needed to create the customer (at most 50 characters)',
	},
	{
		displayName: 'Address Line 1',
		name: 'address1',
		type: 'string',
		default: '',
		placeholder: 'e.g. Storgatan 1',
	},
	{
		displayName: 'Postal Code',
		name: 'postalCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. 123 45',
		description: 'Needed to create the customer',
	},
	{
		displayName: 'City',
		name: 'city',
		type: 'string',
		default: '',
		placeholder: 'e.g. Umeå',
		description: 'Needed to create the customer',
	},
];

const termsOfPaymentOption: INodeProperties = {
	displayName: 'Terms of Payment Name or ID',
	name: 'termsOfPaymentId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getTermsOfPayment' },
	default: '',
	description:
		'Payment terms for a new customer. Empty means the company\'s default terms. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** The optional customer fields, as collection options. */
const additionalFieldOptions: INodeProperties[] = [
	{ displayName: 'Address Line 2', name: 'address2', type: 'string', default: '' },
	{
		displayName: 'Country Code',
		name: 'countryCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. SE',
		description: 'Two-letter ISO country code',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'e.g. EUR',
		description: "Invoice currency of the customer. Empty means the company's currency.",
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'e.g. name@example.com',
	},
	{
		displayName: 'Organisation Number',
		name: 'organisationNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 556677-8899',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +46 90 123 45',
	},
	{
		displayName: 'Private Person',
		name: 'isPrivatePerson',
		type: 'boolean',
		default: false,
		description: 'Whether the customer is a private person rather than a company',
	},
	{
		displayName: 'Reverse-Charge Construction VAT',
		name: 'reverseChargeConstruction',
		type: 'boolean',
		default: false,
		description:
			'Whether the customer buys construction services with reverse-charge VAT (omvänd skattskyldighet). eAccounting needs the VAT number with it.',
	},
	termsOfPaymentOption,
	{
		displayName: 'VAT Number',
		name: 'vatNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. SE556677889901',
	},
];

export const customerAdditionalFields: INodeProperties = {
	displayName: 'Additional Customer Fields',
	name: 'customerFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: additionalFieldOptions,
};

/** The customer parameters of one item, with our camelCase keys for the domain checks. */
export function readCustomerParameters(ctx: IExecuteFunctions, i: number): Record<string, unknown> {
	const extra = ctx.getNodeParameter('customerFields', i, {}) as IDataObject;
	return {
		customerNumber: ctx.getNodeParameter('customerNumber', i, ''),
		name: ctx.getNodeParameter('customerName', i, ''),
		address1: ctx.getNodeParameter('address1', i, ''),
		postalCode: ctx.getNodeParameter('postalCode', i, ''),
		city: ctx.getNodeParameter('city', i, ''),
		...extra,
	};
}

/** An Options entry of Find or Create Customer and Export Invoice as Draft. */
export const ifInactiveOption: INodeProperties = {
	displayName: 'If Customer Is Inactive',
	name: 'ifInactive',
	type: 'options',
	options: [
		{
			name: 'Fail',
			value: 'fail',
			description: 'Fail the item with an error naming the customer; nothing is written for it',
		},
		{
			name: 'Reactivate',
			value: 'reactivate',
			description: 'Make the customer active again (outcome updated, changed field IsActive)',
		},
		{
			name: 'Use Anyway',
			value: 'useAnyway',
			description: 'Use the customer as it is; the output says inactive: true',
		},
	],
	default: 'useAnyway',
	description:
		'What to do when the customer with this number exists but is inactive in eAccounting',
};

/** The If Customer Is Inactive choice in an Options collection; Use Anyway when not set. */
export function readIfInactive(options: IDataObject): IfInactive {
	return options.ifInactive === 'reactivate' || options.ifInactive === 'fail'
		? options.ifInactive
		: 'useAnyway';
}

const byName = (a: INodeProperties, b: INodeProperties) =>
	a.displayName.localeCompare(b.displayName);

const activeField: INodeProperties = {
	displayName: 'Active',
	name: 'isActive',
	type: 'boolean',
	default: true,
	description:
		'Whether the customer is active. Inactive customers stay in eAccounting but cannot be invoiced.',
};

const termsField = (description: string): INodeProperties => ({
	...termsOfPaymentOption,
	description: `${description} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
});

/** The shared optional customer fields, plus Active, with terms that also apply to updates. */
export const customerFieldsWithActive: INodeProperties = {
	...customerAdditionalFields,
	options: [
		...additionalFieldOptions.filter((o) => o.name !== 'termsOfPaymentId'),
		termsField(
			"Payment terms. Empty: a new customer gets the company's default terms and an existing one keeps its own.",
		),
		activeField,
	].sort(byName),
};

/** Create: the number is optional, and name, postal code and city are needed. */
export const createProperties: INodeProperties[] = [
	{
		...customerNumberProperty,
		required: false,
		description:
			"Number of the new customer, at most 16 characters; it must not exist yet. Empty: eAccounting assigns the next number from the company's series.",
	},
	...customerCoreProperties.map((p) => (p.name === 'address1' ? p : { ...p, required: true })),
	customerFieldsWithActive,
];

/** Create or Update: the number identifies the customer. */
export const createOrUpdateProperties: INodeProperties[] = [
	{
		...customerNumberProperty,
		description:
			'Identifies the customer (at most 16 characters). A customer with this number is updated with the fields given here; if there is none, it is created.',
	},
	...customerCoreProperties,
	customerFieldsWithActive,
];

/** Update: every field optional, including a new customer number. */
export const updateFieldsProperty = updateFieldsCollection(
	[
		...customerCoreProperties.map((p) => ({
			displayName: p.name === 'customerName' ? 'Name' : p.displayName,
			name: p.name === 'customerName' ? 'name' : p.name,
			type: p.type,
			default: p.default,
			placeholder: p.placeholder,
		})),
		{
			...customerNumberProperty,
			required: false,
			description: 'A new customer number (at most 16 characters)',
		},
		...additionalFieldOptions.filter((o) => o.name !== 'termsOfPaymentId'),
		termsField('New payment terms of the customer.'),
		{
			...activeField,
			description:
				'Whether the customer is active. Turn off to deactivate a customer that cannot be deleted.',
		},
	].sort(byName),
);

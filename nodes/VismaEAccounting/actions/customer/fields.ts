import type { INodeProperties } from 'n8n-workflow';

import { customerAdditionalFields, customerCoreProperties, customerNumberProperty } from '../common/customerFields';
import { updateFieldsCollection } from '../common/descriptions';

const byName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

const activeField: INodeProperties = {
	displayName: 'Active',
	name: 'isActive',
	type: 'boolean',
	default: true,
	description: 'Whether the customer is active. Inactive customers stay in eAccounting but cannot be invoiced.',
};

const termsField = (description: string): INodeProperties => ({
	...(customerAdditionalFields.options as INodeProperties[]).find((o) => o.name === 'termsOfPaymentId')!,
	description: `${description} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
});

/** The shared optional customer fields, plus Active, with terms that also apply to updates. */
export const customerFieldsWithActive: INodeProperties = {
	...customerAdditionalFields,
	options: [
		...(customerAdditionalFields.options as INodeProperties[]).filter((o) => o.name !== 'termsOfPaymentId'),
		termsField("Payment terms. Empty: a new customer gets the company's default terms and an existing one keeps its own."),
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
		{ ...customerNumberProperty, required: false, description: 'A new customer number (at most 16 characters)' },
		...(customerAdditionalFields.options as INodeProperties[]).filter((o) => o.name !== 'termsOfPaymentId'),
		termsField('New payment terms of the customer.'),
		{ ...activeField, description: 'Whether the customer is active. Turn off to deactivate a customer that cannot be deleted.' },
	].sort(byName),
);

import { INVOICE } from '../../records/invoice';
import { and, anyOf, value } from '../../transport';
import { customerFilter, customerIdFilter } from '../shared/filters';
import { getManyOperation } from '../shared/operations';

export const { option, description, execute } = getManyOperation(INVOICE, {
	option: {
		name: 'Get Many',
		description:
			"List booked customer invoices, optionally only one customer's, changed since a time, or by payment status (paid, unpaid, overdue). Returns one item per invoice.",
		action: 'Get many invoices',
	},
	filters: [
		{
			displayName: 'Changed Since',
			name: 'changedSince',
			type: 'dateTime',
			default: '',
			description:
				'Only invoices created or changed (for example paid) at or after this time. A time without a zone is read as UTC.',
		},
		customerFilter,
		{
			displayName: 'Payment Status',
			name: 'paymentStatus',
			type: 'multiOptions',
			options: [
				{ name: 'Overdue', value: 2, description: 'Not fully paid and past its due date' },
				{ name: 'Paid', value: 0, description: 'Nothing left to pay' },
				{ name: 'Unpaid', value: 1, description: 'Not fully paid, not yet due' },
			],
			default: [],
			description:
				'Only invoices in one of these payment states. For everything still owed, pick Unpaid and Overdue.',
		},
	],
	query: async (ctx, c, filters, itemIndex, client) => {
		const customer = await customerIdFilter(ctx, c, filters, itemIndex, client);
		// Visma has a query parameter for "changed since" on invoices rather than a filterable field.
		const since = c.timestamp('Changed Since', filters.changedSince);
		const states = ((filters.paymentStatus as number[] | undefined) ?? []).map((s) =>
			value.number(c.number('Payment Status', s, { integer: true, min: 0, max: 2 }) ?? 0),
		);
		return {
			filter: and(customer.filter, anyOf('PaymentStatus', states)),
			qs: { modifiedSinceUtc: since },
		};
	},
});

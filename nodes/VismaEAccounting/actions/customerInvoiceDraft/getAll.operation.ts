import { DRAFT } from '../../records/draft';
import { and } from '../../transport';
import { customerFilter, customerIdFilter, sinceFilter } from '../shared/filters';
import { getManyOperation } from '../shared/operations';

export const { option, description, execute } = getManyOperation(DRAFT, {
	option: {
		name: 'Get Many',
		description:
			'List draft invoices, optionally only those of one customer or created since a time. Returns one item per draft.',
		action: 'Get many draft invoices',
	},
	filters: [
		{
			displayName: 'Created Since',
			name: 'createdSince',
			type: 'dateTime',
			default: '',
			description:
				'Only drafts created at or after this time. A time without a zone is read as UTC.',
		},
		customerFilter,
	],
	query: async (ctx, c, filters, itemIndex, client) => {
		const customer = await customerIdFilter(ctx, c, filters, itemIndex, client);
		return {
			filter: and(
				customer.filter,
				sinceFilter(c, 'Created Since', filters.createdSince, 'CreatedUtc'),
			),
		};
	},
});

import { and } from '../../transport';
import { customerFilter, customerIdFilter, sinceFilter } from '../common/filters';
import { getManyOperation } from '../common/recordOperations';

export const { description, execute } = getManyOperation({
	resource: 'customerInvoiceDraft',
	path: '/customerinvoicedrafts',
	simplify: 'draft',
	filters: [
		{
			displayName: 'Created Since',
			name: 'createdSince',
			type: 'dateTime',
			default: '',
			description: 'Only drafts created at or after this time. A time without a zone is read as UTC.',
		},
		customerFilter,
	],
	query: async (ctx, c, filters, itemIndex, client) => {
		const customer = await customerIdFilter(ctx, c, filters, itemIndex, client);
		return { filter: and(customer.filter, sinceFilter(c, 'Created Since', filters.createdSince, 'CreatedUtc')) };
	},
});

import type { INodeProperties } from 'n8n-workflow';

import { PROJECT_STATUS } from '../../domain/project';
import { PROJECT } from '../../records/project';
import { and, contains, eq, value } from '../../transport';
import { changedSinceFilter, nameContainsFilter } from '../shared/fields';
import { sinceFilter } from '../shared/filters';
import type { QueryReader } from '../shared/operations';
import { getManyOperation } from '../shared/operations';
import { projectStatusOptions } from './fields';

const filters: INodeProperties[] = [
	changedSinceFilter(PROJECT.plural),
	nameContainsFilter,
	{
		displayName: 'Project Number',
		name: 'number',
		type: 'string',
		default: '',
		description: 'Only the project with exactly this project number',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: projectStatusOptions,
		default: 'ongoing',
		description: 'Only ongoing or only finished projects',
	},
];

const query: QueryReader = async (_ctx, c, f) => {
	const name = c.text('Name Contains', f.nameContains, { max: 100 });
	const number =
		f.number === undefined || f.number === ''
			? undefined
			: PROJECT.key.check(c.scope('Filters'), f.number);
	const since = sinceFilter(c, 'Changed Since', f.changedSince, 'ModifiedUtc');
	const status = f.status === 'ongoing' || f.status === 'finished' ? f.status : undefined;
	if (!c.ok) return {};
	return {
		filter: and(
			name === undefined ? undefined : contains('Name', name),
			number === undefined ? undefined : eq('Number', value.string(number)),
			status === undefined ? undefined : eq('Status', value.number(PROJECT_STATUS[status])),
			since,
		),
	};
};

export const { option, description, execute } = getManyOperation(PROJECT, {
	option: {
		name: 'Get Many',
		description:
			'List projects, optionally filtered by name, project number, status or last change. Returns one item per project.',
		action: 'Get many projects',
	},
	filters,
	query,
});

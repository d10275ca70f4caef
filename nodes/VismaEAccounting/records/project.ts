import { PROJECT_LIMITS } from '../domain/limits';
import { checkProjectNumber } from '../domain/project';
import { contains, or } from '../transport/filter';
import type { RecordType } from './types';

/**
 * Projects (jobs). Reading them needs ea:sales (or any other read scope); creating them needs
 * ea:accounting, which the credential asks for only under Additional Scopes.
 */
export const PROJECT = {
	path: 'projects',
	label: 'Project',
	plural: 'projects',
	key: {
		field: 'Number',
		label: 'number',
		kind: 'string',
		check: (c, v) => checkProjectNumber(c, v),
	},
	limits: PROJECT_LIMITS,
	simplify: [
		'Id',
		'Number',
		'Name',
		'Status',
		'StartDate',
		'EndDate',
		'CustomerId',
		'CustomerName',
		'ModifiedUtc',
	],
	locator: {
		parameter: 'project',
		displayName: 'Project',
		number: { displayName: 'By Number', placeholder: 'e.g. P100' },
	},
	search: {
		method: 'searchProjects',
		filter: (text) => or(contains('Name', text), contains('Number', text)),
		result: (p) => ({ name: `${String(p.Number)} ${String(p.Name)}`, value: String(p.Id) }),
	},
} satisfies RecordType;

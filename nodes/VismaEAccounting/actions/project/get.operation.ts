import { PROJECT } from '../../records/project';
import { getOperation } from '../shared/operations';

export const { option, description, execute } = getOperation(PROJECT, {
	option: {
		name: 'Get',
		description: 'Get one project by ID or project number',
		action: 'Get a project',
	},
	locator: 'The project to get: pick it from the list, or give its ID or project number',
});

import { referenceResource } from '../common/referenceData';

export const { operations, description } = referenceResource({
	resource: 'unit',
	path: '/units',
	plural: 'units',
	description:
		"List the company's units (such as piece or hour) with their ID, name, code and abbreviation; articles need a unit ID. Units cannot be created through the API.",
});

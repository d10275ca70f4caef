import type { INodePropertyOptions } from 'n8n-workflow';

/** A project's status, as Find or Create sets it and Get Many filters by it. */
export const projectStatusOptions: INodePropertyOptions[] = [
	{ name: 'Finished', value: 'finished' },
	{ name: 'Ongoing', value: 'ongoing' },
];

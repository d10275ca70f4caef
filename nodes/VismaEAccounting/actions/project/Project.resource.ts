import { PROJECT } from '../../records/project';
import { defineResource } from '../shared/types';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const project = defineResource({
	displayName: 'Project',
	record: PROJECT,
	default: 'findOrCreate',
	operations: { findOrCreate, get, getAll },
});

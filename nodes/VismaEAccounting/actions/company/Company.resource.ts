import { defineResource } from '../shared/types';
import * as getSettings from './getSettings.operation';

export const company = defineResource({
	displayName: 'Company',
	default: 'getSettings',
	operations: { getSettings },
});

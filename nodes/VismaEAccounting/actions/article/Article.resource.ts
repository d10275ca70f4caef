import { ARTICLE } from '../../records/article';
import { defineResource } from '../shared/types';
import * as create from './create.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as ensureDefault from './ensureDefault.operation';
import * as findByNumber from './findByNumber.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const article = defineResource({
	displayName: 'Article',
	record: ARTICLE,
	default: 'ensureDefault',
	operations: { create, createOrUpdate, ensureDefault, findByNumber, get, getAll, update },
});

import { CUSTOMER } from '../../records/customer';
import { defineResource } from '../shared/types';
import * as create from './create.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as deleteCustomer from './delete.operation';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const customer = defineResource({
	displayName: 'Customer',
	record: CUSTOMER,
	default: 'findOrCreate',
	operations: { create, createOrUpdate, delete: deleteCustomer, findOrCreate, get, getAll, update },
});

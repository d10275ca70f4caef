import { UNIT } from '../../records/referenceData';
import { referenceDataResource } from '../shared/operations';

export const unit = referenceDataResource(UNIT, {
	displayName: 'Unit',
	description:
		"List the company's units (such as piece or hour) with their ID, name, code and abbreviation; articles need a unit ID. Units cannot be created through the API.",
});

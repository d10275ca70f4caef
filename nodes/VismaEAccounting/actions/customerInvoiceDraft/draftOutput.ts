import type { IDataObject } from 'n8n-workflow';

import type { DraftResult } from '../../services/createDrafts';

/** The draft (or the booked invoice that already carried the reference), plus what we did. */
export function draftJson(result: DraftResult): IDataObject {
	return {
		...(result.draft as IDataObject),
		outcome: result.outcome,
		// Whether duplicate protection was on for this item, and with which reference.
		sourceReference: result.sourceReference ? { ...result.sourceReference } : null,
		...(result.warning ? { warning: result.warning } : {}),
		articleMatches: result.matches,
	};
}

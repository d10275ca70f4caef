import type { IDataObject } from 'n8n-workflow';

import type { DraftResult } from '../../services/drafts';
import type { ExportResult } from '../../services/exportInvoices';

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

/** Export Invoice as Draft: the draft, plus the customer and default article it used. */
export function exportJson(result: ExportResult): IDataObject {
	return {
		...draftJson(result),
		// Already exported: the customer is the one on the existing record; nothing else was touched.
		customer: {
			Id: result.customerResult?.customer.Id ?? result.customer.Id,
			CustomerNumber:
				result.customerResult?.customer.CustomerNumber ?? result.customer.CustomerNumber,
			Name: result.customerResult?.customer.Name ?? result.customer.Name,
			outcome: result.customerResult?.outcome ?? 'found',
			...(result.customerResult?.changed ? { changedFields: result.customerResult.changed } : {}),
			...(result.customerResult?.inactive ? { inactive: true } : {}),
		},
		defaultArticle: result.articleResult
			? {
					Id: result.articleResult.article.Id,
					Number: result.articleResult.article.Number,
					outcome: result.articleResult.outcome,
					...(result.articleResult.chosenAutomatically
						? { chosenAutomatically: result.articleResult.chosenAutomatically as IDataObject }
						: {}),
				}
			: null,
	};
}

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
		// Other records with the same reference (left alone), and later copies this run deleted.
		...(result.twins ? { twins: result.twins as unknown as IDataObject[] } : {}),
		...(result.deletedTwins
			? { deletedTwins: result.deletedTwins as unknown as IDataObject[] }
			: {}),
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
			: result.defaultArticleNotNeeded
				? // No row used it and it does not exist: it was not created.
					{ Id: null, Number: result.defaultArticleNotNeeded, outcome: 'notNeeded' }
				: null,
	};
}

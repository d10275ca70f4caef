import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { lastSeq as lastSeqOf } from '../support/simulator';
import type { TestBed } from './support';

/** The error a run ends with, or undefined when it succeeded. */
export const failureOf = async (run: Promise<unknown>) =>
	await run.then(
		() => undefined,
		(e: unknown) => e as NodeApiError | NodeOperationError,
	);

/** Sequence number of the simulator's last logged request: a mark to look after. */
export const lastSeq = (bed: TestBed) => lastSeqOf(bed.sim);

/** The writes (method and route) the simulator logged after `mark`. */
export const writesAfter = (bed: TestBed, mark: number) =>
	bed.sim.log
		.filter((e) => e.seq > mark && e.method !== 'GET')
		.map((e) => `${e.method} ${e.route}`);

/** A draft's rows as [ArticleId, Text, Quantity, UnitPrice, DiscountPercentage, IsTextRow]. */
export const rowsOf = (draft: Record<string, unknown>) =>
	(draft.Rows as Array<Record<string, unknown>>).map((r) => [
		r.ArticleId,
		r.Text,
		r.Quantity,
		r.UnitPrice,
		r.DiscountPercentage,
		r.IsTextRow,
	]);

/** The drafts that carry this source reference in ContractNumber. */
export const draftsWith = (bed: TestBed, ref: string) =>
	bed.sim.list('customerinvoicedrafts').filter((d) => d.ContractNumber === ref);

import type { Checker } from './check';
import type { DraftFields, RowInput } from './invoice';
import { checkDraftFields, checkRows } from './invoice';
import { TAX_REDUCTION_LABELS } from './taxReduction';
import { workTypeFamily, workTypeName } from './workTypes';

/** The draft fields and rows of one item checked together, before anything is looked up. */

/** A row that is work for a ROT/RUT reduction: it has a type of work, or says it is work. */
export const isWorkRow = (row: RowInput) => row.workType !== undefined || row.isWorkCost === true;

/** Whether any article row of this draft carries reverse-charge construction VAT. */
export const asksReverseCharge = (fields: DraftFields, rows: RowInput[]) =>
	rows.some((r) => !r.isTextRow && (r.reverseCharge ?? fields.reverseCharge) === true);

/**
 * The checks that need the draft fields and the rows together: what a tax reduction needs of
 * the rows (work rows with their type and hours, green technology types) and what it excludes.
 */
export function checkRowsOfDraft(c: Checker, fields: DraftFields, rows: RowInput[]): void {
	const t = fields.taxReduction ?? undefined;
	const label = t ? TAX_REDUCTION_LABELS[t.type] : '';
	if (t && asksReverseCharge(fields, rows)) {
		c.fail(
			'Reverse-Charge Construction VAT',
			`cannot be combined with a ${label} tax reduction: a tax reduction is for a private person, reverse charge for a company`,
		);
	}
	const houseWork = t?.type === 'rot' || t?.type === 'rut';
	for (const row of rows) {
		if (row.isTextRow) continue;
		const rc = c.scope(`Row ${row.line}`);
		const work: Array<[string, unknown]> = [
			['Is Work Cost', row.isWorkCost ? true : undefined],
			['Work Type', row.workType],
			['Work Hours', row.workHours],
			['Material Costs', row.materialCosts],
		];
		if (!houseWork) {
			for (const [field, value] of work) {
				if (value === undefined) continue;
				rc.fail(
					field,
					t
						? `is only used on ROT and RUT invoices, not ${label}`
						: 'is only used on a ROT or RUT invoice; map a Tax Reduction with type ROT or RUT',
				);
			}
		}
		if (t?.type !== 'greenTechnology' && row.greenTechnologyType !== undefined) {
			rc.fail(
				'Green Technology Type',
				'is only used on a green technology invoice (Tax Reduction type greenTechnology)',
			);
		}
		if (!houseWork || !t) continue;
		if (row.isWorkCost === false && row.workType !== undefined) {
			rc.fail('Work Type', 'is given on a row whose Is Work Cost is false');
		} else if (row.isWorkCost === true && row.workType === undefined) {
			rc.fail(
				'Work Type',
				`is required on a work row, e.g. ${t.type === 'rot' ? 'RotConstructionWork' : 'RutCleanJobWork'}`,
			);
		}
		if (row.workType !== undefined && workTypeFamily(row.workType) !== t.type) {
			rc.fail(
				'Work Type',
				`${workTypeName(row.workType)} is ${TAX_REDUCTION_LABELS[workTypeFamily(row.workType)]} work, but the invoice's tax reduction is ${label}`,
			);
		}
		if (isWorkRow(row)) {
			if (row.workHours === undefined) rc.fail('Work Hours', 'are required on a work row');
			else if (row.workHours < 1)
				rc.fail(
					'Work Hours',
					`must be at least 1 on a work row (Visma refuses less), got ${row.workHours}`,
				);
		} else if (row.workHours !== undefined) {
			rc.fail('Work Hours', 'are only used on a work row; give its Work Type');
		}
	}
	if (houseWork && !rows.some((r) => !r.isTextRow && isWorkRow(r))) {
		c.fail('Rows', `need at least one work row (with a Work Type and Work Hours) for ${label}`);
	}
	if (t?.type === 'greenTechnology' && !rows.some((r) => r.greenTechnologyType !== undefined)) {
		c.fail(
			'Rows',
			'need at least one row with a Green Technology Type for a green technology tax reduction',
		);
	}
}

/** Draft fields and rows of one item, each checked and then checked together. */
export function checkDraftInput(
	c: Checker,
	rawFields: Record<string, unknown>,
	rawRows: unknown,
): { fields: DraftFields; rows: RowInput[] } {
	const fields = checkDraftFields(c, rawFields);
	const rows = checkRows(c, rawRows);
	checkRowsOfDraft(c, fields, rows);
	return { fields, rows };
}

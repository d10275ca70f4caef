import type { Checker } from './check';

/** The types of work (ROT, RUT) and of green technology a row can carry, by Visma's enums. */

/** Visma's WorkCostType values: the ROT and RUT types of work. */
export const WORK_TYPES: Readonly<Record<string, number>> = {
	RotConstructionWork: 1,
	RotElectricalWork: 2,
	RotGlassSheetMetalWork: 3,
	RotGroundWork: 4,
	RotBrickWork: 5,
	RotPaintDecorateWork: 6,
	RotPlumbWork: 7,
	RutCleanJobWork: 9,
	RutCareClothTextile: 10,
	RutSnowRemove: 12,
	RutGarden: 13,
	RutBabySitting: 14,
	RutOtherCare: 15,
	RutRemovalServices: 18,
	RutITServices: 19,
	RotHeatPump: 20,
	RotHeatPump2: 21,
	RutHomeAppliances: 22,
	RotSolarHeatingSystem: 23,
	RotWoodBoiler: 24,
	RotFuelBoiler: 25,
	RutLaundry: 26,
	RutFurnishing: 27,
	RutGoodsTransport: 28,
	RutHomeSupervision: 29,
};

/** Visma's GreenTechnologyType values. */
export const GREEN_TECHNOLOGY_TYPES: Readonly<Record<string, number>> = {
	SolarCellInstallation: 1,
	ElectricEnergyStorageInstallation: 2,
	ElectricVehicleChargingPointInstallation: 3,
};

const nameOf = (table: Readonly<Record<string, number>>, value: number) =>
	Object.keys(table).find((k) => table[k] === value) ?? String(value);

/** 'rot' or 'rut' for a work type. */
export const workTypeFamily = (workType: number): 'rot' | 'rut' =>
	nameOf(WORK_TYPES, workType).startsWith('Rut') ? 'rut' : 'rot';

export const workTypeName = (workType: number) => nameOf(WORK_TYPES, workType);

/**
 * An enum value by Visma's name (any case) or number; 0 or "None" is no value. A value Visma
 * does not have names the ones it has.
 */
function enumValue(
	c: Checker,
	field: string,
	raw: unknown,
	table: Readonly<Record<string, number>>,
): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const text = String(raw).trim();
	if (text === '0' || text.toLowerCase() === 'none') return undefined;
	const byName = Object.keys(table).find((k) => k.toLowerCase() === text.toLowerCase());
	if (byName) return table[byName];
	const n = Number(text);
	if (/^\d+$/.test(text) && Object.values(table).includes(n)) return n;
	return c.fail(
		field,
		`${JSON.stringify(raw)} is not one of Visma's values: ${Object.entries(table)
			.map(([k, v]) => `${k} (${v})`)
			.join(', ')}`,
	);
}

export const checkWorkType = (c: Checker, raw: unknown) =>
	enumValue(c, 'Work Type', raw, WORK_TYPES);

export const checkGreenTechnologyType = (c: Checker, raw: unknown) =>
	enumValue(c, 'Green Technology Type', raw, GREEN_TECHNOLOGY_TYPES);

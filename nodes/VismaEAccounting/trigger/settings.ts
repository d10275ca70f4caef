/**
 * Tunables of the trigger. Not in the UI: tests (and the benchmark) change them through code.
 */
export interface TriggerSettings {
	/** Records per request while polling; Visma allows up to 500. */
	pageSize: number;
	/**
	 * How far back each poll re-reads before its cursor. It covers records that become visible a
	 * little after the time they were stamped with, and clock differences between Visma's servers.
	 */
	overlapMs: number;
	/** Records a manual test run returns. */
	sampleSize: number;
}

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
	pageSize: 500,
	overlapMs: 5 * 60_000,
	sampleSize: 5,
};

let settings: TriggerSettings = { ...DEFAULT_TRIGGER_SETTINGS };

export function triggerSettings(): TriggerSettings {
	return settings;
}

export function configureTrigger(next: Partial<TriggerSettings>): void {
	settings = { ...settings, ...next };
}

export function resetTrigger(): void {
	settings = { ...DEFAULT_TRIGGER_SETTINGS };
}

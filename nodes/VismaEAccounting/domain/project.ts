import type { Checker } from './check';
import { PROJECT_LIMITS as L } from './limits';

/** Projects (jobs): found by their number, created with a name, rows point at them. */
export interface ProjectInput {
	number: string;
	name?: string;
	customerId?: string;
	/** YYYY-MM-DD. */
	startDate?: string;
	endDate?: string;
	notes?: string;
	status?: ProjectStatus;
}

export type ProjectStatus = 'ongoing' | 'finished';

/** Visma's Status values. */
export const PROJECT_STATUS: Record<ProjectStatus, number> = { ongoing: 1, finished: 2 };

/** What planning needs of a project found in eAccounting. */
export interface KnownProject {
	Id: string;
	Number: string;
	Name?: string;
	Status?: number;
	EndDate?: string | null;
}

export const PROJECT_NUMBER_LABEL = 'Project Number';

export function checkProjectNumber(
	c: Checker,
	value: unknown,
	required = true,
): string | undefined {
	return c.text(PROJECT_NUMBER_LABEL, value, { max: L.Number, required, identifier: true });
}

export function checkProjectInput(c: Checker, raw: Record<string, unknown>): ProjectInput {
	const input: ProjectInput = { number: checkProjectNumber(c, raw.number) ?? '' };
	input.name = c.text('Project Name', raw.name, { max: L.Name });
	input.customerId = c.guid('Customer', raw.customerId);
	input.startDate = c.date('Start Date', raw.startDate);
	input.endDate = c.date('End Date', raw.endDate);
	input.notes = c.text('Notes', raw.notes, { max: L.Notes, multiline: true });
	if (raw.status !== undefined && raw.status !== '') {
		if (raw.status === 'ongoing' || raw.status === 'finished') input.status = raw.status;
		else c.fail('Status', `${JSON.stringify(raw.status)} is not ongoing or finished`);
	}
	if (input.startDate && input.endDate && input.endDate < input.startDate) {
		c.fail('End Date', `(${input.endDate}) is before the start date (${input.startDate})`);
	}
	return input;
}

/** What Visma needs to create a project: its number and name. */
export function checkProjectCreatable(c: Checker, input: ProjectInput): void {
	if (!input.name) c.fail('Project Name', `is required to create project ${input.number}`);
}

/** The POST body of a new project; it starts on `today` (YYYY-MM-DD) unless a date is given. */
export function projectCreateBody(input: ProjectInput, today: string): Record<string, unknown> {
	return {
		Number: input.number,
		Name: input.name,
		Status: PROJECT_STATUS[input.status ?? 'ongoing'],
		StartDate: input.startDate ?? today,
		...(input.endDate ? { EndDate: input.endDate } : {}),
		...(input.customerId ? { CustomerId: input.customerId } : {}),
		...(input.notes ? { Notes: input.notes } : {}),
	};
}

/** Why a row cannot use this project, or undefined when it can. */
export function projectProblem(project: KnownProject): string | undefined {
	if (project.Status === PROJECT_STATUS.finished) {
		return `${project.Number} is finished in eAccounting; reopen it or use another project`;
	}
	return undefined;
}

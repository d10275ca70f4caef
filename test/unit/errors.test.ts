import { describe, expect, it } from '@jest/globals';
import { toNodeApiError } from '../../nodes/VismaEAccounting/transport/errors';
import type { Failure, VismaErrorBody } from '../../nodes/VismaEAccounting/transport/failures';
import { vismaNode } from './node';

const node = vismaNode();

const failure = (
	ErrorCode: number,
	DeveloperErrorMessage: string,
	Errors: VismaErrorBody['Errors'] = null,
): Failure => ({
	status: 400,
	body: {
		ErrorCode,
		DeveloperErrorMessage,
		ErrorId: '3fa7da17-eeb2-48f6-997d-0be158f4cba4',
		Errors,
	},
	headers: {},
	message: 'Bad Request',
});

describe("errors always carry Visma's own words", () => {
	it.each([
		[4013, 'The fiscal year 2025 is locked.'],
		[4024, 'Sales account is missing for article A100.'],
		[4027, 'Reversed VAT is not allowed on article A100.'],
		[5005, 'Project P-1 has ended.'],
		[5006, 'Cost center item K-2 is inactive.'],
	])('ErrorCode %i without advice of ours: the message is what Visma said', (code, said) => {
		const error = toNodeApiError(node, failure(code, said), {
			action: 'draft invoice',
			itemIndex: 2,
		});
		expect(error.message).toBe(`Visma eAccounting rejected the draft invoice: ${said} [item 2]`);
		expect(error.description).toContain('3fa7da17-eeb2-48f6-997d-0be158f4cba4');
	});

	it("4002 means two things: Visma's message comes with it", () => {
		const error = toNodeApiError(
			node,
			failure(4002, 'The customer cannot be updated because it is used by a locked invoice.'),
		);
		expect(error.message).toContain(
			'The customer cannot be updated because it is used by a locked invoice.',
		);
	});

	it('field errors are all shown, and the developer message too when it adds something', () => {
		const error = toNodeApiError(
			node,
			failure(2000, 'Validation failed.', [
				{ Field: 'Rows[1].UnitPrice', Message: 'Too many decimals.' },
				{ Field: 'Name', Message: 'Name is too long.' },
			]),
			{ action: 'draft invoice' },
		);
		expect(error.message).toBe(
			'Visma eAccounting rejected the draft invoice: Rows[1].UnitPrice: Too many decimals.',
		);
		expect(error.description).toContain(
			'Fields: Rows[1].UnitPrice: Too many decimals.; Name: Name is too long.',
		);
		expect(error.description).toContain('Visma said: Validation failed.');
	});

	it('a known code keeps our advice and adds what Visma said', () => {
		const error = toNodeApiError(
			node,
			failure(4003, 'Startup guide not completed for company 123.'),
		);
		expect(error.message).toBe("The company's startup guide in eAccounting is not completed");
		expect(error.description).toContain('Visma said: Startup guide not completed for company 123.');
	});

	it('4034 does not send the user to another environment: production and sandbox share hosts', () => {
		const error = toNodeApiError(node, failure(4034, 'Not allowed with a sandbox client.'));
		expect(error.description).not.toMatch(/environment/i);
		expect(error.description).toContain('Visma said: Not allowed with a sandbox client.');
	});
});

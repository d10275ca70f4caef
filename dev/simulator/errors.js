// @ts-check
'use strict';

const { randomUUID } = require('crypto');

/** Visma error codes the simulator emits. */
const CODES = {
	ValidationError: 2000,
	ResourceNotFound: 3000,
	Conflict: 4000,
	CanNotBeDeleted: 4001,
	NoAccessToScopes: 4006,
	AutoInvoiceMissingElectronicAddress: 4017,
	TooManyRequests: 4010,
	FutureDateCannotBeSet: 4023,
	InvalidVatNumber: 4025,
	ReversedVatZero: 4027,
	SsnNumberIsInvalid: 4029,
	InvalidForceBookkeepVat: 4035,
	CantReachSystemDependency: 5001,
	ProjectEnded: 5005,
	QueryParameterError: 6000,
	InvalidInput: 6001,
};

/**
 * @typedef {object} FieldError
 * @property {string} Field PascalCase path, e.g. `Rows[2].UnitPrice`
 * @property {string} ErrorCode Visma error code as a string (CommonError.ErrorCode is a string)
 * @property {string} Message
 * @property {string} Key machine-readable reason: Required, MaxLength, Range, Decimals, InvalidType, UnknownProperty, InvalidFormat, InvalidValue, NotFound, ...
 */

/**
 * @typedef {object} VismaErrorBody
 * @property {number} ErrorCode
 * @property {string} DeveloperErrorMessage
 * @property {string} ErrorId
 * @property {FieldError[] | null} Errors
 */

/** An error that the pipeline turns into a Visma error response. */
class ApiError extends Error {
	/**
	 * @param {number} status HTTP status
	 * @param {number} code Visma ErrorCode
	 * @param {string} message DeveloperErrorMessage
	 * @param {FieldError[] | null} [errors]
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, errors = null, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.errors = errors;
		this.headers = headers;
	}

	/** @returns {VismaErrorBody} */
	toBody() {
		return errorBody(this.code, this.message, this.errors);
	}
}

/**
 * @param {number} code
 * @param {string} message
 * @param {FieldError[] | null} [errors]
 * @returns {VismaErrorBody}
 */
function errorBody(code, message, errors = null) {
	return { ErrorCode: code, DeveloperErrorMessage: message, ErrorId: randomUUID(), Errors: errors };
}

/**
 * @param {string} field
 * @param {string} message
 * @param {string} key
 * @param {number} [code]
 * @returns {FieldError}
 */
function fieldError(field, message, key, code = CODES.ValidationError) {
	return { Field: field, ErrorCode: String(code), Message: message, Key: key };
}

/**
 * Throws a 400 with one Errors[] entry per problem if the list is not empty.
 * @param {FieldError[]} errors
 * @param {number} [code]
 */
function throwIfErrors(errors, code = CODES.ValidationError) {
	if (errors.length === 0) return;
	const summary = errors.map((e) => (e.Field ? `${e.Field}: ${e.Message}` : e.Message)).join(' ');
	throw new ApiError(400, code, `Validation failed. ${summary}`, errors);
}

/**
 * A body field names an ID (a GUID) that does not exist → 400 ErrorCode 3000 naming the field.
 * @param {string} field
 * @param {string} what e.g. 'Customer'
 * @param {string} id
 */
function unknownId(field, what, id) {
	const msg = `${what} with id '${id}' referenced by ${field} was not found.`;
	return new ApiError(400, CODES.ResourceNotFound, msg, [
		fieldError(field, msg, 'NotFound', CODES.ResourceNotFound),
	]);
}

/**
 * @param {string} what
 * @param {string} id
 */
function notFound(what, id) {
	return new ApiError(404, CODES.ResourceNotFound, `${what} with id '${id}' was not found.`);
}

/**
 * @param {string} message
 * @param {number} [code]
 */
function badRequest(message, code = CODES.ValidationError) {
	return new ApiError(400, code, message);
}

/**
 * A single-field 400 (ErrorCode 2000 unless given).
 * @param {string} field
 * @param {string} message
 * @param {string} key
 * @param {number} [code]
 */
function fieldProblem(field, message, key, code = CODES.ValidationError) {
	return new ApiError(400, code, `${field}: ${message}`, [fieldError(field, message, key, code)]);
}

/**
 * A CustomerNumber or article Number that another record already has (compared without regard to case).
 * @param {number} code ErrorCode (rules.duplicateErrorCode)
 * @param {string} field 'CustomerNumber' or 'Number'
 * @param {string} what 'Customer' or 'Article'
 * @param {string} requested
 * @param {string} existing the other record's number as stored
 */
function duplicateNumber(code, field, what, requested, existing) {
	const caseNote =
		requested === existing ? '' : ` ('${existing}'; numbers are compared without regard to case)`;
	return new ApiError(
		400,
		code,
		`${what} number '${requested}' is already in use by another ${what.toLowerCase()}${caseNote}.`,
		[fieldError(field, `The ${what.toLowerCase()} number is already in use.`, 'Conflict', code)],
	);
}

/** @param {string} message position-carrying message from the query parser */
function queryError(message) {
	return new ApiError(400, CODES.QueryParameterError, message);
}

module.exports = {
	ApiError,
	CODES,
	badRequest,
	duplicateNumber,
	errorBody,
	fieldError,
	fieldProblem,
	notFound,
	queryError,
	unknownId,
	throwIfErrors,
};

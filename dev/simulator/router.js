// @ts-check
'use strict';

const customers = require('./handlers/customers');
const articles = require('./handlers/articles');
const referenceData = require('./handlers/referenceData');
const drafts = require('./handlers/drafts');
const invoices = require('./handlers/invoices');
const attachments = require('./handlers/attachments');
const notes = require('./handlers/notes');
const projects = require('./handlers/projects');

/** @typedef {import('./handlers/common').Handler} Handler */

/**
 * @typedef {object} Route
 * @property {string} method
 * @property {string[]} pattern path segments after /v2; ':name' captures a parameter
 * @property {string} template e.g. 'customers/{customerId}'
 * @property {Handler} handler
 * @property {string[]} scopes any one of these is enough
 * @property {boolean} write
 */

const SALES_READ = ['ea:sales', 'ea:sales_readonly'];
const SALES_WRITE = ['ea:sales'];
const TERMS_READ = ['ea:sales', 'ea:sales_readonly', 'ea:purchase', 'ea:purchase_readonly'];
const ACCOUNTING_READ = ['ea:accounting', 'ea:accounting_readonly'];
const PURCHASE_READ = ['ea:purchase', 'ea:purchase_readonly'];
/** Visma lists every read scope for reading projects, and ea:accounting alone for writing them. */
const PROJECTS_READ = [...SALES_READ, ...ACCOUNTING_READ, ...PURCHASE_READ];
const ACCOUNTING_WRITE = ['ea:accounting'];
/** Visma lists these for every notes operation, reads and writes alike. */
const NOTES = [
	'ea:sales',
	'ea:sales_readonly',
	'ea:purchase',
	'ea:purchase_readonly',
	'ea:accounting',
	'ea:accounting_readonly',
];

/** @type {Array<[string, string, Handler, string[]]>} */
const TABLE = [
	['GET', 'customers', customers.listCustomers, SALES_READ],
	['POST', 'customers', customers.createCustomer, SALES_WRITE],
	['GET', 'customers/:customerId', customers.getCustomer, SALES_READ],
	['PUT', 'customers/:customerId', customers.updateCustomer, SALES_WRITE],
	['DELETE', 'customers/:customerId', customers.deleteCustomer, SALES_WRITE],
	['GET', 'articles', articles.listArticles, SALES_READ],
	['POST', 'articles', articles.createArticle, SALES_WRITE],
	['GET', 'articles/:articleId', articles.getArticle, SALES_READ],
	['PUT', 'articles/:articleId', articles.updateArticle, SALES_WRITE],
	['GET', 'units', referenceData.units.list, SALES_READ],
	['GET', 'units/:id', referenceData.units.get, SALES_READ],
	['GET', 'articleaccountcodings', referenceData.codings.list, SALES_READ],
	['GET', 'articleaccountcodings/:articleAccountCodingId', referenceData.codings.get, SALES_READ],
	['GET', 'termsofpayments', referenceData.terms.list, TERMS_READ],
	['GET', 'termsofpayments/:id', referenceData.terms.get, TERMS_READ],
	['GET', 'vatcodes', referenceData.vatcodes.list, ACCOUNTING_READ],
	['GET', 'vatcodes/:id', referenceData.vatcodes.get, ACCOUNTING_READ],
	['GET', 'bankaccounts', referenceData.bankaccounts.list, PURCHASE_READ],
	['GET', 'bankaccounts/:bankAccountId', referenceData.bankaccounts.get, PURCHASE_READ],
	['GET', 'companysettings', referenceData.getCompanySettings, SALES_READ],
	['PUT', 'companysettings', referenceData.putCompanySettings, SALES_WRITE],
	['GET', 'customerinvoicedrafts', drafts.listDrafts, SALES_READ],
	['POST', 'customerinvoicedrafts', drafts.createDraft, SALES_WRITE],
	['GET', 'customerinvoicedrafts/:invoiceDraftId', drafts.getDraft, SALES_READ],
	['PUT', 'customerinvoicedrafts/:customerInvoiceDraftId', drafts.updateDraft, SALES_WRITE],
	['DELETE', 'customerinvoicedrafts/:customerInvoiceDraftId', drafts.deleteDraft, SALES_WRITE],
	[
		'POST',
		'customerinvoicedrafts/:customerInvoiceDraftId/convert',
		drafts.convertDraft,
		SALES_WRITE,
	],
	['GET', 'customerinvoices', invoices.listInvoices, SALES_READ],
	['GET', 'customerinvoices/:invoiceId', invoices.getInvoice, SALES_READ],
	['GET', 'customerinvoices/:invoiceId/print', invoices.printInvoice, SALES_READ],
	['GET', 'customerinvoices/:invoiceId/pdf', invoices.pdfLink, SALES_READ],
	['POST', 'customerinvoices/:invoiceId/payments', invoices.createPayment, SALES_WRITE],
	// Visma's OpenAPI lists ea:sales_readonly for sending too.
	['POST', 'customerinvoices/:invoiceId/email', invoices.emailInvoice, SALES_READ],
	['POST', 'customerinvoices/:invoiceId/einvoice', invoices.eInvoice, SALES_READ],
	// Sales document attachments need ea:sales even to read.
	['GET', 'salesdocumentattachments', attachments.listAttachments, SALES_WRITE],
	['GET', 'salesdocumentattachments/:attachmentId', attachments.getAttachment, SALES_WRITE],
	[
		'POST',
		'salesdocumentattachments/customerinvoicedraft',
		attachments.createAttachment('customerinvoicedraft'),
		SALES_WRITE,
	],
	[
		'POST',
		'salesdocumentattachments/customerinvoice',
		attachments.createAttachment('customerinvoice'),
		SALES_WRITE,
	],
	[
		'DELETE',
		'salesdocumentattachments/customerinvoicedraft/:customerInvoiceDraftId/:attachmentId',
		attachments.deleteAttachment('customerinvoicedraft'),
		SALES_WRITE,
	],
	[
		'DELETE',
		'salesdocumentattachments/customerinvoice/:customerInvoiceId/:attachmentId',
		attachments.deleteAttachment('customerinvoice'),
		SALES_WRITE,
	],
	['GET', 'projects', projects.listProjects, PROJECTS_READ],
	['POST', 'projects', projects.createProject, ACCOUNTING_WRITE],
	['GET', 'projects/:id', projects.getProject, PROJECTS_READ],
	['PUT', 'projects/:id', projects.updateProject, ACCOUNTING_WRITE],
	['GET', 'notes', notes.listNotes, NOTES],
	['POST', 'notes', notes.createNote, NOTES],
	['GET', 'notes/:noteId', notes.getNote, NOTES],
	['PUT', 'notes/:noteId', notes.updateNote, NOTES],
];

/** @type {Route[]} */
const ROUTES = TABLE.map(([method, path, handler, scopes]) => ({
	method,
	pattern: path.split('/'),
	template: path.replace(/:(\w+)/g, '{$1}'),
	handler,
	scopes,
	write: method !== 'GET',
}));

/**
 * @param {string[]} pattern
 * @param {string[]} segments
 */
function matches(pattern, segments) {
	return (
		pattern.length === segments.length &&
		pattern.every((p, i) => p.startsWith(':') || p === segments[i].toLowerCase())
	);
}

/**
 * @typedef {{ kind: 'found', route: Route, params: Record<string, string> }
 *   | { kind: 'method-not-allowed', allow: string[], template: string }
 *   | { kind: 'not-found' }} Resolution
 */

/**
 * Route lookup; path segments are case-insensitive like ASP.NET routing.
 * @param {string} method
 * @param {string[]} segments
 * @returns {Resolution}
 */
function resolve(method, segments) {
	const candidates = ROUTES.filter((r) => matches(r.pattern, segments));
	if (candidates.length === 0) return { kind: 'not-found' };
	const route = candidates.find((r) => r.method === method);
	if (!route)
		return {
			kind: 'method-not-allowed',
			allow: [...new Set(candidates.map((r) => r.method))],
			template: candidates[0].template,
		};
	/** @type {Record<string, string>} */
	const params = {};
	route.pattern.forEach((p, i) => {
		if (p.startsWith(':')) params[p.slice(1)] = segments[i];
	});
	return { kind: 'found', route, params };
}

module.exports = { ROUTES, resolve };

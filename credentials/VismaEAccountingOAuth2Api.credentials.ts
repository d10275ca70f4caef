import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/*
 * Hidden OAuth fields are computed from the visible ones with expressions, never stored:
 * n8n 2.41+ drops stored values of hidden OAuth fields, so a URL must follow `environment`.
 * The URL rules mirror nodes/VismaEAccounting/domain/environment.ts (expressions cannot import it).
 */
const PRODUCTION_IDENTITY = 'https://identity.vismaonline.com';
const PRODUCTION_API = 'https://eaccountingapi.vismaonline.com';
const COMPANY_PICKER = 'acr_values=service:44643EB1-3F76-4C1C-A672-402AE8085934';
// A custom URL must be https, or plain http on a loopback host, and carry no user:password@;
// anything else resolves to a host that cannot exist, so tokens and the client secret never
// travel over plain http and no password sits in a URL (URLs end up in errors and logs).
const REFUSED_URL = 'https://only-https-or-localhost-http-is-allowed.invalid';
const customUrl = (field: string, fallback: string) =>
	`($self["environment"] === "custom" ? ((u) => /^https:\\/\\/[^\\s/@\\\\]+(\\/|$)/i.test(u) || /^http:\\/\\/(localhost|127(\\.\\d{1,3}){3}|\\[::1\\])(:\\d+)?(\\/|$)/i.test(u) ? u : "${REFUSED_URL}")(String($self["${field}"] || "").trim().replace(/\\/+$/, "")) : "${fallback}")`;
const identityBase = customUrl('identityUrl', PRODUCTION_IDENTITY);
// The scopes the node needs, plus any well-formed extra ones the user adds (each once).
const SCOPES = `["ea:api", "offline_access", "ea:sales", ...String($self["additionalScopes"] || "").split(/[\\s,]+/).filter((s) => /^[a-z][a-z0-9_.:]*$/i.test(s))].filter((s, i, all) => all.indexOf(s) === i).join(" ")`;
const apiBase = customUrl('apiUrl', PRODUCTION_API);

export class VismaEAccountingOAuth2Api implements ICredentialType {
	name = 'vismaEAccountingOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Visma eAccounting OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/VismaEAccounting/vismaEAccounting.svg',
		dark: 'file:../nodes/VismaEAccounting/vismaEAccounting.dark.svg',
	};

	documentationUrl = 'https://developer.vismaonline.com/docs/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'Live eAccounting / Spiris companies',
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'A Visma sandbox client and its sandbox company',
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own identity server and API URLs, for a proxy or a local simulator',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Identity Server URL',
			name: 'identityUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://identity.example.com',
			description:
				'Base URL of the OAuth2 identity server (without /connect/...). Must use https; plain http is accepted only for localhost. No user name or password in the URL.',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://eaccounting-proxy.example.com',
			description:
				'Base URL of the eAccounting API (without /v2). Must use https; plain http is accepted only for localhost. No user name or password in the URL.',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Additional Scopes',
			name: 'additionalScopes',
			type: 'string',
			default: '',
			placeholder: 'e.g. ea:accounting_readonly',
			description:
				'Visma scopes to ask for besides ea:api, offline_access and ea:sales, separated by spaces. VAT codes need ea:accounting_readonly. Reconnect the credential after changing this.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${identityBase} }}/connect/authorize`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${identityBase} }}/connect/token`,
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ ${SCOPES} }}`,
		},
		{
			// Visma's sandbox rejects prompt=select_account, so only production forces the company picker.
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: `={{ $self["environment"] === "sandbox" ? "${COMPANY_PICKER}" : "prompt=select_account&${COMPANY_PICKER}" }}`,
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${apiBase} }}/v2`,
			url: '/companysettings',
			method: 'GET',
		},
	};
}

import type { Checker } from './check';

/** Visma's limits of an invoice email (EmailApi) and the customer's CC list. */
export const EMAIL_LIMITS = { Email: 255, MaxCc: 5 } as const;

/** ElectronicInvoiceRequestApi.SendType. */
export const E_INVOICE_TYPES = {
	autoInvoiceElectronic: 1,
	autoInvoicePrint: 2,
	autoInvoiceB2C: 3,
	kivra: 4,
} as const;

export type EInvoiceType = keyof typeof E_INVOICE_TYPES;

export interface EmailInput {
	to?: string;
	/** Undefined: the customer's CC addresses; an empty list: none. */
	cc?: string[];
	subject?: string;
	message?: string;
}

export type SendInput =
	| { via: 'email'; email: EmailInput; sendAgain: boolean }
	| { via: 'eInvoice'; type: EInvoiceType; sendAgain: boolean };

/** Send's parameters, checked before anything is written. Empty fields mean Visma's defaults. */
export function checkSendInput(
	c: Checker,
	raw: {
		via: unknown;
		to?: unknown;
		cc?: unknown;
		noCc?: unknown;
		subject?: unknown;
		message?: unknown;
		eInvoiceType?: unknown;
		sendAgain: unknown;
	},
): SendInput {
	const sendAgain = c.bool('Send Again', raw.sendAgain, false);
	if (raw.via === 'eInvoice') {
		const type = String(raw.eInvoiceType ?? 'autoInvoiceElectronic');
		if (!(type in E_INVOICE_TYPES))
			c.fail('E-Invoice Type', `must be one of ${Object.keys(E_INVOICE_TYPES).join(', ')}`);
		return { via: 'eInvoice', type: type as EInvoiceType, sendAgain };
	}
	if (raw.via !== 'email') c.fail('Send By', `must be email or eInvoice, got ${String(raw.via)}`);
	const to = c.email('Recipient', raw.to, EMAIL_LIMITS.Email);
	let cc: string[] | undefined;
	if (c.bool('No CC', raw.noCc, false)) cc = [];
	else if (raw.cc !== undefined && raw.cc !== null && raw.cc !== '') {
		const list = Array.isArray(raw.cc) ? raw.cc : String(raw.cc).split(/[,;]/);
		cc = list
			.map((address) => c.email('CC', typeof address === 'string' ? address.trim() : address, 255))
			.filter((address): address is string => address !== undefined);
		if (cc.length > EMAIL_LIMITS.MaxCc)
			c.fail('CC', `has ${cc.length} addresses; Visma allows at most ${EMAIL_LIMITS.MaxCc}`);
		if (cc.length === 0) cc = undefined;
	}
	const subject = c.text('Subject', raw.subject, { max: 1000 });
	const message = c.text('Message', raw.message, { max: 4000, multiline: true });
	return { via: 'email', email: { to, cc, subject, message }, sendAgain };
}

/** The EmailApi body: only what the user gave, so Visma fills in the rest. */
export function emailBody(email: EmailInput): Record<string, unknown> {
	return {
		...(email.to ? { Email: email.to } : {}),
		// Visma: an omitted or empty list means the customer's CC addresses, null means none.
		...(email.cc === undefined ? {} : { CcRecipients: email.cc.length ? email.cc : null }),
		...(email.subject ? { Subject: email.subject } : {}),
		...(email.message ? { Message: email.message } : {}),
	};
}

/**
 * The credential as n8n hands it to a node, plus n8n's OAuth2 refresh behaviour: on a 401 it
 * refreshes once (Basic client auth, form body), stores the rotated refresh token and retries.
 * `serializeRefresh` true is n8n with single-flight refreshes; false is older n8n, where every
 * request that got a 401 refreshes with the refresh token it started with.
 */
export interface OAuthTokenData {
	access_token: string;
	refresh_token: string;
	token_type?: string;
	expires_in?: number;
}

export interface CredentialData {
	environment: 'production' | 'sandbox' | 'custom';
	identityUrl?: string;
	apiUrl?: string;
	clientId: string;
	clientSecret: string;
	oauthTokenData: OAuthTokenData;
	[key: string]: unknown;
}

export class StoredCredential {
	refreshes = 0;

	/** Refreshes tried, including failed ones. */
	refreshAttempts = 0;

	private inFlight: Promise<void> | undefined;

	serializeRefresh = true;

	constructor(
		public data: CredentialData,
		public readonly id = 'cred-1',
		public readonly name = 'Visma test credential',
	) {}

	get tokenUrl(): string {
		return `${String(this.data.identityUrl).replace(/\/+$/, '')}/connect/token`;
	}

	/** Refreshes unless another caller already replaced the token we failed with. */
	async refresh(startedWith: OAuthTokenData): Promise<void> {
		if (!this.serializeRefresh) return await this.doRefresh(startedWith.refresh_token);
		if (this.data.oauthTokenData.access_token !== startedWith.access_token) return;
		if (!this.inFlight) {
			this.inFlight = this.doRefresh(this.data.oauthTokenData.refresh_token).finally(
				() => (this.inFlight = undefined),
			);
		}
		await this.inFlight;
	}

	private async doRefresh(refreshToken: string): Promise<void> {
		this.refreshAttempts++;
		const basic = Buffer.from(`${this.data.clientId}:${this.data.clientSecret}`).toString('base64');
		const response = await fetch(this.tokenUrl, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${basic}`,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({
				refresh_token: refreshToken,
				grant_type: 'refresh_token',
			}).toString(),
		});
		const body = (await response.json()) as Partial<OAuthTokenData> & { error?: string };
		if (!response.ok || !body.access_token) {
			throw new CredentialReconnectError(
				this.name,
				body.error ?? String(response.status),
				response.status,
			);
		}
		this.refreshes++;
		this.data = {
			...this.data,
			oauthTokenData: { ...this.data.oauthTokenData, ...body } as OAuthTokenData,
		};
	}
}

/** What n8n's OAuth2 client throws when a refresh is refused: code EAUTH, with the token endpoint's answer. */
export class CredentialReconnectError extends Error {
	description: string;

	code = 'EAUTH';

	body: { error: string };

	constructor(
		name: string,
		reason: string,
		public status?: number,
	) {
		super(`The credential "${name}" needs to be reconnected.`);
		this.description = `Access could not be refreshed (${reason}).`;
		this.body = { error: reason };
	}
}

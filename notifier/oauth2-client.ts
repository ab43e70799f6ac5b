/**
 * OAuth2 client credentials (RFC 6749 §4.4) for authenticated delivery to the SMO: the token is fetched once,
 * shared by every concurrent delivery, and reused until shortly before it expires. A 401 from a receiver
 * invalidates it, so a token the SMO revoked is replaced on the next attempt.
 */
import { z } from 'zod';

export interface ClientCredentialsConfig {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string | undefined;
  readonly audience?: string | undefined;
}

export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/** Tokens are renewed this long (at most half their lifetime) before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** Lifetime assumed when the token endpoint does not say. */
const DEFAULT_LIFETIME_MS = 300_000;

export interface ClientCredentialsOptions {
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export class ClientCredentialsTokens {
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  #cached: { token: string; renewAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(
    private readonly config: ClientCredentialsConfig,
    options: ClientCredentialsOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** A valid access token; rejects with TokenUnavailableError when the token endpoint fails. */
  token(): Promise<string> {
    if (this.#cached !== undefined && this.#now() < this.#cached.renewAt)
      return Promise.resolve(this.#cached.token);
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  invalidate(): void {
    this.#cached = undefined;
  }

  async #fetchToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.config.scope !== undefined) form.set('scope', this.config.scope);
    if (this.config.audience !== undefined) form.set('audience', this.config.audience);
    // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
    const basic = Buffer.from(
      `${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(this.config.clientSecret)}`,
    ).toString('base64');
    let response: Response;
    try {
      response = await this.#fetch(this.config.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${basic}`,
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error',
      });
    } catch {
      throw new TokenUnavailableError('the OAuth2 token endpoint could not be reached');
    }
    if (!response.ok)
      throw new TokenUnavailableError(`the OAuth2 token endpoint answered ${response.status}`);
    const parsed = tokenResponse.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new TokenUnavailableError('the OAuth2 token endpoint answered without an access token');
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_MS / 1000) * 1000;
    this.#cached = {
      token: parsed.data.access_token,
      renewAt: this.#now() + Math.max(lifetimeMs / 2, lifetimeMs - EXPIRY_MARGIN_MS),
    };
    return parsed.data.access_token;
  }
}

import type { TypedDocument } from '../../api/client';
import { ApiError, apiErrorFromGraphQL, codeFromHttpStatus, type GraphQLErrorItem } from '../../api/errors';
import { LiveConnection } from '../../api/live';
import { GuestSignInDocument } from '../../api/operations';
import { isInitDataFresh } from './launchParams';

/** Thrown when the guest token expired and the initData is too old to sign in again. */
export class ReopenRequiredError extends ApiError {
  constructor() {
    super('UNAUTHENTICATED', 'the Telegram launch data is too old: reopen the Mini App');
    this.name = 'ReopenRequiredError';
  }
}

/**
 * The guest's connection to the API: signs in with Telegram's initData (`guestSignIn`), keeps the
 * guest token in memory and sends `Authorization: Bearer <token>`. A token answered UNAUTHENTICATED
 * (it lasts an hour) is replaced by signing in again with the same initData while that is still
 * fresh; otherwise the request fails with ReopenRequiredError.
 */
export class GuestClient {
  private token: string | null = null;
  private signingIn: Promise<string> | null = null;

  constructor(
    private readonly tenantId: string,
    private readonly initData: string,
    private readonly options: { endpoint?: string; fetch?: typeof fetch; now?: () => number } = {},
  ) {}

  /** Signs in (once at a time); resolves with whether the guest was registered just now. */
  async signIn(): Promise<{ created: boolean }> {
    const data = await this.send(GuestSignInDocument, { tenantId: this.tenantId, initData: this.initData }, null);
    this.token = data.guestSignIn.token;
    return { created: data.guestSignIn.created };
  }

  /**
   * Uses a token the server handed out for this guest (after `linkMyPhone` the guest record may be
   * another one). The websocket must be reopened by the caller: its connection_init used the old one.
   */
  replaceToken(token: string): void {
    this.token = token;
  }

  private renew(): Promise<string> {
    if (!this.signingIn) {
      this.signingIn = (async () => {
        if (!isInitDataFresh(this.initData, this.options.now?.() ?? Date.now())) throw new ReopenRequiredError();
        await this.signIn();
        return this.token ?? '';
      })().finally(() => {
        this.signingIn = null;
      });
    }
    return this.signingIn;
  }

  /** A token for the websocket's connection_init (signing in again when there is none). */
  async currentToken(forceRenew = false): Promise<string> {
    if (forceRenew || !this.token) {
      this.token = null;
      return this.renew();
    }
    return this.token;
  }

  async request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const used = this.token ?? (await this.renew());
    try {
      return await this.send(document, variables, used);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;
      const fresh = this.token !== null && this.token !== used ? this.token : await this.currentToken(true);
      return this.send(document, variables, fresh);
    }
  }

  private async send<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    token: string | null,
  ): Promise<TResult> {
    const query = document.toString();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    const fetchImpl = this.options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    let response: Response;
    try {
      response = await fetchImpl(this.options.endpoint ?? '/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: variables ?? {} }),
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiError('NETWORK', error instanceof Error ? error.message : 'network error');
    }
    let body: { data?: TResult | null; errors?: GraphQLErrorItem[] } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = undefined;
    }
    if (body && Array.isArray(body.errors) && body.errors.length > 0) throw apiErrorFromGraphQL(body.errors, response.status);
    if (!response.ok) throw new ApiError(codeFromHttpStatus(response.status), `HTTP ${response.status}`, { status: response.status });
    if (!body || body.data === undefined || body.data === null) throw new ApiError('UNKNOWN', 'empty GraphQL response');
    return body.data;
  }

  /**
   * The guest's live connection (graphql-ws at /graphql/ws, the guest token in `connection_init`,
   * signed in again when the server refuses it): `myCardUpdated`, `myNotificationReceived`. Gives up
   * (status `offline`) once the initData is too old to sign in again. The caller closes it.
   */
  createLive(options: { url?: string; webSocketImpl?: unknown } = {}): LiveConnection {
    return new LiveConnection({
      token: (renew) => this.currentToken(renew),
      isFatal: (error) => error instanceof ReopenRequiredError || (error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'NOT_FOUND')),
      ...options,
    });
  }
}

import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import type { AuthFieldsFragment } from '../gql/graphql';
import { ApiError, apiErrorFromGraphQL, codeFromHttpStatus, toApiError, type ErrorCode, type GraphQLErrorItem } from './errors';
import { LogoutDocument, RefreshSessionDocument } from './operations';
import type { TokenStore } from './tokens';

/** What codegen produces for each operation (`TypedDocumentString`): a query string typed with its result and variables. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

export type AuthPayload = AuthFieldsFragment;

export interface RequestOptions {
  /**
   * true (default): the operation needs a signed-in user; on UNAUTHENTICATED the client
   * refreshes the session once and retries. false: public operation (login, sign-up, …).
   */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface ClientOptions {
  tokens: TokenStore;
  endpoint?: string;
  fetch?: typeof fetch;
  /**
   * Serializes refreshes across browser tabs (they share the single-use refresh token).
   * Defaults to the Web Locks API when present, otherwise runs the callback directly.
   */
  lock?: <T>(fn: () => Promise<T>) => Promise<T>;
}

type AuthListener = (payload: AuthPayload) => void;
type ExpiredListener = () => void;

/** Codes after which a refresh token is certainly useless (as opposed to network trouble). */
const TERMINAL_REFRESH_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
]);

function operationName(query: string): string | undefined {
  return /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1];
}

function defaultLock(): <T>(fn: () => Promise<T>) => Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (locks && typeof locks.request === 'function') {
    return (fn) => locks.request('maxloyalty-session-refresh', () => fn());
  }
  return (fn) => fn();
}

/**
 * A tiny GraphQL-over-HTTP client: POST JSON to /graphql with `Authorization: Bearer <accessToken>`.
 *
 * Session rules:
 * - a request answered with UNAUTHENTICATED triggers one `refreshSession(refreshToken)` and one retry;
 * - concurrent requests share a single in-flight refresh (single flight);
 * - the new refresh token is always stored (they are single-use);
 * - if the refresh is rejected, the tokens are cleared and `onSessionExpired` listeners fire.
 */
export class GraphQLClient {
  private readonly tokens: TokenStore;
  private readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;
  private readonly lock: <T>(fn: () => Promise<T>) => Promise<T>;
  private refreshing: Promise<AuthPayload> | null = null;
  private readonly authListeners = new Set<AuthListener>();
  private readonly expiredListeners = new Set<ExpiredListener>();

  constructor(options: ClientOptions) {
    this.tokens = options.tokens;
    this.endpoint = options.endpoint ?? '/graphql';
    // Bind: calling window.fetch with another `this` throws "Illegal invocation".
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.lock = options.lock ?? defaultLock();
  }

  /** Called with every new session (login, sign-up, invitation accepted, refresh). Returns an unsubscribe function. */
  onAuthenticated(listener: AuthListener): () => void {
    this.authListeners.add(listener);
    return () => this.authListeners.delete(listener);
  }

  /** Called when the session cannot be restored any more (the UI should go to the login page). */
  onSessionExpired(listener: ExpiredListener): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  hasRefreshToken(): boolean {
    return this.tokens.getRefreshToken() !== null;
  }

  /**
   * The current access token, for transports that authenticate on their own (the
   * subscriptions websocket's `connection_init`). Null when there is none in memory yet.
   */
  getAccessToken(): string | null {
    return this.tokens.getAccessToken();
  }

  /** Stores the tokens of a fresh session and notifies listeners. */
  setSession(payload: AuthPayload): void {
    this.tokens.setTokens(payload.accessToken, payload.refreshToken);
    for (const listener of this.authListeners) listener(payload);
  }

  /**
   * Moves to a fresh session that replaces the current one (another business): stores its tokens
   * like a login does, then ends the previous session on the server (best effort) so its refresh
   * token does not linger. A refresh still in flight is awaited first, so it cannot overwrite the
   * new session with the old one.
   */
  async replaceSession(payload: AuthPayload): Promise<void> {
    if (this.refreshing) await this.refreshing.catch(() => undefined);
    const previous = this.tokens.getRefreshToken();
    this.setSession(payload);
    if (!previous || previous === payload.refreshToken) return;
    try {
      await this.send(LogoutDocument, { refreshToken: previous }, null);
    } catch {
      // The old session simply expires on its own.
    }
  }

  async request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<TResult> {
    const auth = options.auth ?? true;
    // Public operations go without a bearer token: a stale one must not get in their way.
    const usedToken = auth ? this.tokens.getAccessToken() : null;
    try {
      return await this.send(document, variables, usedToken, options.signal);
    } catch (error) {
      if (!auth || !(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED') throw error;

      const current = this.tokens.getAccessToken();
      const alreadyRefreshed = current !== null && current !== usedToken;
      if (!alreadyRefreshed) {
        if (!this.hasRefreshToken()) {
          this.expire();
          throw error;
        }
        await this.refresh(); // throws (and expires the session) if the refresh is rejected
      }

      try {
        return await this.send(document, variables, this.tokens.getAccessToken(), options.signal);
      } catch (retryError) {
        // A brand-new access token rejected again: do not loop, send the user to login.
        if (retryError instanceof ApiError && retryError.code === 'UNAUTHENTICATED') this.expire();
        throw retryError;
      }
    }
  }

  /**
   * Exchanges the stored refresh token for a new session. Concurrent callers share one request.
   * Rejects with ApiError; on a definitive rejection the tokens are cleared and the session expires.
   */
  refresh(): Promise<AuthPayload> {
    if (!this.refreshing) {
      this.refreshing = this.lock(() => this.doRefresh()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<AuthPayload> {
    // Read inside the lock: another tab may have rotated the token meanwhile.
    const refreshToken = this.tokens.getRefreshToken();
    if (!refreshToken) {
      this.expire();
      throw new ApiError('UNAUTHENTICATED', 'no refresh token');
    }
    try {
      const data = await this.send(RefreshSessionDocument, { refreshToken }, null);
      this.setSession(data.refreshSession);
      return data.refreshSession;
    } catch (error) {
      const err = toApiError(error);
      if (TERMINAL_REFRESH_CODES.has(err.code)) this.expire();
      throw err;
    }
  }

  /** Revokes the session on the server (best effort) and forgets the tokens locally. */
  async logout(): Promise<void> {
    const refreshToken = this.tokens.getRefreshToken();
    try {
      if (refreshToken) await this.send(LogoutDocument, { refreshToken }, null); // public: the refresh token is the credential
    } catch {
      // Even if the server cannot be reached, the local session ends here.
    } finally {
      this.tokens.clear();
    }
  }

  /** Forgets the local session without telling the server (e.g. it was ended in another tab). */
  forget(): void {
    this.tokens.clear();
  }

  private expire(): void {
    this.tokens.clear();
    for (const listener of this.expiredListeners) listener();
  }

  private async send<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    accessToken: string | null,
    signal?: AbortSignal,
  ): Promise<TResult> {
    const query = document.toString();
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
    };
    if (accessToken) headers.Authorization = `Bearer ${accessToken}`;

    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: variables ?? {}, operationName: operationName(query) }),
        credentials: 'same-origin',
        signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('NETWORK', error instanceof Error ? error.message : 'network error');
    }

    let body: { data?: TResult | null; errors?: GraphQLErrorItem[] } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = undefined;
    }
    if (body && Array.isArray(body.errors) && body.errors.length > 0) {
      throw apiErrorFromGraphQL(body.errors, response.status);
    }
    if (!response.ok) {
      throw new ApiError(codeFromHttpStatus(response.status), `HTTP ${response.status}`, { status: response.status });
    }
    if (!body || body.data === undefined || body.data === null) {
      throw new ApiError('UNKNOWN', 'empty GraphQL response', { status: response.status });
    }
    return body.data;
  }
}

import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import type { TypedDocument } from './client';

// One graphql-ws connection (graphql-transport-ws at /graphql/ws) shared by every live view of a
// page: the bell, the cashier's recent checks, a guest's card, the Mini App. It authenticates in
// `connection_init`, reconnects with a capped exponential backoff, renews a refused token, and tells
// the views when it came back after a drop, so they can re-read what they show.

/** The subscriptions endpoint next to the page: ws(s)://<host>/graphql/ws. */
export function subscriptionUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/graphql/ws`;
}

/**
 * Whether a subscription ended because the server refused the credentials. The server closes
 * with 4403 on a rejected `connection_init` and with 4401 when the token ends while connected
 * (1002 is what servers built on async-graphql's own protocol handler send); an UNAUTHENTICATED
 * GraphQL error can also end a running subscription.
 */
export function isAuthFailure(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'number') {
    return [1002, 4401, 4403].includes((error as { code: number }).code);
  }
  if (Array.isArray(error)) {
    return error.some((e) => (e as { extensions?: { code?: unknown } })?.extensions?.code === 'UNAUTHENTICATED');
  }
  return false;
}

/** Reconnection delay after `retries` failed attempts: 1 s, 2 s, 4 s … capped at 30 s, plus up to 1 s of jitter. */
export function reconnectDelay(retries: number, random: () => number = Math.random): number {
  const base = Math.min(1000 * 2 ** Math.max(0, retries), 30_000);
  return base + Math.floor(random() * 1000);
}

// ---------------------------------------------------------------- connection state

/**
 * - `idle`: nothing subscribed (the socket is closed on purpose);
 * - `connecting`: the first connection is being made;
 * - `live`: connected, updates arrive;
 * - `reconnecting`: the connection dropped and is being made again;
 * - `offline`: gave up (the session is gone, or the server refuses the subscription for good).
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveState {
  status: LiveStatus;
  /** Connections made so far. */
  connections: number;
  /** The connection was lost while something was subscribed: what the views show may be stale. */
  dropped: boolean;
}

export type LiveEvent =
  | { type: 'connecting' }
  | { type: 'connected' }
  /** `active`: something was still subscribed (an unexpected drop), not a close on purpose. */
  | { type: 'closed'; active: boolean }
  | { type: 'failed' }
  | { type: 'stopped' };

export const INITIAL_LIVE_STATE: LiveState = { status: 'idle', connections: 0, dropped: false };

/**
 * The connection's state machine. `refetch` is true when a connection is (re)established after a
 * drop: anything that happened meanwhile was missed, so the live views read their data again. The
 * first connection does not refetch (the views have just loaded), nor does re-opening a socket
 * that was closed because nothing was subscribed.
 */
export function liveTransition(state: LiveState, event: LiveEvent): { state: LiveState; refetch: boolean } {
  switch (event.type) {
    case 'connecting':
      return {
        state: { ...state, status: state.dropped || state.status === 'reconnecting' ? 'reconnecting' : state.status === 'live' ? 'live' : 'connecting' },
        refetch: false,
      };
    case 'connected':
      return { state: { status: 'live', connections: state.connections + 1, dropped: false }, refetch: state.dropped };
    case 'closed':
      if (!event.active) return { state: { ...state, status: 'idle' }, refetch: false };
      return { state: { ...state, status: 'reconnecting', dropped: state.connections > 0 || state.dropped }, refetch: false };
    case 'failed':
      return { state: { ...state, status: 'offline', dropped: state.connections > 0 || state.dropped }, refetch: false };
    case 'stopped':
      return { state: { ...state, status: 'idle' }, refetch: false };
  }
}

// ---------------------------------------------------------------- the connection

export interface LiveHandlers<TData> {
  next: (data: TData) => void;
  /** The server refused this subscription (GraphQL errors other than UNAUTHENTICATED), or the connection gave up. */
  error?: (error: unknown) => void;
}

export interface LiveOptions {
  /** A token for `connection_init`; `renew`: the previous one was refused, get a fresh one. */
  token: (renew: boolean) => Promise<string>;
  /** Errors after which retrying is pointless (e.g. the session cannot be renewed any more). */
  isFatal?: (error: unknown) => boolean;
  url?: string | (() => string);
  webSocketImpl?: unknown;
  /** Ping interval (ms); 0 turns the dead-connection check off. */
  keepAliveMs?: number;
  /** How long to wait for the server's pong before the connection is treated as dead. */
  pongTimeoutMs?: number;
  retryDelay?: (retries: number) => number;
  /** Consecutive refused tokens after which the connection gives up. */
  maxAuthRetries?: number;
}

interface Entry {
  query: string;
  variables: Record<string, unknown>;
  handlers: LiveHandlers<unknown>;
  /** Ends it on the current client. */
  stop?: () => void;
}

type StatusListener = (status: LiveStatus) => void;

/**
 * One shared graphql-ws connection. Subscriptions are remembered, so when the client has to be
 * replaced (a refused token, a network change) they are all started again on the new one.
 */
export class LiveConnection {
  private client: Client | null = null;
  private generation = 0;
  private nextId = 1;
  private readonly entries = new Map<number, Entry>();
  private state: LiveState = INITIAL_LIVE_STATE;
  private readonly statusListeners = new Set<StatusListener>();
  private readonly reconnectListeners = new Set<() => void>();
  private renewToken = false;
  private authFailures = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: LiveOptions) {}

  get status(): LiveStatus {
    return this.state.status;
  }

  /** Called with every status change. Returns the function that stops listening. */
  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Called whenever the connection is back after a drop (re-read what the view shows). */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  subscribe<TData, TVariables>(
    document: TypedDocument<TData, TVariables>,
    variables: TVariables,
    handlers: LiveHandlers<TData>,
  ): () => void {
    if (this.stopped) return () => undefined;
    const id = this.nextId++;
    const entry: Entry = {
      query: document.toString(),
      variables: (variables ?? {}) as Record<string, unknown>,
      handlers: handlers as LiveHandlers<unknown>,
    };
    this.entries.set(id, entry);
    if (this.state.status === 'offline') {
      // a new view after giving up: try once more from scratch
      this.authFailures = 0;
      this.restart(this.generation, 0);
    } else if (!this.restartTimer) {
      this.attach(id, entry);
    }
    return () => {
      const e = this.entries.get(id);
      if (!e) return;
      this.entries.delete(id);
      e.stop?.();
      if (this.entries.size === 0 && this.restartTimer) {
        clearTimeout(this.restartTimer);
        this.restartTimer = undefined;
        this.emit({ type: 'closed', active: false });
      }
    };
  }

  /**
   * Drops the current socket and connects again at once (e.g. the browser is back online while
   * a reconnection waits out its backoff). Does nothing while live.
   */
  reconnectNow(): void {
    if (this.stopped || this.entries.size === 0 || this.state.status === 'live') return;
    this.restart(this.generation, 0);
  }

  /** Ends every subscription and the socket. */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.pongTimer);
    this.restartTimer = undefined;
    this.generation++;
    const client = this.client;
    this.client = null;
    for (const e of this.entries.values()) e.stop = undefined;
    this.entries.clear();
    void client?.dispose();
    this.emit({ type: 'stopped' });
    this.statusListeners.clear();
    this.reconnectListeners.clear();
  }

  // ---- internals

  private emit(event: LiveEvent): void {
    const before = this.state.status;
    const { state, refetch } = liveTransition(this.state, event);
    this.state = state;
    if (state.status !== before) for (const l of [...this.statusListeners]) l(state.status);
    if (refetch) for (const l of [...this.reconnectListeners]) l();
  }

  private fatal(error: unknown): boolean {
    return this.options.isFatal?.(error) ?? false;
  }

  private ensureClient(): Client {
    if (this.client) return this.client;
    const generation = this.generation;
    const keepAlive = this.options.keepAliveMs ?? 20_000;
    const pongTimeout = this.options.pongTimeoutMs ?? 10_000;
    const delay = this.options.retryDelay ?? reconnectDelay;
    const url = this.options.url ?? (() => subscriptionUrl(window.location));
    const mine = () => generation === this.generation && !this.stopped;
    const client = createClient({
      url,
      webSocketImpl: this.options.webSocketImpl,
      lazy: true,
      lazyCloseTimeout: 1000,
      keepAlive,
      retryAttempts: Number.POSITIVE_INFINITY,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, delay(retries))),
      // Not on refused credentials (handled here, with a fresh token) nor on fatal errors.
      shouldRetry: (errOrClose) => !isAuthFailure(errOrClose) && !this.fatal(errOrClose),
      connectionParams: async () => {
        const token = await this.options.token(this.renewToken);
        this.renewToken = false;
        return { Authorization: `Bearer ${token}` };
      },
      on: {
        connecting: () => {
          if (mine()) this.emit({ type: 'connecting' });
        },
        connected: () => {
          if (!mine()) return;
          this.authFailures = 0;
          this.emit({ type: 'connected' });
        },
        closed: () => {
          clearTimeout(this.pongTimer);
          if (mine()) this.emit({ type: 'closed', active: this.entries.size > 0 });
        },
        ping: (received) => {
          // our ping went out: a dead connection (sleep, network change) never answers
          if (received || !mine() || pongTimeout <= 0) return;
          clearTimeout(this.pongTimer);
          this.pongTimer = setTimeout(() => {
            if (mine()) client.terminate();
          }, pongTimeout);
        },
        pong: (received) => {
          if (received) clearTimeout(this.pongTimer);
        },
      },
    });
    this.client = client;
    return client;
  }

  private attach(id: number, entry: Entry): void {
    const client = this.ensureClient();
    const generation = this.generation;
    const current = () => generation === this.generation && !this.stopped && this.entries.get(id) === entry;
    entry.stop = client.subscribe<unknown>(
      { query: entry.query, variables: entry.variables },
      {
        next: (result: FormattedExecutionResult<unknown>) => {
          if (!current()) return;
          if (result.errors && result.errors.length > 0) {
            if (isAuthFailure(result.errors)) {
              this.authFailed(generation);
              return;
            }
            // refused for good (no permission, unknown field): not started again
            this.entries.delete(id);
            entry.handlers.error?.(result.errors);
            return;
          }
          if (result.data !== undefined && result.data !== null) entry.handlers.next(result.data);
        },
        error: (error: unknown) => {
          if (!current()) return;
          if (isAuthFailure(error)) {
            this.authFailed(generation);
          } else if (Array.isArray(error)) {
            this.entries.delete(id);
            entry.handlers.error?.(error);
          } else if (this.fatal(error)) {
            this.giveUp(error);
          } else {
            // another close graphql-ws will not retry by itself (e.g. a protocol error): start over
            this.restart(generation, reconnectDelay(2));
          }
        },
        complete: () => {
          // the server ended this stream (the socket stays); nothing more will come for it
          if (current()) this.entries.delete(id);
        },
      },
    );
  }

  private authFailed(generation: number): void {
    if (generation !== this.generation) return;
    const max = this.options.maxAuthRetries ?? 3;
    if (this.authFailures >= max) {
      this.giveUp(new Error('the server keeps refusing the credentials'));
      return;
    }
    this.authFailures += 1;
    this.renewToken = true;
    this.restart(generation, 500 * this.authFailures);
  }

  private giveUp(error: unknown): void {
    this.generation++;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const client = this.client;
    this.client = null;
    void client?.dispose();
    this.emit({ type: 'failed' });
    for (const e of this.entries.values()) {
      e.stop = undefined;
      e.handlers.error?.(error);
    }
  }

  /** Replaces the client (after `delayMs`) and starts every remembered subscription on the new one. */
  private restart(generation: number, delayMs: number): void {
    if (generation !== this.generation || this.stopped) return;
    this.generation++;
    clearTimeout(this.pongTimer);
    const client = this.client;
    this.client = null;
    for (const e of this.entries.values()) e.stop = undefined;
    void client?.dispose();
    if (this.state.status !== 'offline') this.emit({ type: 'closed', active: this.entries.size > 0 });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopped) return;
      for (const [id, e] of this.entries) this.attach(id, e);
    }, delayMs);
  }
}

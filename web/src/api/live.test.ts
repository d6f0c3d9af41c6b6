import { describe, expect, it, vi } from 'vitest';
import type { TypedDocument } from './client';
import { INITIAL_LIVE_STATE, isAuthFailure, LiveConnection, liveTransition, reconnectDelay, subscriptionUrl, type LiveEvent, type LiveState, type LiveStatus } from './live';

const doc = (query: string) => ({ toString: () => query }) as unknown as TypedDocument<Record<string, unknown>, Record<string, unknown>>;

/**
 * A graphql-transport-ws server in fake WebSockets: accepts `connection_init` only with the
 * currently valid token (else closes with 1002, as async-graphql does), answers each `subscribe`
 * through `answer`, and lets the test drop every open socket (`dropAll`) like a network loss.
 */
function fakeServer(validToken: () => string, answer: (query: string) => unknown[] = () => []) {
  const inits: string[] = [];
  const subscribes: string[] = [];
  const open = new Set<FakeSocket>();
  class FakeSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    readyState = 0;
    protocol = 'graphql-transport-ws';
    onopen: ((e: unknown) => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onmessage: ((e: { data: string }) => void) | null = null;
    constructor(readonly url: string) {
      open.add(this);
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.({});
      }, 0);
    }
    send(data: string) {
      const msg = JSON.parse(data) as { type: string; id?: string; payload?: { Authorization?: string; query?: string } };
      if (msg.type === 'connection_init') {
        const auth = msg.payload?.Authorization ?? '';
        inits.push(auth);
        if (auth !== `Bearer ${validToken()}`) setTimeout(() => this.close(1002, 'the access token has expired'), 0);
        else this.reply({ type: 'connection_ack' });
      } else if (msg.type === 'subscribe') {
        const query = msg.payload?.query ?? '';
        subscribes.push(query);
        for (const payload of answer(query)) this.reply({ type: 'next', id: msg.id, payload });
        if (answer(query).some((p) => (p as { errors?: unknown }).errors)) this.reply({ type: 'complete', id: msg.id });
      }
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      open.delete(this);
      setTimeout(() => this.onclose?.({ code, reason }), 0);
    }
    /** The server pushes an event to every open socket. */
    push(id: string, payload: unknown) {
      this.reply({ type: 'next', id, payload });
    }
    private reply(m: unknown) {
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(m) }), 0);
    }
  }
  const dropAll = () => {
    for (const s of [...open]) s.close(1006, 'network lost');
  };
  return { FakeSocket, inits, subscribes, open, dropAll };
}

function run(state: LiveState, events: LiveEvent[]) {
  const refetches: boolean[] = [];
  let s = state;
  for (const e of events) {
    const r = liveTransition(s, e);
    s = r.state;
    refetches.push(r.refetch);
  }
  return { state: s, refetches };
}

describe('live connection: pure parts', () => {
  it('builds the websocket address from the page', () => {
    expect(subscriptionUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql/ws');
    expect(subscriptionUrl({ protocol: 'https:', host: 'panel.example.com' })).toBe('wss://panel.example.com/graphql/ws');
  });

  it('recognises refused credentials', () => {
    expect(isAuthFailure({ code: 1002, reason: 'expired' })).toBe(true);
    expect(isAuthFailure({ code: 4403, reason: 'Forbidden' })).toBe(true);
    expect(isAuthFailure([{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }])).toBe(true);
    expect(isAuthFailure([{ message: 'Unknown field "checkProcessed"' }])).toBe(false);
    expect(isAuthFailure({ code: 4500, reason: 'boom' })).toBe(false);
    expect(isAuthFailure({ code: 1006, reason: '' })).toBe(false);
  });

  it('backs off exponentially up to 30 s, with under a second of jitter', () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map((n) => reconnectDelay(n, none))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect(reconnectDelay(0, () => 0.999)).toBe(1999);
    expect(reconnectDelay(-3, none)).toBe(1000);
  });

  it('refetches after a reconnection, not after the first connection', () => {
    const first = run(INITIAL_LIVE_STATE, [{ type: 'connecting' }, { type: 'connected' }]);
    expect(first.state.status).toBe('live');
    expect(first.refetches).toEqual([false, false]);

    const again = run(first.state, [{ type: 'closed', active: true }, { type: 'connecting' }, { type: 'connected' }]);
    expect(again.refetches).toEqual([false, false, true]);
    expect(again.state).toEqual({ status: 'live', connections: 2, dropped: false });
  });

  it('shows "reconnecting" from a drop until the next connection, through several failed attempts', () => {
    const statuses: LiveStatus[] = [];
    let s = run(INITIAL_LIVE_STATE, [{ type: 'connecting' }, { type: 'connected' }]).state;
    for (const e of [
      { type: 'closed', active: true },
      { type: 'connecting' },
      { type: 'closed', active: true },
      { type: 'connecting' },
    ] as LiveEvent[]) {
      s = liveTransition(s, e).state;
      statuses.push(s.status);
    }
    expect(statuses).toEqual(['reconnecting', 'reconnecting', 'reconnecting', 'reconnecting']);
    expect(liveTransition(s, { type: 'connected' }).refetch).toBe(true);
  });

  it('does not refetch when the socket was closed on purpose (nothing subscribed) and opened again', () => {
    const r = run(INITIAL_LIVE_STATE, [{ type: 'connecting' }, { type: 'connected' }, { type: 'closed', active: false }, { type: 'connecting' }, { type: 'connected' }]);
    expect(r.refetches).toEqual([false, false, false, false, false]);
    expect(r.state.connections).toBe(2);
  });

  it('a first connection that never succeeded does not count as a drop', () => {
    const r = run(INITIAL_LIVE_STATE, [{ type: 'connecting' }, { type: 'closed', active: true }, { type: 'connecting' }, { type: 'connected' }]);
    expect(r.refetches.at(-1)).toBe(false);
  });

  it('gives up as "offline" and refetches once it is back', () => {
    const r = run(INITIAL_LIVE_STATE, [{ type: 'connecting' }, { type: 'connected' }, { type: 'failed' }]);
    expect(r.state.status).toBe('offline');
    expect(liveTransition(r.state, { type: 'connected' }).refetch).toBe(true);
  });
});

describe('live connection over a fake socket', () => {
  it('re-authenticates with a fresh token when the server refuses the old one, then delivers events', async () => {
    let token = 'old';
    const valid = 'new';
    const renewals: boolean[] = [];
    const { FakeSocket, inits } = fakeServer(
      () => valid,
      (q) => (q.includes('checkProcessed') ? [{ data: { checkProcessed: { checkId: 'c1' } } }] : []),
    );
    const live = new LiveConnection({
      token: async (renew) => {
        renewals.push(renew);
        if (renew) token = valid;
        return token;
      },
      url: 'ws://test/graphql/ws',
      webSocketImpl: FakeSocket,
      keepAliveMs: 0,
      retryDelay: () => 10,
    });
    const received: unknown[] = [];
    live.subscribe(doc('subscription { checkProcessed(locationId: "l") { checkId } }'), {}, { next: (d) => received.push(d) });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 3000 });
    expect(inits).toEqual(['Bearer old', 'Bearer new']);
    expect(renewals).toEqual([false, true]);
    expect(live.status).toBe('live');
    live.close();
    expect(live.status).toBe('idle');
  });

  it('shares one socket, reconnects after a drop, starts every subscription again and asks the views to refetch', async () => {
    const server = fakeServer(() => 't');
    const live = new LiveConnection({ token: async () => 't', url: 'ws://test/graphql/ws', webSocketImpl: server.FakeSocket, keepAliveMs: 0, retryDelay: () => 10 });
    const statuses: LiveStatus[] = [];
    live.onStatus((s) => statuses.push(s));
    const reconnects = vi.fn();
    live.onReconnect(reconnects);
    live.subscribe(doc('subscription A { a }'), {}, { next: () => undefined });
    live.subscribe(doc('subscription B { b }'), {}, { next: () => undefined });
    await vi.waitFor(() => expect(server.subscribes).toHaveLength(2), { timeout: 3000 });
    expect(server.inits).toHaveLength(1);
    expect(reconnects).not.toHaveBeenCalled();

    server.dropAll();
    await vi.waitFor(() => expect(reconnects).toHaveBeenCalledTimes(1), { timeout: 3000 });
    expect(server.inits).toHaveLength(2);
    expect(server.subscribes).toHaveLength(4);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    live.close();
  });

  it('a subscription the server refuses (no permission) reports the error and is not started again', async () => {
    const server = fakeServer(
      () => 't',
      (q) => (q.includes('forbidden') ? [{ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }] : []),
    );
    const live = new LiveConnection({ token: async () => 't', url: 'ws://test/graphql/ws', webSocketImpl: server.FakeSocket, keepAliveMs: 0, retryDelay: () => 10 });
    const errors: unknown[] = [];
    live.subscribe(doc('subscription { forbidden }'), {}, { next: () => undefined, error: (e) => errors.push(e) });
    live.subscribe(doc('subscription { fine }'), {}, { next: () => undefined });
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 3000 });
    server.dropAll();
    await vi.waitFor(() => expect(server.inits).toHaveLength(2), { timeout: 3000 });
    await vi.waitFor(() => expect(server.subscribes.filter((q) => q.includes('fine'))).toHaveLength(2), { timeout: 3000 });
    expect(server.subscribes.filter((q) => q.includes('forbidden'))).toHaveLength(1);
    live.close();
  });

  it('goes offline when the token cannot be renewed (fatal), and tells the subscribers', async () => {
    const server = fakeServer(() => 'never');
    class Gone extends Error {}
    const live = new LiveConnection({
      token: async (renew) => {
        if (renew) throw new Gone('reopen');
        return 'stale';
      },
      isFatal: (e) => e instanceof Gone,
      url: 'ws://test/graphql/ws',
      webSocketImpl: server.FakeSocket,
      keepAliveMs: 0,
      retryDelay: () => 10,
    });
    const errors: unknown[] = [];
    live.subscribe(doc('subscription { a }'), {}, { next: () => undefined, error: (e) => errors.push(e) });
    await vi.waitFor(() => expect(live.status).toBe('offline'), { timeout: 3000 });
    expect(errors[0]).toBeInstanceOf(Gone);
    live.close();
  });

  it('stops quietly: nothing is delivered after close', async () => {
    const server = fakeServer(() => 't');
    const live = new LiveConnection({ token: async () => 't', url: 'ws://test/graphql/ws', webSocketImpl: server.FakeSocket, keepAliveMs: 0 });
    const next = vi.fn();
    live.subscribe(doc('subscription A { a }'), {}, { next });
    await vi.waitFor(() => expect(server.subscribes).toHaveLength(1), { timeout: 3000 });
    live.close();
    for (const s of server.open) s.push('1', { data: { a: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    expect(next).not.toHaveBeenCalled();
    expect(live.subscribe(doc('subscription A { a }'), {}, { next })()).toBeUndefined();
  });
});

describe('the panel\'s and the guest\'s tokens for the connection', () => {
  it('staff: the current access token, a refreshed one when refused or missing; a refused refresh is fatal', async () => {
    const { staffLiveConnection } = await import('./liveHooks');
    const { ApiError } = await import('./errors');
    let access: string | null = 'a1';
    const refresh = vi.fn(async () => {
      access = 'a2';
      return { accessToken: 'a2' } as never;
    });
    // (the options are private; read them to check the rules without a socket)
    const live = staffLiveConnection({ getAccessToken: () => access, refresh });
    expect(live).toBeInstanceOf(LiveConnection);
    const opts = (live as unknown as { options: { token: (renew: boolean) => Promise<string>; isFatal: (e: unknown) => boolean } }).options;
    expect(await opts.token(false)).toBe('a1');
    expect(refresh).not.toHaveBeenCalled();
    expect(await opts.token(true)).toBe('a2');
    access = null;
    expect(await opts.token(false)).toBe('a2');
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(opts.isFatal(new ApiError('UNAUTHENTICATED', 'refresh refused'))).toBe(true);
    expect(opts.isFatal(new ApiError('NETWORK', 'offline'))).toBe(false);
    live.close();
  });

  it('guest: signs in again when refused; an initData too old to do so is fatal', async () => {
    const { GuestClient, ReopenRequiredError } = await import('../pages/miniapp/guestClient');
    const { ApiError } = await import('./errors');
    const client = new GuestClient('t', 'auth_date=1&hash=x');
    const live = client.createLive({ url: 'ws://test/graphql/ws' });
    const opts = (live as unknown as { options: { isFatal: (e: unknown) => boolean } }).options;
    expect(opts.isFatal(new ReopenRequiredError())).toBe(true);
    expect(opts.isFatal(new ApiError('NOT_FOUND', 'no bot'))).toBe(true);
    expect(opts.isFatal(new ApiError('NETWORK', 'offline'))).toBe(false);
    expect(opts.isFatal({ code: 1006, reason: '' })).toBe(false);
    live.close();
  });
});

import { describe, expect, it, vi } from 'vitest';
import { isAuthFailure, subscribeToChecks, subscriptionUrl, type LiveReceipt } from './liveChecks';

const receipt = { checkId: 'c1', locationId: 'loc1' } as LiveReceipt;

/**
 * A graphql-transport-ws server in a fake WebSocket: accepts `connection_init` only with the
 * currently valid token (else closes with 1002, as async-graphql does), then answers a
 * subscription with one receipt.
 */
function fakeServer(validToken: () => string) {
  const inits: string[] = [];
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
      setTimeout(() => {
        this.readyState = 1;
        this.onopen?.({});
      }, 0);
    }
    send(data: string) {
      const msg = JSON.parse(data) as { type: string; id?: string; payload?: { Authorization?: string } };
      if (msg.type === 'connection_init') {
        const auth = msg.payload?.Authorization ?? '';
        inits.push(auth);
        if (auth !== `Bearer ${validToken()}`) {
          setTimeout(() => this.close(1002, 'the access token has expired'), 0);
        } else {
          this.reply({ type: 'connection_ack' });
        }
      } else if (msg.type === 'subscribe') {
        this.reply({ type: 'next', id: msg.id, payload: { data: { checkProcessed: receipt } } });
      }
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }), 0);
    }
    private reply(m: unknown) {
      setTimeout(() => this.onmessage?.({ data: JSON.stringify(m) }), 0);
    }
  }
  return { FakeSocket, inits };
}

describe('live checks subscription', () => {
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
  });

  it('re-authenticates with a fresh token when the server refuses the old one, then delivers receipts', async () => {
    let token = 'old';
    let valid = 'new';
    const api = {
      getAccessToken: () => token,
      refresh: vi.fn(async () => {
        token = valid;
        return {} as never;
      }),
    };
    const { FakeSocket, inits } = fakeServer(() => valid);
    const received: LiveReceipt[] = [];
    const live: boolean[] = [];
    const stop = subscribeToChecks(api, 'loc1', { onReceipt: (r) => received.push(r), onLive: (l) => live.push(l) }, {
      url: 'ws://test/graphql/ws',
      webSocketImpl: FakeSocket,
    });
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 3000 });
    expect(inits).toEqual(['Bearer old', 'Bearer new']);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(live).toContain(true);
    expect(received[0]?.checkId).toBe('c1');
    stop();
    expect(live.at(-1)).toBe(false);
    valid = 'unused';
  });
});

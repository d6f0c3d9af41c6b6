import { describe, expect, it, vi } from 'vitest';
import { GraphQLClient, type AuthPayload } from './client';
import { ApiError } from './errors';
import { StaffDocument, LoginDocument, MeDocument } from './operations';
import { createTokenStore, memoryStorage, REFRESH_TOKEN_STORAGE_KEY } from './tokens';

interface Call {
  operationName: string;
  authorization: string | null;
  variables: Record<string, unknown>;
  method: string;
  contentType: string | null;
}

function payload(n: number): AuthPayload {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: '2030-01-01T00:00:00Z',
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: '2030-02-01T00:00:00Z',
    me: {
      role: 'OWNER',
      permissions: ['staff:read'],
      user: { id: 'u1', email: 'owner@example.com', displayName: 'Owner', locale: 'RU' },
      tenant: { id: 't1', name: 'Cafe', currency: 'RUB', createdAt: '2030-01-01T00:00:00Z' },
    },
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const gqlError = (code: string, message = code.toLowerCase()) => json({ data: null, errors: [{ message, extensions: { code } }] });

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * A fake GraphQL server: access tokens in `validAccess` are accepted; refresh tokens are single-use.
 * `beforeRefreshAnswer` / `beforeAnswer` let a test hold responses to create races.
 */
function fakeServer(opts: { validAccess?: string[]; validRefresh?: string[] } = {}) {
  const validAccess = new Set(opts.validAccess ?? []);
  const validRefresh = new Set(opts.validRefresh ?? ['refresh-0']);
  const calls: Call[] = [];
  let issued = 0;
  const hooks = {
    beforeRefreshAnswer: async () => {},
    beforeAnswer: async (_call: Call) => {},
    refreshResponse: null as null | (() => Response | Promise<Response>),
  };

  const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown>; operationName: string };
    const call: Call = {
      operationName: body.operationName,
      authorization: headers.get('authorization'),
      variables: body.variables,
      method: init?.method ?? 'GET',
      contentType: headers.get('content-type'),
    };
    calls.push(call);

    if (body.operationName === 'RefreshSession') {
      await hooks.beforeRefreshAnswer();
      if (hooks.refreshResponse) return hooks.refreshResponse();
      const token = String(body.variables.refreshToken);
      if (!validRefresh.delete(token)) return gqlError('UNAUTHENTICATED', 'refresh token invalid');
      issued += 1;
      const p = payload(issued);
      validAccess.add(p.accessToken);
      validRefresh.add(p.refreshToken);
      return json({ data: { refreshSession: p } });
    }
    if (body.operationName === 'Logout') {
      validRefresh.delete(String(body.variables.refreshToken));
      return json({ data: { logout: true } });
    }
    if (body.operationName === 'Login') {
      return gqlError('UNAUTHENTICATED', 'invalid credentials');
    }
    await hooks.beforeAnswer(call);
    const token = call.authorization?.replace(/^Bearer /, '') ?? '';
    if (!validAccess.has(token)) return gqlError('UNAUTHENTICATED', 'token expired');
    if (body.operationName === 'Staff') {
      return json({ data: { staff: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } });
    }
    if (body.operationName === 'Me') return json({ data: { me: payload(0).me } });
    return json({ errors: [{ message: 'unknown op' }] });
  });

  return { fetch, calls, hooks, validAccess, validRefresh };
}

function setup(server: ReturnType<typeof fakeServer>, opts: { access?: string; refresh?: string | null } = {}) {
  const refresh = opts.refresh === undefined ? 'refresh-0' : opts.refresh;
  const storage = memoryStorage(refresh === null ? {} : { [REFRESH_TOKEN_STORAGE_KEY]: refresh });
  const tokens = createTokenStore(storage);
  if (opts.access && refresh !== null) tokens.setTokens(opts.access, refresh);
  const client = new GraphQLClient({ tokens, fetch: server.fetch as unknown as typeof fetch, endpoint: '/graphql' });
  const authenticated = vi.fn();
  const expired = vi.fn();
  client.onAuthenticated(authenticated);
  client.onSessionExpired(expired);
  return { client, tokens, storage, authenticated, expired };
}

const ops = (calls: Call[]) => calls.map((c) => `${c.operationName}:${c.authorization ?? '-'}`);

describe('GraphQLClient transport', () => {
  it('POSTs JSON with the bearer token and operation name', async () => {
    const server = fakeServer({ validAccess: ['access-0'] });
    const { client } = setup(server, { access: 'access-0' });
    const data = await client.request(StaffDocument, { first: 10 });
    expect(data.staff.totalCount).toBe(0);
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]).toMatchObject({
      method: 'POST',
      operationName: 'Staff',
      authorization: 'Bearer access-0',
      contentType: 'application/json',
      variables: { first: 10 },
    });
    expect(server.fetch.mock.calls[0]?.[0]).toBe('/graphql');
  });

  it('turns a failed fetch into a NETWORK error and a non-JSON 502 into INTERNAL', async () => {
    const { client } = setup(fakeServer(), { access: 'access-0' });
    const failing = new GraphQLClient({
      tokens: createTokenStore(memoryStorage()),
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(failing.request(MeDocument, {})).rejects.toMatchObject({ code: 'NETWORK' });
    const bad = new GraphQLClient({
      tokens: createTokenStore(memoryStorage()),
      fetch: (async () => new Response('<html>bad gateway</html>', { status: 502 })) as unknown as typeof fetch,
    });
    await expect(bad.request(MeDocument, {})).rejects.toMatchObject({ code: 'INTERNAL', status: 502 });
    expect(client).toBeInstanceOf(GraphQLClient);
  });
});

describe('GraphQLClient session refresh', () => {
  it('on UNAUTHENTICATED refreshes once, stores the new tokens and retries', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const { client, tokens, storage, authenticated, expired } = setup(server, { access: 'stale' });

    const data = await client.request(StaffDocument, {});

    expect(data.staff.nodes).toEqual([]);
    expect(ops(server.calls)).toEqual(['Staff:Bearer stale', 'RefreshSession:-', 'Staff:Bearer access-1']);
    expect(server.calls[1]?.variables).toEqual({ refreshToken: 'refresh-0' });
    expect(tokens.getAccessToken()).toBe('access-1');
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-1'); // single-use: the new one is kept
    expect(authenticated).toHaveBeenCalledTimes(1);
    expect(authenticated.mock.calls[0]?.[0]).toMatchObject({ refreshToken: 'refresh-1' });
    expect(expired).not.toHaveBeenCalled();
  });

  it('concurrent requests share one refresh (single flight)', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const gate = deferred();
    server.hooks.beforeRefreshAnswer = () => gate.promise;
    const { client, storage } = setup(server, { access: 'stale' });

    const all = Promise.all([
      client.request(StaffDocument, {}),
      client.request(MeDocument, {}),
      client.request(StaffDocument, { first: 5 }),
    ]);
    // Let all three fail and queue behind the one refresh.
    await vi.waitFor(() => expect(server.calls.filter((c) => c.operationName === 'RefreshSession')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 10));
    gate.resolve();
    const [a, b, c] = await all;

    expect(a.staff.totalCount).toBe(0);
    expect(b.me.role).toBe('OWNER');
    expect(c.staff.totalCount).toBe(0);
    expect(server.calls.filter((x) => x.operationName === 'RefreshSession')).toHaveLength(1);
    const retries = server.calls.filter((x) => x.operationName !== 'RefreshSession' && x.authorization === 'Bearer access-1');
    expect(retries).toHaveLength(3);
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-1');
  });

  it('a request answered UNAUTHENTICATED after the refresh finished just retries with the new token', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const slow = deferred();
    server.hooks.beforeAnswer = async (call) => {
      if (call.operationName === 'Me' && call.authorization === 'Bearer stale') await slow.promise;
    };
    const { client } = setup(server, { access: 'stale' });

    const late = client.request(MeDocument, {}); // started with the stale token, answer held back
    await client.request(StaffDocument, {}); // fails, refreshes, retries
    slow.resolve();
    await expect(late).resolves.toMatchObject({ me: { role: 'OWNER' } });

    expect(server.calls.filter((c) => c.operationName === 'RefreshSession')).toHaveLength(1);
    expect(ops(server.calls).filter((o) => o.startsWith('Me:'))).toEqual(['Me:Bearer stale', 'Me:Bearer access-1']);
  });

  it('when the refresh is rejected: clears the tokens, reports expiry once, does not retry', async () => {
    const server = fakeServer({ validRefresh: [] }); // refresh-0 already used/revoked
    const { client, tokens, storage, expired, authenticated } = setup(server, { access: 'stale' });

    const results = await Promise.allSettled([client.request(StaffDocument, {}), client.request(MeDocument, {})]);

    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(server.calls.filter((c) => c.operationName === 'RefreshSession')).toHaveLength(1);
    expect(server.calls.filter((c) => c.authorization === 'Bearer access-1')).toHaveLength(0);
    expect(tokens.getAccessToken()).toBeNull();
    expect(tokens.getRefreshToken()).toBeNull();
    expect(storage.dump()).toEqual({});
    expect(expired).toHaveBeenCalledTimes(1);
    expect(authenticated).not.toHaveBeenCalled();
  });

  it('keeps the refresh token when the refresh fails for network reasons', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    server.hooks.refreshResponse = () => {
      throw new TypeError('Failed to fetch');
    };
    const { client, tokens, expired } = setup(server, { access: 'stale' });

    await expect(client.request(StaffDocument, {})).rejects.toMatchObject({ code: 'NETWORK' });
    expect(tokens.getRefreshToken()).toBe('refresh-0');
    expect(expired).not.toHaveBeenCalled();

    // Next time the server is back, the same token still works.
    server.hooks.refreshResponse = null;
    await expect(client.request(StaffDocument, {})).resolves.toBeDefined();
    expect(tokens.getRefreshToken()).toBe('refresh-1');
  });

  it('does not loop when the fresh token is rejected too', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const { client, expired } = setup(server, { access: 'stale' });
    server.hooks.beforeAnswer = async () => {
      server.validAccess.clear(); // the server rejects every access token
    };
    await expect(client.request(StaffDocument, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(ops(server.calls)).toEqual(['Staff:Bearer stale', 'RefreshSession:-', 'Staff:Bearer access-1']);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('without a refresh token goes straight to "expired"', async () => {
    const server = fakeServer();
    const { client, expired } = setup(server, { refresh: null });
    await expect(client.request(StaffDocument, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(server.calls.map((c) => c.operationName)).toEqual(['Staff']);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('public operations (login) never trigger a refresh', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const { client, tokens, expired } = setup(server, { access: 'stale' });
    await expect(
      client.request(LoginDocument, { input: { email: 'a@b.c', password: 'wrong' } }, { auth: false }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid credentials' });
    expect(server.calls.map((c) => c.operationName)).toEqual(['Login']);
    expect(server.calls[0]?.authorization).toBeNull(); // no bearer token on public operations
    expect(tokens.getRefreshToken()).toBe('refresh-0');
    expect(expired).not.toHaveBeenCalled();
  });

  it('restores a session from the stored refresh token (page load)', async () => {
    const server = fakeServer({ validRefresh: ['refresh-0'] });
    const { client, tokens, authenticated } = setup(server);
    const [p1, p2] = await Promise.all([client.refresh(), client.refresh()]); // e.g. StrictMode double effect
    expect(p1).toBe(p2);
    expect(server.calls.map((c) => c.operationName)).toEqual(['RefreshSession']);
    expect(tokens.getAccessToken()).toBe('access-1');
    expect(authenticated).toHaveBeenCalledTimes(1);
  });

  it('refreshes inside the cross-tab lock with the latest stored token', async () => {
    const server = fakeServer({ validRefresh: ['refresh-from-other-tab'] });
    const storage = memoryStorage({ [REFRESH_TOKEN_STORAGE_KEY]: 'refresh-0' });
    const tokens = createTokenStore(storage);
    const client = new GraphQLClient({
      tokens,
      fetch: server.fetch as unknown as typeof fetch,
      lock: async (fn) => {
        // While we waited for the lock, another tab rotated the token.
        storage.setItem(REFRESH_TOKEN_STORAGE_KEY, 'refresh-from-other-tab');
        return fn();
      },
    });
    await client.refresh();
    expect(server.calls[0]?.variables).toEqual({ refreshToken: 'refresh-from-other-tab' });
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-1');
  });

  it('logout revokes the refresh token on the server and clears storage, even offline', async () => {
    const server = fakeServer({ validAccess: ['access-0'], validRefresh: ['refresh-0'] });
    const { client, tokens, storage } = setup(server, { access: 'access-0' });
    await client.logout();
    expect(server.calls.map((c) => [c.operationName, c.variables, c.authorization])).toEqual([
      ['Logout', { refreshToken: 'refresh-0' }, null],
    ]);
    expect(server.validRefresh.has('refresh-0')).toBe(false);
    expect(tokens.getAccessToken()).toBeNull();
    expect(storage.dump()).toEqual({});

    const offline = new GraphQLClient({
      tokens: createTokenStore(memoryStorage({ [REFRESH_TOKEN_STORAGE_KEY]: 'r' })),
      fetch: (async () => {
        throw new TypeError('offline');
      }) as unknown as typeof fetch,
    });
    await offline.logout();
    expect(offline.hasRefreshToken()).toBe(false);
  });
});

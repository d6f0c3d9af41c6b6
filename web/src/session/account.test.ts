import { describe, expect, it, vi } from 'vitest';
import { GraphQLClient, type AuthPayload } from '../api/client';
import { ApiError } from '../api/errors';
import { MeDocument } from '../api/operations';
import { createTokenStore, memoryStorage, REFRESH_TOKEN_STORAGE_KEY } from '../api/tokens';
import { apiLocale, changePassword, signInLocale, switchTenant, uiLocale, updateMyProfile } from './account';

interface Call {
  operationName: string;
  authorization: string | null;
  variables: Record<string, unknown>;
}

function session(n: number, tenant: { id: string; name: string }): AuthPayload {
  return {
    accessToken: `access-${n}`,
    accessTokenExpiresAt: '2030-01-01T00:00:00Z',
    refreshToken: `refresh-${n}`,
    refreshTokenExpiresAt: '2030-02-01T00:00:00Z',
    me: {
      role: 'OWNER',
      permissions: ['staff:read'],
      user: { id: 'u1', email: 'owner@example.com', displayName: 'Owner', locale: 'RU' },
      tenant: { ...tenant, currency: 'RUB', createdAt: '2030-01-01T00:00:00Z' },
    },
  };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
const gqlError = (code: string, extensions: Record<string, unknown> = {}, message = code.toLowerCase()) =>
  json({ data: null, errors: [{ message, extensions: { code, ...extensions } }] });

/**
 * A fake server with sessions in two businesses. Access tokens map to a business; refresh tokens
 * are single-use; `logout` ends a session; `changePassword` ends every session and starts one.
 */
function fakeServer() {
  const tenants = { t1: { id: 't1', name: 'Cafe' }, t2: { id: 't2', name: 'Bakery' } };
  const access = new Map<string, keyof typeof tenants>([['access-0', 't1']]);
  const refresh = new Map<string, keyof typeof tenants>([['refresh-0', 't1']]);
  const calls: Call[] = [];
  let issued = 0;
  let password = 'old-password-1';
  const answers: { switchTenant?: () => Response; changePassword?: () => Response } = {};

  const start = (tenant: keyof typeof tenants) => {
    issued += 1;
    const p = session(issued, tenants[tenant]);
    access.set(p.accessToken, tenant);
    refresh.set(p.refreshToken, tenant);
    return p;
  };

  const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { variables: Record<string, unknown>; operationName: string };
    const authorization = new Headers(init?.headers).get('authorization');
    calls.push({ operationName: body.operationName, authorization, variables: body.variables });
    const v = body.variables;

    if (body.operationName === 'Logout') {
      refresh.delete(String(v.refreshToken));
      return json({ data: { logout: true } });
    }
    if (body.operationName === 'RefreshSession') {
      const tenant = refresh.get(String(v.refreshToken));
      if (!tenant) return gqlError('UNAUTHENTICATED');
      refresh.delete(String(v.refreshToken));
      return json({ data: { refreshSession: start(tenant) } });
    }
    const tenant = access.get(authorization?.replace(/^Bearer /, '') ?? '');
    if (!tenant) return gqlError('UNAUTHENTICATED');

    switch (body.operationName) {
      case 'Me':
        return json({ data: { me: session(0, tenants[tenant]).me } });
      case 'SwitchTenant': {
        if (answers.switchTenant) return answers.switchTenant();
        const target = String(v.tenantId);
        if (!(target in tenants)) return gqlError('NOT_FOUND', {}, 'not found');
        return json({ data: { switchTenant: start(target as keyof typeof tenants) } });
      }
      case 'ChangePassword': {
        if (answers.changePassword) return answers.changePassword();
        const input = v.input as { currentPassword: string; newPassword: string };
        if (input.currentPassword !== password) {
          return gqlError('VALIDATION', { field: 'currentPassword' }, 'the current password is wrong');
        }
        password = input.newPassword;
        access.clear(); // every session of the person ends…
        refresh.clear();
        return json({ data: { changePassword: start(tenant) } }); // …and a fresh one starts
      }
      case 'UpdateMyProfile': {
        const input = v.input as { displayName?: string; locale?: 'RU' | 'EN' };
        return json({
          data: {
            updateMyProfile: {
              id: 'u1',
              email: 'owner@example.com',
              displayName: input.displayName ?? 'Owner',
              locale: input.locale ?? 'RU',
            },
          },
        });
      }
      default:
        return json({ errors: [{ message: 'unknown op' }] });
    }
  });

  return { fetch, calls, access, refresh, answers };
}

function setup(server: ReturnType<typeof fakeServer>) {
  const storage = memoryStorage({ [REFRESH_TOKEN_STORAGE_KEY]: 'refresh-0' });
  const tokens = createTokenStore(storage);
  tokens.setTokens('access-0', 'refresh-0');
  const client = new GraphQLClient({ tokens, fetch: server.fetch as unknown as typeof fetch });
  const authenticated = vi.fn<(p: AuthPayload) => void>();
  const expired = vi.fn();
  client.onAuthenticated(authenticated);
  client.onSessionExpired(expired);
  return { client, tokens, storage, authenticated, expired };
}

const names = (calls: Call[]) => calls.map((c) => c.operationName);

describe('switching business', () => {
  it('stores the new tokens like a login, announces the new me and ends the previous session', async () => {
    const server = fakeServer();
    const { client, tokens, storage, authenticated, expired } = setup(server);

    const result = await switchTenant(client, 't2');

    expect(result.me.tenant.name).toBe('Bakery');
    expect(tokens.getAccessToken()).toBe('access-1');
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-1');
    expect(authenticated).toHaveBeenCalledTimes(1);
    expect(authenticated.mock.calls[0]?.[0].me.tenant).toMatchObject({ id: 't2', name: 'Bakery' });
    // The switch was sent with the old session's bearer; the old refresh token was then revoked (no bearer).
    expect(server.calls.map((c) => [c.operationName, c.authorization, c.variables])).toEqual([
      ['SwitchTenant', 'Bearer access-0', { tenantId: 't2' }],
      ['Logout', null, { refreshToken: 'refresh-0' }],
    ]);
    expect(server.refresh.has('refresh-0')).toBe(false);
    expect(server.refresh.get('refresh-1')).toBe('t2');
    expect(expired).not.toHaveBeenCalled();

    // Later requests run in the new business.
    const me = await client.request(MeDocument, {});
    expect(me.me.tenant.name).toBe('Bakery');
    expect(server.calls.at(-1)?.authorization).toBe('Bearer access-1');
  });

  it('after a switch, a refresh uses the new refresh token and stays in the new business', async () => {
    const server = fakeServer();
    const { client, tokens } = setup(server);
    await switchTenant(client, 't2');
    server.access.clear(); // the access token expires

    const me = await client.request(MeDocument, {});

    expect(me.me.tenant.id).toBe('t2');
    expect(server.calls.find((c) => c.operationName === 'RefreshSession')?.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(tokens.getRefreshToken()).toBe('refresh-2');
  });

  it('NOT_FOUND (not staff there) keeps the current session as it was', async () => {
    const server = fakeServer();
    const { client, tokens, storage, authenticated, expired } = setup(server);

    await expect(switchTenant(client, 't-unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect(tokens.getAccessToken()).toBe('access-0');
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-0');
    expect(names(server.calls)).toEqual(['SwitchTenant']); // no logout of the current session
    expect(server.refresh.has('refresh-0')).toBe(true);
    expect(authenticated).not.toHaveBeenCalled();
    expect(expired).not.toHaveBeenCalled();
  });

  it('with an expired access token: refreshes once, then switches; the rotated token is the one revoked', async () => {
    const server = fakeServer();
    const { client, tokens } = setup(server);
    server.access.delete('access-0');

    await switchTenant(client, 't2');

    expect(server.calls.map((c) => `${c.operationName}:${c.authorization ?? '-'}`)).toEqual([
      'SwitchTenant:Bearer access-0',
      'RefreshSession:-',
      'SwitchTenant:Bearer access-1',
      'Logout:-',
    ]);
    expect(server.calls.at(-1)?.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(tokens.getAccessToken()).toBe('access-2');
    expect(tokens.getRefreshToken()).toBe('refresh-2');
    expect(server.refresh.get('refresh-2')).toBe('t2');
  });

  it('a failing logout of the old session does not undo the switch', async () => {
    const server = fakeServer();
    const base = server.fetch.getMockImplementation()!;
    server.fetch.mockImplementation(async (url, init) => {
      if (String(init?.body).includes('"operationName":"Logout"')) throw new TypeError('Failed to fetch');
      return base(url, init);
    });
    const { client, tokens } = setup(server);

    await expect(switchTenant(client, 't2')).resolves.toMatchObject({ refreshToken: 'refresh-1' });
    expect(tokens.getRefreshToken()).toBe('refresh-1');
    expect(tokens.getAccessToken()).toBe('access-1');
  });
});

describe('changing the password', () => {
  it('stores the fresh session the server returns; the old refresh token is never used again', async () => {
    const server = fakeServer();
    const { client, tokens, storage, authenticated, expired } = setup(server);

    await changePassword(client, { currentPassword: 'old-password-1', newPassword: 'new-password-2' });

    expect(tokens.getAccessToken()).toBe('access-1');
    expect(storage.dump()[REFRESH_TOKEN_STORAGE_KEY]).toBe('refresh-1');
    expect(authenticated).toHaveBeenCalledTimes(1);
    expect(server.refresh.has('refresh-0')).toBe(false); // ended by the server

    server.access.clear(); // the new access token expires: the refresh must use the new refresh token
    await client.request(MeDocument, {});
    const refreshes = server.calls.filter((c) => c.operationName === 'RefreshSession');
    expect(refreshes.map((c) => c.variables.refreshToken)).toEqual(['refresh-1']);
    expect(expired).not.toHaveBeenCalled();
  });

  it('a wrong current password is a VALIDATION error on currentPassword and changes no tokens', async () => {
    const server = fakeServer();
    const { client, tokens, authenticated } = setup(server);

    const error = await changePassword(client, { currentPassword: 'nope', newPassword: 'new-password-2' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'currentPassword' });
    expect(tokens.getAccessToken()).toBe('access-0');
    expect(tokens.getRefreshToken()).toBe('refresh-0');
    expect(authenticated).not.toHaveBeenCalled();
  });

  it('RATE_LIMITED carries retryAfter', async () => {
    const server = fakeServer();
    server.answers.changePassword = () => gqlError('RATE_LIMITED', { retryAfter: 42 }, 'too many failed attempts; try again in 42 s');
    const { client, tokens } = setup(server);

    await expect(changePassword(client, { currentPassword: 'x', newPassword: 'new-password-2' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: 42,
    });
    expect(tokens.getRefreshToken()).toBe('refresh-0');
  });
});

describe('profile', () => {
  it('sends only the given fields and returns the saved user', async () => {
    const server = fakeServer();
    const { client, authenticated } = setup(server);
    const user = await updateMyProfile(client, { displayName: 'Olga', locale: 'EN' });
    expect(user).toEqual({ id: 'u1', email: 'owner@example.com', displayName: 'Olga', locale: 'EN' });
    expect(server.calls[0]).toMatchObject({ operationName: 'UpdateMyProfile', variables: { input: { displayName: 'Olga', locale: 'EN' } } });
    expect(authenticated).not.toHaveBeenCalled(); // no new session
  });
});

describe('language at sign-in', () => {
  it('uses the person’s saved language only when nobody chose one in this browser', () => {
    expect(signInLocale(null, 'EN')).toBe('en');
    expect(signInLocale(null, 'RU')).toBe('ru');
    expect(signInLocale('ru', 'EN')).toBeNull(); // an explicit choice wins
    expect(signInLocale('en', 'RU')).toBeNull();
    expect(signInLocale(null, null)).toBeNull();
    expect(signInLocale(null, undefined)).toBeNull();
  });

  it('maps the API enum to the UI language and back', () => {
    expect(uiLocale('EN')).toBe('en');
    expect(uiLocale('RU')).toBe('ru');
    expect(apiLocale('en')).toBe('EN');
    expect(apiLocale('ru')).toBe('RU');
  });
});

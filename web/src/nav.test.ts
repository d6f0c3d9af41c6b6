import { describe, expect, it } from 'vitest';
import { accessFor, findNavItem, hasPermission, isCurrentNav, matchPath, normalizePath, safeNextPath, visibleNavItems } from './nav';

const ids = (perms: string[] | undefined, role?: string) => visibleNavItems(perms, role).map((i) => i.id);

const OWNER = [
  'staff:read',
  'staff:manage',
  'locations:read',
  'locations:manage',
  'roles:read',
  'roles:manage',
  'audit:read',
];
const CASHIER = ['locations:read', 'guests:read', 'checks:process'];

describe('permission → navigation', () => {
  it('shows every section to an owner, in menu order', () => {
    expect(ids(OWNER)).toEqual(['home', 'staff', 'locations', 'roles', 'audit']);
  });

  it('shows a cashier the cashier screen first, then home, guests and (read-only) locations', () => {
    expect(ids(CASHIER, 'CASHIER')).toEqual(['cashier', 'home', 'guests', 'locations']);
    // other roles with the same permission keep the usual order
    expect(ids(CASHIER, 'MANAGER')).toEqual(['home', 'cashier', 'guests', 'locations']);
  });

  it('shows the loyalty sections with their permissions', () => {
    expect(ids(['loyalty:read'])).toEqual(['home', 'levels', 'promotions', 'loyaltySettings']);
    expect(accessFor('/promotions', ['loyalty:read']).kind).toBe('allowed');
    expect(accessFor('/promotions', CASHIER).kind).toBe('forbidden');
    expect(ids(['loyalty:manage'])).toEqual(['home']);
    expect(ids(['guests:create'])).toEqual(['home']);
  });

  it('needs the :read permission; :manage alone does not show a link', () => {
    expect(ids(['staff:manage'])).toEqual(['home']);
    expect(ids(['staff:read'])).toEqual(['home', 'staff']);
    expect(ids(['audit:read', 'roles:read'])).toEqual(['home', 'roles', 'audit']);
  });

  it('always shows home, even with no permissions at all', () => {
    expect(ids([])).toEqual(['home']);
    expect(ids(undefined)).toEqual(['home']);
  });

  it('does not match permission strings partially', () => {
    expect(hasPermission(['staff:reader'], 'staff:read')).toBe(false);
    expect(hasPermission(['STAFF:READ'], 'staff:read')).toBe(false);
    expect(hasPermission([], null)).toBe(true);
  });
});

describe('page access', () => {
  it('allows pages the user has the permission for', () => {
    expect(accessFor('/staff', OWNER)).toMatchObject({ kind: 'allowed', item: { id: 'staff' } });
    expect(accessFor('/', CASHIER)).toMatchObject({ kind: 'allowed', item: { id: 'home' } });
    expect(accessFor('/locations/', CASHIER)).toMatchObject({ kind: 'allowed', item: { id: 'locations' } });
  });

  it('answers forbidden (not unknown) for known pages without the permission', () => {
    expect(accessFor('/staff', CASHIER).kind).toBe('forbidden');
    expect(accessFor('/roles', CASHIER).kind).toBe('forbidden');
    expect(accessFor('/audit', CASHIER).kind).toBe('forbidden');
  });

  it('opens the profile for every signed-in role, without a side-menu link', () => {
    for (const perms of [OWNER, CASHIER, [], undefined]) {
      expect(accessFor('/profile', perms)).toMatchObject({ kind: 'allowed', item: { id: 'profile' } });
      expect(ids(perms)).not.toContain('profile');
    }
    expect(accessFor('/profile/', CASHIER).kind).toBe('allowed');
  });

  it('opens the notification centre for every signed-in role, from the bell (no side-menu link)', () => {
    for (const perms of [OWNER, CASHIER, [], undefined]) {
      expect(accessFor('/notifications', perms)).toMatchObject({ kind: 'allowed', item: { id: 'notifications' } });
      expect(ids(perms)).not.toContain('notifications');
    }
  });

  it('matches a guest card under the guest list', () => {
    expect(accessFor('/guests/0b1c', CASHIER)).toMatchObject({ kind: 'allowed', item: { id: 'guest' } });
    expect(accessFor('/guests/0b1c/', CASHIER)).toMatchObject({ kind: 'allowed', item: { id: 'guest' } });
    expect(accessFor('/guests/0b1c', OWNER).kind).toBe('forbidden');
    expect(accessFor('/guests/a/b', CASHIER).kind).toBe('unknown');
    expect(matchPath('/guests/:id', '/guests/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/guests/:id', '/guests')).toBeNull();
    expect(matchPath('/guests/:id', '/guests/%E0%A4%A')).toBeNull();
    const guests = findNavItem('/guests');
    expect(guests && isCurrentNav(guests, '/guests/x')).toBe(true);
    expect(guests && isCurrentNav(guests, '/guests')).toBe(true);
    expect(guests && isCurrentNav(guests, '/levels')).toBe(false);
  });

  it('answers unknown for paths that are not pages', () => {
    expect(accessFor('/nope', OWNER).kind).toBe('unknown');
  });

  it('normalizes paths', () => {
    expect(normalizePath('/staff/')).toBe('/staff');
    expect(normalizePath('/staff?x=1')).toBe('/staff');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('')).toBe('/');
  });

  it('accepts only local post-login destinations', () => {
    expect(safeNextPath('/staff')).toBe('/staff');
    expect(safeNextPath('//evil.example')).toBe('/');
    expect(safeNextPath('https://evil.example')).toBe('/');
    expect(safeNextPath('/login')).toBe('/');
    expect(safeNextPath(null)).toBe('/');
  });
});

describe('integration pages', () => {
  it('need integrations:manage', () => {
    expect(ids(['integrations:manage'])).toEqual(['home', 'integrations', 'apiKeys', 'webhooks', 'jobs']);
    for (const path of ['/integrations', '/api-keys', '/webhooks', '/jobs']) {
      expect(accessFor(path, ['integrations:manage']).kind).toBe('allowed');
      expect(accessFor(path, OWNER).kind).toBe('forbidden');
    }
  });
});

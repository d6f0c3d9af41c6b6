import type { MessageKey } from './i18n/types';

/** Permission strings as sent in `me.permissions`. */
export const PERMISSIONS = {
  staffRead: 'staff:read',
  staffManage: 'staff:manage',
  locationsRead: 'locations:read',
  locationsManage: 'locations:manage',
  rolesRead: 'roles:read',
  rolesManage: 'roles:manage',
  auditRead: 'audit:read',
  auditExport: 'audit:export',
  checksProcess: 'checks:process',
  guestsRead: 'guests:read',
  guestsCreate: 'guests:create',
  guestsManage: 'guests:manage',
  pointsAdjust: 'points:adjust',
  loyaltyRead: 'loyalty:read',
  loyaltyManage: 'loyalty:manage',
  integrationsManage: 'integrations:manage',
} as const;

export type PageId =
  | 'home'
  | 'cashier'
  | 'guests'
  | 'guest'
  | 'levels'
  | 'promotions'
  | 'loyaltySettings'
  | 'staff'
  | 'locations'
  | 'roles'
  | 'audit'
  | 'integrations'
  | 'apiKeys'
  | 'webhooks'
  | 'jobs'
  | 'profile'
  | 'notifications';

export interface NavItem {
  id: PageId;
  path: string;
  labelKey: MessageKey;
  /** Permission needed to see the link and open the page; null = any signed-in user. */
  permission: string | null;
  /** false: a page without a side-menu link (reached from elsewhere, e.g. the header). */
  inMenu?: boolean;
  /** For a page under another one (a guest under the guest list): the menu link to highlight. */
  parent?: PageId;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', path: '/', labelKey: 'nav.home', permission: null },
  { id: 'cashier', path: '/cashier', labelKey: 'nav.cashier', permission: PERMISSIONS.checksProcess },
  { id: 'guests', path: '/guests', labelKey: 'nav.guests', permission: PERMISSIONS.guestsRead },
  { id: 'levels', path: '/levels', labelKey: 'nav.levels', permission: PERMISSIONS.loyaltyRead },
  { id: 'promotions', path: '/promotions', labelKey: 'nav.promotions', permission: PERMISSIONS.loyaltyRead },
  { id: 'loyaltySettings', path: '/loyalty-settings', labelKey: 'nav.loyaltySettings', permission: PERMISSIONS.loyaltyRead },
  { id: 'staff', path: '/staff', labelKey: 'nav.staff', permission: PERMISSIONS.staffRead },
  { id: 'locations', path: '/locations', labelKey: 'nav.locations', permission: PERMISSIONS.locationsRead },
  { id: 'roles', path: '/roles', labelKey: 'nav.roles', permission: PERMISSIONS.rolesRead },
  { id: 'audit', path: '/audit', labelKey: 'nav.audit', permission: PERMISSIONS.auditRead },
  { id: 'integrations', path: '/integrations', labelKey: 'nav.integrations', permission: PERMISSIONS.integrationsManage },
  { id: 'apiKeys', path: '/api-keys', labelKey: 'nav.apiKeys', permission: PERMISSIONS.integrationsManage },
  { id: 'webhooks', path: '/webhooks', labelKey: 'nav.webhooks', permission: PERMISSIONS.integrationsManage },
  { id: 'jobs', path: '/jobs', labelKey: 'nav.jobs', permission: PERMISSIONS.integrationsManage },
  // The own profile: every signed-in role, linked from the user's name in the header.
  { id: 'profile', path: '/profile', labelKey: 'nav.profile', permission: null, inMenu: false },
  // The notification centre: every signed-in role, reached from the bell in the header.
  { id: 'notifications', path: '/notifications', labelKey: 'nav.notifications', permission: null, inMenu: false },
  // One guest's card, opened from the guest list.
  { id: 'guest', path: '/guests/:id', labelKey: 'nav.guests', permission: PERMISSIONS.guestsRead, inMenu: false, parent: 'guests' },
];

export function hasPermission(permissions: readonly string[] | undefined, permission: string | null): boolean {
  if (permission === null) return true;
  return permissions?.includes(permission) ?? false;
}

/**
 * The side-menu links a user with these permissions may see, in menu order. For a cashier the
 * cashier screen comes first: it is what they open the panel for.
 */
export function visibleNavItems(permissions: readonly string[] | undefined, role?: string): NavItem[] {
  const items = NAV_ITEMS.filter((item) => item.inMenu !== false && hasPermission(permissions, item.permission));
  if (role === 'CASHIER') {
    const cashier = items.find((item) => item.id === 'cashier');
    if (cashier) return [cashier, ...items.filter((item) => item !== cashier)];
  }
  return items;
}

/** `/guests/:id` against `/guests/abc` → `{ id: 'abc' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = normalizePath(path).split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (!g) return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** Whether a menu link is the current page (or the current page lives under it). */
export function isCurrentNav(item: NavItem, path: string): boolean {
  const here = findNavItem(path);
  return here !== undefined && (here.id === item.id || here.parent === item.id);
}

/** "/staff/" → "/staff"; keeps "/". */
export function normalizePath(path: string): string {
  const clean = path.split(/[?#]/)[0] || '/';
  return clean.length > 1 ? clean.replace(/\/+$/, '') || '/' : clean;
}

export function findNavItem(path: string): NavItem | undefined {
  const p = normalizePath(path);
  return NAV_ITEMS.find((item) => item.path === p) ?? NAV_ITEMS.find((item) => item.path.includes(':') && matchPath(item.path, p));
}

export type Access = { kind: 'allowed'; item: NavItem } | { kind: 'forbidden'; item: NavItem } | { kind: 'unknown' };

/** Decides what a signed-in user sees at a path: the page, the no-access view, or "not found". */
export function accessFor(path: string, permissions: readonly string[] | undefined): Access {
  const item = findNavItem(path);
  if (!item) return { kind: 'unknown' };
  return hasPermission(permissions, item.permission) ? { kind: 'allowed', item } : { kind: 'forbidden', item };
}

/** Only same-origin app paths are accepted as a post-login destination. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login') || next.startsWith('/signup')) return '/';
  return next;
}

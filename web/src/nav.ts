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
} as const;

export type PageId = 'home' | 'staff' | 'locations' | 'roles' | 'audit' | 'profile';

export interface NavItem {
  id: PageId;
  path: string;
  labelKey: MessageKey;
  /** Permission needed to see the link and open the page; null = any signed-in user. */
  permission: string | null;
  /** false: a page without a side-menu link (reached from elsewhere, e.g. the header). */
  inMenu?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', path: '/', labelKey: 'nav.home', permission: null },
  { id: 'staff', path: '/staff', labelKey: 'nav.staff', permission: PERMISSIONS.staffRead },
  { id: 'locations', path: '/locations', labelKey: 'nav.locations', permission: PERMISSIONS.locationsRead },
  { id: 'roles', path: '/roles', labelKey: 'nav.roles', permission: PERMISSIONS.rolesRead },
  { id: 'audit', path: '/audit', labelKey: 'nav.audit', permission: PERMISSIONS.auditRead },
  // The own profile: every signed-in role, linked from the user's name in the header.
  { id: 'profile', path: '/profile', labelKey: 'nav.profile', permission: null, inMenu: false },
];

export function hasPermission(permissions: readonly string[] | undefined, permission: string | null): boolean {
  if (permission === null) return true;
  return permissions?.includes(permission) ?? false;
}

/** The side-menu links a user with these permissions may see, in menu order. */
export function visibleNavItems(permissions: readonly string[] | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => item.inMenu !== false && hasPermission(permissions, item.permission));
}

/** "/staff/" → "/staff"; keeps "/". */
export function normalizePath(path: string): string {
  const clean = path.split(/[?#]/)[0] || '/';
  return clean.length > 1 ? clean.replace(/\/+$/, '') || '/' : clean;
}

export function findNavItem(path: string): NavItem | undefined {
  const p = normalizePath(path);
  return NAV_ITEMS.find((item) => item.path === p);
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

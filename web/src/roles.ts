import type { Role } from './gql/graphql';
import type { MessageKey } from './i18n/types';

export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'MANAGER', 'CASHIER'];

export function roleKey(role: Role): MessageKey {
  return `role.${role}`;
}

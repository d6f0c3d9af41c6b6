import type { AuditLogQuery } from '../gql/graphql';
import { toCsv, type CsvValue } from '../csv';

export type AuditEntry = AuditLogQuery['auditLog']['nodes'][number];

/** Actions the server writes to the audit log (suggestions for the filter; any text works). */
export const AUDIT_ACTIONS: readonly string[] = [
  'auth.logout',
  'auth.refresh_reuse',
  'auth.session_start',
  'check.process',
  'check.reverse',
  'guest.create',
  'guest.update',
  'location.create',
  'location.rename',
  'loyalty.create_level',
  'loyalty.delete_level',
  'loyalty.update_level',
  'loyalty.update_settings',
  'points.adjust',
  'points.expire',
  'points.hold',
  'points.hold_capture',
  'points.hold_expire',
  'points.hold_void',
  'roles.set_permissions',
  'staff.deactivate',
  'staff.invitation_revoke',
  'staff.invite',
  'staff.join',
  'staff.reactivate',
  'staff.role_change',
  'tenant.sign_up',
  'user.change_password',
  'user.update_profile',
];

export const AUDIT_CSV_COLUMNS = ['at', 'actor_email', 'actor_id', 'action', 'target_type', 'target_id', 'ip', 'details'] as const;

/** The audit log as CSV rows (a header, then one row per entry; times in ISO 8601 UTC as stored). */
export function auditCsv(entries: readonly AuditEntry[], options: { delimiter: string; header?: readonly string[] }): string {
  const rows: CsvValue[][] = [
    [...(options.header ?? AUDIT_CSV_COLUMNS)],
    ...entries.map((e) => [e.at, e.actorEmail, e.actorId, e.action, e.targetType, e.targetId, e.ip, e.details]),
  ];
  return toCsv(rows, { delimiter: options.delimiter, bom: true });
}

/**
 * Reads every page of the audit log (oldest first, 100 per request — the server's maximum).
 * `onProgress` gets the number read so far and the total.
 */
export async function fetchAllAudit(
  fetchPage: (after: string | null) => Promise<AuditLogQuery['auditLog']>,
  onProgress?: (read: number, total: number) => void,
  signal?: AbortSignal,
): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  let after: string | null = null;
  for (;;) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const page = await fetchPage(after);
    all.push(...page.nodes);
    onProgress?.(all.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || page.nodes.length === 0) return all;
    after = page.pageInfo.endCursor;
  }
}

/** `audit-2026-11-21.csv`, `audit-staff.invite-2026-11-21.csv`. */
export function auditFileName(action: string | null, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  const safe = action ? `-${action.replace(/[^A-Za-z0-9._-]+/g, '_')}` : '';
  return `audit${safe}-${day}.csv`;
}

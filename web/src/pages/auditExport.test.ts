import { describe, expect, it, vi } from 'vitest';
import { auditCsv, auditFileName, fetchAllAudit, type AuditEntry } from './auditExport';

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: '1',
  at: '2026-11-21T10:00:00Z',
  actorId: 'u1',
  actorEmail: 'owner@example.com',
  action: 'points.adjust',
  targetType: 'guest',
  targetId: 'g1',
  ip: '127.0.0.1',
  details: '{"points":500,"reason":"Приветственный бонус; спасибо"}',
  ...over,
});

describe('audit CSV', () => {
  it('has a BOM, a header and escaped JSON details', () => {
    const csv = auditCsv([entry(), entry({ id: '2', actorEmail: null, actorId: null, ip: null, targetId: null })], { delimiter: ';' });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('\uFEFFat;actor_email;actor_id;action;target_type;target_id;ip;details');
    expect(lines[1]).toBe(
      '2026-11-21T10:00:00Z;owner@example.com;u1;points.adjust;guest;g1;127.0.0.1;"{""points"":500,""reason"":""Приветственный бонус; спасибо""}"',
    );
    expect(lines[2]).toBe('2026-11-21T10:00:00Z;;;points.adjust;guest;;;"{""points"":500,""reason"":""Приветственный бонус; спасибо""}"');
    expect(lines[3]).toBe('');
  });

  it('reads every page', async () => {
    const pages = [
      { totalCount: 3, pageInfo: { hasNextPage: true, endCursor: 'c2', hasPreviousPage: false, startCursor: 'c1' }, nodes: [entry({ id: '1' }), entry({ id: '2' })] },
      { totalCount: 3, pageInfo: { hasNextPage: false, endCursor: 'c3', hasPreviousPage: true, startCursor: 'c3' }, nodes: [entry({ id: '3' })] },
    ];
    const fetchPage = vi.fn(async (after: string | null) => (after === null ? pages[0]! : pages[1]!));
    const progress = vi.fn();
    const all = await fetchAllAudit(fetchPage, progress);
    expect(all.map((e) => e.id)).toEqual(['1', '2', '3']);
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([null, 'c2']);
    expect(progress).toHaveBeenLastCalledWith(3, 3);
  });

  it('names the file by day and filter', () => {
    const day = new Date('2026-11-21T10:00:00Z');
    expect(auditFileName(null, day)).toBe('audit-2026-11-21.csv');
    expect(auditFileName('staff.invite', day)).toBe('audit-staff.invite-2026-11-21.csv');
    expect(auditFileName('a/b c', day)).toBe('audit-a_b_c-2026-11-21.csv');
  });
});

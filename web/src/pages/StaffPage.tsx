import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { useConnection } from '../api/hooks';
import {
  ChangeStaffRoleDocument,
  DeactivateStaffDocument,
  InvitationsDocument,
  InviteStaffDocument,
  ReactivateStaffDocument,
  RevokeInvitationDocument,
  StaffDocument,
} from '../api/operations';
import { ErrorNotice, LoadMore, Loading, PageHeader, SelectField, SuccessNotice, TextField } from '../components/ui';
import type { InvitationsQuery, Role, StaffQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { hasPermission, PERMISSIONS } from '../nav';
import { roleKey, ROLES } from '../roles';
import { useMe, useSession } from '../session/SessionProvider';

type StaffMember = StaffQuery['staff']['nodes'][number];
type Invitation = InvitationsQuery['invitations']['nodes'][number];

export function StaffPage() {
  const { t, formatDate, formatDateTime } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const canManage = hasPermission(me.permissions, PERMISSIONS.staffManage);

  const staff = useConnection(StaffDocument, (d) => d.staff, {});
  // Newest invitations first.
  const invitations = useConnection(InvitationsDocument, (d) => d.invitations, {}, { direction: 'backward' });

  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);

  const run = async (id: string, action: () => Promise<string>) => {
    setBusyId(id);
    setNotice(null);
    setActionError(undefined);
    try {
      setNotice(await action());
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  const changeRole = (member: StaffMember, role: Role) =>
    run(member.id, async () => {
      const data = await client.request(ChangeStaffRoleDocument, { id: member.id, role });
      staff.replaceNode((n) => n.id === member.id, data.changeStaffRole);
      return t('staff.roleChanged', { name: member.displayName });
    });

  const toggleActive = (member: StaffMember) => {
    if (member.active && !window.confirm(t('staff.confirmDeactivate', { name: member.displayName }))) return;
    return run(member.id, async () => {
      if (member.active) {
        const data = await client.request(DeactivateStaffDocument, { id: member.id });
        staff.replaceNode((n) => n.id === member.id, data.deactivateStaff);
        return t('staff.deactivated', { name: member.displayName });
      }
      const data = await client.request(ReactivateStaffDocument, { id: member.id });
      staff.replaceNode((n) => n.id === member.id, data.reactivateStaff);
      return t('staff.reactivated', { name: member.displayName });
    });
  };

  const revoke = (invitation: Invitation) => {
    if (!window.confirm(t('staff.confirmRevoke', { email: invitation.email }))) return;
    return run(invitation.id, async () => {
      const data = await client.request(RevokeInvitationDocument, { id: invitation.id });
      invitations.replaceNode((n) => n.id === invitation.id, data.revokeInvitation);
      return t('staff.revoked', { email: invitation.email });
    });
  };

  // StaffMember.id is the user id.
  const isMe = (member: StaffMember) => member.id === me.user.id;

  return (
    <section data-testid="staff-page">
      <PageHeader title={t('staff.title')} />
      {!canManage ? (
        <p className="notice notice-info" data-testid="staff-read-only">
          {t('staff.readOnly')}
        </p>
      ) : null}
      <SuccessNotice message={notice} testId="staff-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="staff-action-error" />

      {canManage ? (
        <InviteForm
          onInvited={(email) => {
            setNotice(t('staff.inviteSent', { email }));
            void invitations.reload();
          }}
        />
      ) : null}

      <section className="card" aria-labelledby="staff-list-title">
        <div className="card-header">
          <h2 id="staff-list-title">{t('staff.listTitle')}</h2>
          {!staff.loading ? <span className="muted">{t('common.total', { count: staff.totalCount })}</span> : null}
        </div>
        {staff.loading ? <Loading testId="staff-loading" /> : null}
        <ErrorNotice error={staff.error} testId="staff-error" onRetry={() => void staff.reload()} />
        {!staff.loading && !staff.error && staff.nodes.length === 0 ? <p className="muted">{t('staff.empty')}</p> : null}
        {staff.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="staff-table">
              <thead>
                <tr>
                  <th scope="col">{t('staff.col.name')}</th>
                  <th scope="col">{t('staff.col.email')}</th>
                  <th scope="col">{t('staff.col.role')}</th>
                  <th scope="col">{t('staff.col.status')}</th>
                  <th scope="col">{t('staff.col.joined')}</th>
                  {canManage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {staff.nodes.map((member) => (
                  <tr
                    key={member.id}
                    data-testid="staff-row"
                    data-email={member.email}
                    data-role={member.role}
                    data-active={member.active}
                    data-me={isMe(member)}
                  >
                    <td>
                      {member.displayName}
                      {isMe(member) ? <span className="badge">{t('staff.you')}</span> : null}
                    </td>
                    <td>{member.email}</td>
                    <td>
                      {canManage && !isMe(member) ? (
                        <select
                          className="inline-select"
                          value={member.role}
                          aria-label={t('staff.roleFor', { name: member.displayName })}
                          disabled={busyId === member.id}
                          onChange={(e) => void changeRole(member, e.target.value as Role)}
                          data-testid="staff-role-select"
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(roleKey(r))}
                            </option>
                          ))}
                        </select>
                      ) : (
                        t(roleKey(member.role))
                      )}
                    </td>
                    <td>
                      <span className={`status ${member.active ? 'status-ok' : 'status-off'}`}>
                        {member.active ? t('staff.active') : t('staff.inactive')}
                      </span>
                    </td>
                    <td>{formatDate(member.joinedAt)}</td>
                    {canManage ? (
                      <td>
                        {!isMe(member) ? (
                          <button
                            type="button"
                            className="button button-small button-secondary"
                            disabled={busyId === member.id}
                            onClick={() => void toggleActive(member)}
                            data-testid={member.active ? 'staff-deactivate' : 'staff-reactivate'}
                          >
                            {member.active ? t('staff.deactivate') : t('staff.reactivate')}
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore visible={staff.hasMore} loading={staff.loadingMore} onClick={() => void staff.loadMore()} testId="staff-load-more" />
      </section>

      <section className="card" aria-labelledby="invitations-title">
        <div className="card-header">
          <h2 id="invitations-title">{t('staff.invitesTitle')}</h2>
          {!invitations.loading ? <span className="muted">{t('common.total', { count: invitations.totalCount })}</span> : null}
        </div>
        {invitations.loading ? <Loading testId="invitations-loading" /> : null}
        <ErrorNotice error={invitations.error} testId="invitations-error" onRetry={() => void invitations.reload()} />
        {!invitations.loading && !invitations.error && invitations.nodes.length === 0 ? (
          <p className="muted" data-testid="invitations-empty">
            {t('staff.invitesEmpty')}
          </p>
        ) : null}
        {invitations.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="invitations-table">
              <thead>
                <tr>
                  <th scope="col">{t('staff.col.email')}</th>
                  <th scope="col">{t('staff.col.role')}</th>
                  <th scope="col">{t('staff.col.status')}</th>
                  <th scope="col">{t('staff.col.created')}</th>
                  <th scope="col">{t('staff.col.expires')}</th>
                  {canManage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {invitations.nodes.map((inv) => (
                  <tr key={inv.id} data-testid="invitation-row" data-email={inv.email} data-status={inv.status}>
                    <td>{inv.email}</td>
                    <td>{t(roleKey(inv.role))}</td>
                    <td>
                      <span className={`status status-${inv.status.toLowerCase()}`}>{t(`invitationStatus.${inv.status}`)}</span>
                    </td>
                    <td>{formatDateTime(inv.createdAt)}</td>
                    <td>{formatDateTime(inv.expiresAt)}</td>
                    {canManage ? (
                      <td>
                        {inv.status === 'PENDING' ? (
                          <button
                            type="button"
                            className="button button-small button-danger"
                            disabled={busyId === inv.id}
                            onClick={() => void revoke(inv)}
                            aria-label={t('staff.revokeFor', { email: inv.email })}
                            data-testid="invitation-revoke"
                          >
                            {t('staff.revoke')}
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore
          visible={invitations.hasMore}
          loading={invitations.loadingMore}
          onClick={() => void invitations.loadMore()}
          testId="invitations-load-more"
        />
      </section>
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: (email: string) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('CASHIER');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const data = await client.request(InviteStaffDocument, { input: { email: email.trim(), role } });
      setEmail('');
      onInvited(data.inviteStaff.email);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const field = error ? describeError(error, t).field : undefined;

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('staff.inviteTitle')}</h2>
      <p className="muted">{t('staff.inviteHint')}</p>
      <form className="form form-inline" onSubmit={onSubmit} data-testid="invite-form">
        <TextField
          label={t('field.email')}
          type="email"
          name="email"
          required
          autoComplete="off"
          value={email}
          onValueChange={setEmail}
          invalid={field === 'email'}
          testId="invite-email"
        />
        <SelectField
          label={t('field.role')}
          name="role"
          value={role}
          onValueChange={(v) => setRole(v as Role)}
          options={ROLES.map((r) => ({ value: r, label: t(roleKey(r)) }))}
          invalid={field === 'role'}
          testId="invite-role"
        />
        <button type="submit" className="button" disabled={busy} data-testid="invite-submit">
          {busy ? t('staff.inviteSending') : t('staff.inviteSubmit')}
        </button>
      </form>
      <ErrorNotice error={error} testId="invite-error" />
    </section>
  );
}

import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '../api/hooks';
import { RolePermissionsDocument, SetRolePermissionsDocument } from '../api/operations';
import { ErrorNotice, Loading, PageHeader, SuccessNotice } from '../components/ui';
import type { Role, RolePermissionsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { isMessageKey } from '../i18n/translate';
import { hasPermission, PERMISSIONS } from '../nav';
import { roleKey, ROLES } from '../roles';
import { useMe, useSession } from '../session/SessionProvider';

type RoleRow = RolePermissionsQuery['rolePermissions'][number];

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

export function RolesPage() {
  const { t } = useI18n();
  const me = useMe();
  const { client, reloadMe } = useSession();
  const canManage = hasPermission(me.permissions, PERMISSIONS.rolesManage);
  const query = useQuery(RolePermissionsDocument, {});

  // Saved state per role (from the server) and the edited copy.
  const [saved, setSaved] = useState<Partial<Record<Role, RoleRow>>>({});
  const [draft, setDraft] = useState<Partial<Record<Role, string[]>>>({});
  const [savingRole, setSavingRole] = useState<Role | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(undefined);

  useEffect(() => {
    if (!query.data) return;
    const bySaved: Partial<Record<Role, RoleRow>> = {};
    const byDraft: Partial<Record<Role, string[]>> = {};
    for (const row of query.data.rolePermissions) {
      bySaved[row.role] = row;
      byDraft[row.role] = [...row.permissions];
    }
    setSaved(bySaved);
    setDraft(byDraft);
  }, [query.data]);

  const roles = useMemo(() => ROLES.filter((r) => saved[r]), [saved]);
  const catalog = query.data?.permissionCatalog ?? [];

  const toggle = (role: Role, key: string, on: boolean) => {
    setNotice(null);
    setDraft((d) => {
      const current = d[role] ?? [];
      const next = on ? [...current.filter((k) => k !== key), key] : current.filter((k) => k !== key);
      return { ...d, [role]: next };
    });
  };

  const save = async (role: Role) => {
    const permissions = draft[role];
    if (!permissions) return;
    setSavingRole(role);
    setNotice(null);
    setSaveError(undefined);
    try {
      const data = await client.request(SetRolePermissionsDocument, { role, permissions });
      const row = data.setRolePermissions;
      setSaved((s) => ({ ...s, [role]: row }));
      setDraft((d) => ({ ...d, [role]: [...row.permissions] }));
      setNotice(t('roles.saved', { role: t(roleKey(role)) }));
      if (role === me.role) await reloadMe(); // own navigation may change
    } catch (e) {
      setSaveError(e);
    } finally {
      setSavingRole(null);
    }
  };

  const label = (key: string, description: string) => {
    const k = `perm.${key}`;
    return isMessageKey(k) ? t(k) : description;
  };

  return (
    <section data-testid="roles-page">
      <PageHeader title={t('roles.title')} />
      {canManage ? <p className="muted">{t('roles.intro')}</p> : null}
      {!canManage ? (
        <p className="notice notice-info" data-testid="roles-read-only">
          {t('roles.readOnly')}
        </p>
      ) : null}
      <SuccessNotice message={notice} testId="roles-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={saveError} testId="roles-save-error" />
      {query.loading ? <Loading testId="roles-loading" /> : null}
      <ErrorNotice error={query.error} testId="roles-error" onRetry={() => void query.refetch()} />
      {query.data && catalog.length === 0 ? <p className="muted">{t('roles.empty')}</p> : null}
      {query.data && catalog.length > 0 ? (
        <div className="table-wrap card">
          <table className="table matrix" data-testid="roles-matrix">
            <thead>
              <tr>
                <th scope="col">{t('roles.col.permission')}</th>
                {roles.map((role) => {
                  const row = saved[role];
                  const editable = Boolean(row?.editable) && canManage;
                  const dirty = !sameSet(draft[role] ?? [], row?.permissions ?? []);
                  return (
                    <th scope="col" key={role} data-testid={`role-col-${role}`} data-editable={row?.editable}>
                      <div className="matrix-head">
                        <span>{t(roleKey(role))}</span>
                        {!row?.editable ? <span className="badge">{t('roles.locked')}</span> : null}
                        {dirty ? <span className="badge badge-warn">{t('roles.unsaved')}</span> : null}
                        {editable ? (
                          <button
                            type="button"
                            className="button button-small"
                            disabled={!dirty || savingRole !== null}
                            onClick={() => void save(role)}
                            aria-label={t('roles.saveFor', { role: t(roleKey(role)) })}
                            data-testid={`role-save-${role}`}
                          >
                            {savingRole === role ? t('common.saving') : t('roles.save')}
                          </button>
                        ) : null}
                      </div>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {catalog.map((perm) => (
                <tr key={perm.key} data-testid="permission-row" data-key={perm.key}>
                  <th scope="row">
                    <span>{label(perm.key, perm.description)}</span>
                    <code className="perm-key">{perm.key}</code>
                  </th>
                  {roles.map((role) => {
                    const editable = Boolean(saved[role]?.editable) && canManage;
                    const checked = (draft[role] ?? []).includes(perm.key);
                    return (
                      <td key={role} className="matrix-cell">
                        <input
                          type="checkbox"
                          checked={checked}
                          disabled={!editable || savingRole === role}
                          onChange={(e) => toggle(role, perm.key, e.target.checked)}
                          aria-label={t('roles.toggle', { role: t(roleKey(role)), permission: perm.key })}
                          data-testid={`perm-${role}-${perm.key}`}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

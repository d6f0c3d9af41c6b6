import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '../api/hooks';
import { CreateLevelDocument, DeleteLevelDocument, LevelsDocument, UpdateLevelDocument } from '../api/operations';
import { isFieldError, serverFieldError } from '../components/formErrors';
import { ErrorNotice, Loading, PageHeader, SuccessNotice, TextField } from '../components/ui';
import type { LevelFieldsFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/types';
import { parsePercentToBp } from '../money';
import { hasPermission, PERMISSIONS } from '../nav';
import { useMe, useSession } from '../session/SessionProvider';
import { DECIMAL_ERROR_KEYS, useFormat } from '../useFormat';

type Level = LevelFieldsFragment;
const LEVEL_FIELDS = ['name', 'thresholdMinor', 'cashbackBp', 'maxRedeemBp'] as const;

export function LevelsPage() {
  const { t } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const fmt = useFormat();
  const canManage = hasPermission(me.permissions, PERMISSIONS.loyaltyManage);
  const query = useQuery(LevelsDocument, {});
  const [levels, setLevels] = useState<Level[] | null>(null);
  const [editing, setEditing] = useState<Level | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    if (query.data) setLevels(query.data.levels);
  }, [query.data]);

  const remove = async (level: Level) => {
    if (!window.confirm(t('levels.confirmDelete', { name: level.name }))) return;
    setBusyId(level.id);
    setNotice(null);
    setDeleteError(undefined);
    try {
      const data = await client.request(DeleteLevelDocument, { id: level.id });
      setLevels(data.deleteLevel);
      if (editing !== 'new' && editing?.id === level.id) setEditing(null);
      setNotice(t('levels.deleted', { name: level.name }));
    } catch (e) {
      setDeleteError(e);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section data-testid="levels-page">
      <PageHeader title={t('levels.title')}>
        {canManage && editing === null ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setNotice(null);
              setEditing('new');
            }}
            data-testid="level-new"
          >
            {t('levels.new')}
          </button>
        ) : null}
      </PageHeader>
      <p className="muted">{t('levels.intro')}</p>
      {!canManage ? (
        <p className="notice notice-info" data-testid="levels-read-only">
          {t('levels.readOnly')}
        </p>
      ) : null}
      <SuccessNotice message={notice} testId="levels-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={deleteError} testId="levels-delete-error" />

      {editing !== null ? (
        <LevelForm
          key={editing === 'new' ? 'new' : editing.id}
          level={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(list, name) => {
            setLevels(list);
            setEditing(null);
            setNotice(t('levels.saved', { name }));
          }}
        />
      ) : null}

      <section className="card">
        {query.loading && !levels ? <Loading testId="levels-loading" /> : null}
        <ErrorNotice error={query.error} testId="levels-error" onRetry={() => void query.refetch()} />
        {levels && levels.length === 0 ? <p className="muted">{t('levels.empty')}</p> : null}
        {levels && levels.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="levels-table">
              <thead>
                <tr>
                  <th scope="col">{t('levels.col.name')}</th>
                  <th scope="col" className="num">
                    {t('levels.col.threshold')}
                  </th>
                  <th scope="col" className="num">
                    {t('levels.col.cashback')}
                  </th>
                  <th scope="col" className="num">
                    {t('levels.col.maxRedeem')}
                  </th>
                  {canManage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {levels.map((level) => (
                  <tr key={level.id} data-testid="level-row" data-name={level.name}>
                    <td>
                      <strong>{level.name}</strong>
                    </td>
                    <td className="num" data-testid="level-threshold">
                      {fmt.money(level.thresholdMinor)}
                    </td>
                    <td className="num" data-testid="level-cashback">
                      {fmt.bp(level.cashbackBp)}
                    </td>
                    <td className="num" data-testid="level-max-redeem">
                      {fmt.bp(level.maxRedeemBp)}
                    </td>
                    {canManage ? (
                      <td className="nowrap">
                        <button
                          type="button"
                          className="button button-small button-secondary"
                          onClick={() => {
                            setNotice(null);
                            setEditing(level);
                          }}
                          aria-label={t('levels.editFor', { name: level.name })}
                          data-testid="level-edit"
                        >
                          {t('levels.edit')}
                        </button>{' '}
                        <button
                          type="button"
                          className="button button-small button-danger"
                          onClick={() => void remove(level)}
                          disabled={busyId === level.id}
                          aria-label={t('levels.deleteFor', { name: level.name })}
                          data-testid="level-delete"
                        >
                          {t('levels.delete')}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </section>
  );
}

interface LevelErrors {
  name?: string;
  threshold?: string;
  cashback?: string;
  maxRedeem?: string;
}

function LevelForm({ level, onCancel, onSaved }: { level: Level | null; onCancel: () => void; onSaved: (levels: Level[], name: string) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const fmt = useFormat();
  const [name, setName] = useState(level?.name ?? '');
  const [threshold, setThreshold] = useState(level ? fmt.moneyInput(level.thresholdMinor) : '');
  const [cashback, setCashback] = useState(level ? fmt.bpInput(level.cashbackBp) : '');
  const [maxRedeem, setMaxRedeem] = useState(level ? fmt.bpInput(level.maxRedeemBp) : '');
  const [local, setLocal] = useState<LevelErrors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const thresholdParsed = fmt.parseMoney(threshold);
    const cashbackParsed = parsePercentToBp(cashback);
    const maxParsed = parsePercentToBp(maxRedeem);
    const percentError = (r: ReturnType<typeof parsePercentToBp>) =>
      r.ok ? undefined : r.error === 'tooLarge' ? t('levels.percentRange') : t(DECIMAL_ERROR_KEYS[r.error] as MessageKey);
    const errors: LevelErrors = {
      name: name.trim() ? undefined : t('common.required'),
      threshold: thresholdParsed.ok ? undefined : t(DECIMAL_ERROR_KEYS[thresholdParsed.error]),
      cashback: percentError(cashbackParsed),
      maxRedeem: percentError(maxParsed),
    };
    setLocal(errors);
    if (!thresholdParsed.ok || !cashbackParsed.ok || !maxParsed.ok || errors.name) return;
    setBusy(true);
    setError(undefined);
    const input = { name: name.trim(), thresholdMinor: thresholdParsed.value, cashbackBp: cashbackParsed.value, maxRedeemBp: maxParsed.value };
    try {
      const list = level
        ? (await client.request(UpdateLevelDocument, { id: level.id, input })).updateLevel
        : (await client.request(CreateLevelDocument, { input })).createLevel;
      onSaved(list, input.name);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="level-form-title">
      <h2 id="level-form-title">{level ? t('levels.editTitle', { name: level.name }) : t('levels.createTitle')}</h2>
      <form
        className="form"
        onSubmit={(e) => void onSubmit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        noValidate
        data-testid="level-form"
      >
        <div className="form-grid">
          <TextField
            label={t('field.levelName')}
            name="name"
            required
            autoFocus
            maxLength={60}
            value={name}
            onValueChange={setName}
            error={local.name ?? serverFieldError(error, 'name', t)}
            testId="level-name"
          />
          <TextField
            label={t('field.thresholdMinor')}
            name="threshold"
            inputMode="decimal"
            value={threshold}
            onValueChange={setThreshold}
            hint={t('levels.thresholdHint', { currency: fmt.currency })}
            error={local.threshold ?? serverFieldError(error, 'thresholdMinor', t)}
            testId="level-threshold-input"
          />
          <TextField
            label={t('field.cashbackBp')}
            name="cashback"
            inputMode="decimal"
            value={cashback}
            onValueChange={setCashback}
            hint={t('levels.percentHint')}
            error={local.cashback ?? serverFieldError(error, 'cashbackBp', t)}
            testId="level-cashback-input"
          />
          <TextField
            label={t('field.maxRedeemBp')}
            name="maxRedeem"
            inputMode="decimal"
            value={maxRedeem}
            onValueChange={setMaxRedeem}
            hint={t('levels.percentHint')}
            error={local.maxRedeem ?? serverFieldError(error, 'maxRedeemBp', t)}
            testId="level-max-redeem-input"
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="level-save">
            {busy ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      {!isFieldError(error, LEVEL_FIELDS) ? <ErrorNotice error={error} testId="level-error" /> : null}
    </section>
  );
}

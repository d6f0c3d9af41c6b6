import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '../../api/hooks';
import { ArchivePromotionDocument, CreatePromotionDocument, LocationsDocument, PromotionsDocument, UpdatePromotionDocument } from '../../api/operations';
import { isFieldError, serverFieldError } from '../../components/formErrors';
import { ErrorNotice, Loading, PageHeader, SelectField, SuccessNotice, TextField } from '../../components/ui';
import type { PromotionFieldsFragment, PromotionKind, Weekday } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import { hasPermission, PERMISSIONS } from '../../nav';
import { useMe, useSession } from '../../session/SessionProvider';
import { useFormat } from '../../useFormat';
import {
  budgetProgress,
  datesText,
  describeRule,
  emptyPromotionForm,
  formFromPromotion,
  kindKey,
  localIsoDate,
  locationsText,
  PROMOTION_KINDS,
  promotionStatus,
  SERVER_FIELD_TO_FORM,
  serverFieldsFor,
  validatePromotionForm,
  WEEKDAYS,
  type PromotionField,
  type PromotionForm,
  type PromotionFormErrors,
} from './logic';

type Promotion = PromotionFieldsFragment;
interface LocationOption {
  id: string;
  name: string;
}

const STATUS_CLASS = { active: 'status-ok', scheduled: 'status-pending', ended: '', archived: 'status-off' } as const;

/** `/promotions`: the business's promotions; creating, editing and archiving with `loyalty:manage`. */
export function PromotionsPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const canManage = hasPermission(me.permissions, PERMISSIONS.loyaltyManage);
  const canSeeLocations = hasPermission(me.permissions, PERMISSIONS.locationsRead);
  const [showArchived, setShowArchived] = useState(false);
  const query = useQuery(PromotionsDocument, { includeArchived: showArchived });
  const locationsQuery = useQuery(LocationsDocument, { first: 100 }, { skip: !canSeeLocations });
  const locations: LocationOption[] | null = locationsQuery.data?.locations.nodes ?? null;
  const locationNames = useMemo(() => new Map((locations ?? []).map((l) => [l.id, l.name])), [locations]);
  const [promotions, setPromotions] = useState<Promotion[] | null>(null);
  const [editing, setEditing] = useState<Promotion | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [archiveError, setArchiveError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const today = localIsoDate();

  useEffect(() => {
    if (query.data) setPromotions(query.data.promotions);
  }, [query.data]);

  const archive = async (p: Promotion) => {
    if (!window.confirm(t('promotions.confirmArchive', { name: p.name }))) return;
    setBusyId(p.id);
    setNotice(null);
    setArchiveError(undefined);
    try {
      const data = await client.request(ArchivePromotionDocument, { id: p.id });
      const archived = data.archivePromotion;
      setPromotions((list) => (list ?? []).flatMap((x) => (x.id !== archived.id ? [x] : showArchived ? [archived] : [])));
      if (editing !== 'new' && editing?.id === p.id) setEditing(null);
      setNotice(t('promotions.archived', { name: p.name }));
    } catch (e) {
      setArchiveError(e);
    } finally {
      setBusyId(null);
    }
  };

  const onSaved = (saved: Promotion, created: boolean) => {
    setPromotions((list) => {
      const current = list ?? [];
      return created ? [...current, saved] : current.map((x) => (x.id === saved.id ? saved : x));
    });
    setEditing(null);
    setNotice(t(created ? 'promotions.created' : 'promotions.saved', { name: saved.name }));
  };

  return (
    <section data-testid="promotions-page">
      <PageHeader title={t('promotions.title')}>
        {canManage && editing === null ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setNotice(null);
              setEditing('new');
            }}
            data-testid="promotion-new"
          >
            {t('promotions.new')}
          </button>
        ) : null}
      </PageHeader>
      <p className="muted">{t('promotions.intro')}</p>
      {!canManage ? (
        <p className="notice notice-info" data-testid="promotions-read-only">
          {t('promotions.readOnly')}
        </p>
      ) : null}
      <SuccessNotice message={notice} testId="promotions-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={archiveError} testId="promotions-archive-error" />

      {editing !== null ? (
        <PromotionEditor
          key={editing === 'new' ? 'new' : editing.id}
          promotion={editing === 'new' ? null : editing}
          locations={locations}
          onCancel={() => setEditing(null)}
          onSaved={onSaved}
        />
      ) : null}

      <section className="card">
        <div className="card-header">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={showArchived}
              onChange={(e) => setShowArchived(e.target.checked)}
              data-testid="promotions-show-archived"
            />
            {t('promotions.showArchived')}
          </label>
        </div>
        {query.loading && !promotions ? <Loading testId="promotions-loading" /> : null}
        <ErrorNotice error={query.error} testId="promotions-error" onRetry={() => void query.refetch()} />
        {promotions && promotions.length === 0 ? (
          <p className="muted" data-testid="promotions-empty">
            {t('promotions.empty')}
          </p>
        ) : null}
        {promotions && promotions.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="promotions-table">
              <thead>
                <tr>
                  <th scope="col">{t('promotions.col.name')}</th>
                  <th scope="col">{t('promotions.col.rule')}</th>
                  <th scope="col">{t('promotions.col.dates')}</th>
                  <th scope="col">{t('promotions.col.budget')}</th>
                  {canManage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {promotions.map((p) => {
                  const status = promotionStatus(p, today);
                  return (
                    <tr key={p.id} data-testid="promotion-row" data-name={p.name} data-kind={p.kind} data-status={status}>
                      <td>
                        <strong>{p.name}</strong>
                        <span className="promotion-kind" data-testid="promotion-kind">
                          {t(kindKey(p.kind))}
                        </span>
                      </td>
                      <td data-testid="promotion-rule">{describeRule(p.rule, t, locale, locationNames)}</td>
                      <td>
                        <span className="nowrap" data-testid="promotion-dates">
                          {datesText(p.startsOn, p.endsOn, t, locale)}
                        </span>{' '}
                        <span className={`status ${STATUS_CLASS[status]}`} data-testid="promotion-status">
                          {t(`promotions.status.${status}`)}
                        </span>
                      </td>
                      <td className="promotion-budget">
                        <BudgetCell promotion={p} />
                      </td>
                      {canManage ? (
                        <td className="nowrap">
                          {!p.archived ? (
                            <>
                              <button
                                type="button"
                                className="button button-small button-secondary"
                                onClick={() => {
                                  setNotice(null);
                                  setEditing(p);
                                }}
                                aria-label={t('promotions.editFor', { name: p.name })}
                                data-testid="promotion-edit"
                              >
                                {t('promotions.edit')}
                              </button>{' '}
                              <button
                                type="button"
                                className="button button-small button-danger"
                                onClick={() => void archive(p)}
                                disabled={busyId === p.id}
                                aria-label={t('promotions.archiveFor', { name: p.name })}
                                data-testid="promotion-archive"
                              >
                                {t('promotions.archive')}
                              </button>
                            </>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </section>
  );
}

function BudgetCell({ promotion: p }: { promotion: Promotion }) {
  const { t, formatDateTime } = useI18n();
  const fmt = useFormat();
  const progress = budgetProgress(p.granted, p.budget);
  const exhausted = p.budgetExhaustedAt !== null;
  if (!progress || p.budget === null) {
    return (
      <div data-testid="promotion-budget" data-granted={p.granted}>
        <span>{t('promotions.budget.none')}</span>
        <small className="field-hint block" data-testid="promotion-granted" data-value={p.granted}>
          {t('promotions.budget.granted', { granted: fmt.points(p.granted) })}
        </small>
      </div>
    );
  }
  return (
    <div data-testid="promotion-budget" data-granted={p.granted} data-budget={p.budget} data-exhausted={exhausted}>
      <div
        className={`progress progress-small${exhausted ? ' progress-exhausted' : ''}`}
        role="progressbar"
        aria-label={t('promotions.budget.label', { percent: progress.percent })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress.percent}
        data-testid="promotion-budget-bar"
      >
        <div className="progress-bar" style={{ width: `${progress.percent}%` }} />
      </div>
      <small className="field-hint block">
        <span data-testid="promotion-granted" data-value={p.granted}>
          {t('promotions.budget.progress', { granted: fmt.points(p.granted), budget: fmt.points(p.budget) })}
        </span>{' '}
        · {fmt.bp(progress.percent * 100)}
      </small>
      {exhausted ? (
        <span
          className="badge badge-danger"
          title={t('promotions.budget.exhaustedSince', { at: formatDateTime(p.budgetExhaustedAt) })}
          data-testid="promotion-budget-exhausted"
        >
          {t('promotions.budget.exhausted')}
        </span>
      ) : (
        <small className="field-hint block">{t('promotions.budget.remaining', { remaining: fmt.points(progress.remaining) })}</small>
      )}
    </div>
  );
}

const SERVER_FIELDS = Object.keys(SERVER_FIELD_TO_FORM);
const HOURS_FROM = Array.from({ length: 24 }, (_, h) => String(h));
const HOURS_TO = Array.from({ length: 24 }, (_, h) => String(h + 1));

function PromotionEditor({
  promotion,
  locations,
  onCancel,
  onSaved,
}: {
  promotion: Promotion | null;
  locations: LocationOption[] | null;
  onCancel: () => void;
  onSaved: (p: Promotion, created: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const { client } = useSession();
  const [form, setForm] = useState<PromotionForm>(() => (promotion ? formFromPromotion(promotion, locale) : emptyPromotionForm()));
  const [local, setLocal] = useState<PromotionFormErrors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof PromotionForm>(key: K, value: PromotionForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));

  /** The message under an input: the local check first, then the server's field error. */
  const fieldError = (field: PromotionField): string | undefined => {
    const l = local[field];
    if (l) return t(l.key, l.params);
    return serverFieldError(error, serverFieldsFor(field), t);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validatePromotionForm(form);
    if (!checked.ok) {
      setLocal(checked.errors);
      return;
    }
    setLocal({});
    setBusy(true);
    setError(undefined);
    try {
      const saved = promotion
        ? (await client.request(UpdatePromotionDocument, { id: promotion.id, input: checked.input })).updatePromotion
        : (await client.request(CreatePromotionDocument, { input: checked.input })).createPromotion;
      onSaved(saved, promotion === null);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const kind = form.kind;
  const hoursError = fieldError('hours');
  const weekdaysError = fieldError('weekdays');
  const locationsError = fieldError('locations');

  return (
    <section className="card" aria-labelledby="promotion-form-title">
      <h2 id="promotion-form-title">{promotion ? t('promotions.editTitle', { name: promotion.name }) : t('promotions.createTitle')}</h2>
      <form
        className="form"
        onSubmit={(e) => void onSubmit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        noValidate
        data-testid="promotion-form"
        data-kind={kind}
      >
        <div className="form-grid">
          {promotion ? (
            <div className="field">
              <span className="field-label">{t('promotions.form.kind')}</span>
              <strong data-testid="promotion-kind-fixed">{t(kindKey(kind))}</strong>
              <small className="field-hint">{t('promotions.form.kindFixed')}</small>
              {fieldError('kind') ? <small className="field-error">{fieldError('kind')}</small> : null}
            </div>
          ) : (
            <SelectField
              label={t('promotions.form.kind')}
              name="kind"
              value={kind}
              onValueChange={(v) => {
                set('kind', v as PromotionKind);
                setLocal({});
              }}
              options={PROMOTION_KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }))}
              testId="promotion-kind-select"
            />
          )}
          <TextField
            label={t('field.name')}
            name="name"
            required
            autoFocus
            maxLength={100}
            value={form.name}
            onValueChange={(v) => set('name', v)}
            hint={t('promotions.form.nameHint')}
            error={fieldError('name')}
            testId="promotion-name"
          />
        </div>

        {kind === 'WELCOME' || kind === 'BIRTHDAY' ? (
          <div className="form-grid">
            <TextField
              label={t('promotions.form.points')}
              name="points"
              inputMode="numeric"
              value={form.points}
              onValueChange={(v) => set('points', v)}
              hint={kind === 'WELCOME' ? t('promotions.form.welcomeHint') : t('promotions.form.birthdayHint')}
              error={fieldError('points')}
              testId="promotion-points"
            />
            {kind === 'BIRTHDAY' ? (
              <>
                <TextField
                  label={t('field.daysBefore')}
                  name="daysBefore"
                  inputMode="numeric"
                  value={form.daysBefore}
                  onValueChange={(v) => set('daysBefore', v)}
                  error={fieldError('daysBefore')}
                  testId="promotion-days-before"
                />
                <TextField
                  label={t('field.daysAfter')}
                  name="daysAfter"
                  inputMode="numeric"
                  value={form.daysAfter}
                  onValueChange={(v) => set('daysAfter', v)}
                  error={fieldError('daysAfter')}
                  testId="promotion-days-after"
                />
              </>
            ) : null}
          </div>
        ) : null}

        {kind === 'MULTIPLIER' ? (
          <>
            <div className="form-grid">
              <TextField
                label={t('promotions.form.factor')}
                name="factor"
                inputMode="decimal"
                value={form.factor}
                onValueChange={(v) => set('factor', v)}
                hint={t('promotions.form.factorHint')}
                error={fieldError('factor')}
                testId="promotion-factor"
              />
            </div>
            <fieldset className="fieldset" aria-describedby="promotion-weekdays-hint">
              <legend>{t('field.weekdays')}</legend>
              <div className="checkbox-group" data-testid="promotion-weekdays">
                {WEEKDAYS.map((d: Weekday) => (
                  <label key={d} className="checkbox">
                    <input
                      type="checkbox"
                      checked={form.weekdays.includes(d)}
                      onChange={(e) => set('weekdays', toggle(form.weekdays, d, e.target.checked))}
                      data-testid={`promotion-weekday-${d}`}
                    />
                    {t(`weekday.${d}`)}
                  </label>
                ))}
              </div>
              {weekdaysError ? <small className="field-error">{weekdaysError}</small> : null}
              <small id="promotion-weekdays-hint" className="field-hint">
                {t('promotions.form.weekdaysHint')}
              </small>
            </fieldset>
            <fieldset className="fieldset">
              <legend>{t('field.hours')}</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.hoursLimited}
                  onChange={(e) => set('hoursLimited', e.target.checked)}
                  data-testid="promotion-hours-limited"
                />
                {t('promotions.form.hoursLimited')}
              </label>
              {form.hoursLimited ? (
                <div className="form-row">
                  <SelectField
                    label={t('promotions.form.hoursFrom')}
                    name="hoursFrom"
                    value={form.hoursFrom}
                    onValueChange={(v) => set('hoursFrom', v)}
                    options={HOURS_FROM.map((h) => ({ value: h, label: `${h.padStart(2, '0')}:00` }))}
                    invalid={Boolean(hoursError)}
                    testId="promotion-hours-from"
                  />
                  <SelectField
                    label={t('promotions.form.hoursTo')}
                    name="hoursTo"
                    value={form.hoursTo}
                    onValueChange={(v) => set('hoursTo', v)}
                    options={HOURS_TO.map((h) => ({ value: h, label: `${h.padStart(2, '0')}:00` }))}
                    invalid={Boolean(hoursError)}
                    testId="promotion-hours-to"
                  />
                </div>
              ) : null}
              {hoursError ? (
                <small className="field-error" data-testid="promotion-hours-error">
                  {hoursError}
                </small>
              ) : null}
              {form.hoursLimited ? <small className="field-hint">{t('promotions.form.hoursHint')}</small> : null}
            </fieldset>
            <fieldset className="fieldset">
              <legend>{t('field.locations')}</legend>
              {locations === null ? (
                form.locationIds.length > 0 ? (
                  <p className="muted">{locationsText(form.locationIds, t, locale)}</p>
                ) : null
              ) : locations.length === 0 ? (
                <p className="muted">{t('promotions.form.noLocations')}</p>
              ) : (
                <div className="checkbox-group" data-testid="promotion-locations">
                  {locations.map((l) => (
                    <label key={l.id} className="checkbox">
                      <input
                        type="checkbox"
                        checked={form.locationIds.includes(l.id)}
                        onChange={(e) => set('locationIds', toggle(form.locationIds, l.id, e.target.checked))}
                        data-testid="promotion-location"
                        data-name={l.name}
                      />
                      {l.name}
                    </label>
                  ))}
                </div>
              )}
              {locationsError ? (
                <small className="field-error" data-testid="promotion-locations-error">
                  {locationsError}
                </small>
              ) : null}
              <small className="field-hint">{t('promotions.form.locationsHint')}</small>
            </fieldset>
          </>
        ) : null}

        {kind === 'REFERRAL' ? (
          <div className="form-grid">
            <TextField
              label={t('field.referrerPoints')}
              name="referrerPoints"
              inputMode="numeric"
              value={form.referrerPoints}
              onValueChange={(v) => set('referrerPoints', v)}
              error={fieldError('referrerPoints')}
              testId="promotion-referrer-points"
            />
            <TextField
              label={t('field.refereePoints')}
              name="refereePoints"
              inputMode="numeric"
              value={form.refereePoints}
              onValueChange={(v) => set('refereePoints', v)}
              hint={t('promotions.form.referralHint')}
              error={fieldError('refereePoints')}
              testId="promotion-referee-points"
            />
          </div>
        ) : null}

        <div className="form-grid">
          <TextField
            label={t('field.startsOn')}
            name="startsOn"
            type="date"
            value={form.startsOn}
            onValueChange={(v) => set('startsOn', v)}
            error={fieldError('startsOn')}
            testId="promotion-starts-on"
          />
          <TextField
            label={t('field.endsOn')}
            name="endsOn"
            type="date"
            value={form.endsOn}
            onValueChange={(v) => set('endsOn', v)}
            hint={t('promotions.form.datesHint')}
            error={fieldError('endsOn')}
            testId="promotion-ends-on"
          />
          <TextField
            label={t('field.budget')}
            name="budget"
            inputMode="numeric"
            value={form.budget}
            onValueChange={(v) => set('budget', v)}
            hint={t('promotions.form.budgetHint')}
            error={fieldError('budget')}
            testId="promotion-budget-input"
          />
        </div>

        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="promotion-save">
            {busy ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel} data-testid="promotion-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
      {!isFieldError(error, SERVER_FIELDS) ? <ErrorNotice error={error} testId="promotion-error" /> : null}
    </section>
  );
}

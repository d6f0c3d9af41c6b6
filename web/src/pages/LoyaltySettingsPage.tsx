import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '../api/hooks';
import { LoyaltySettingsDocument, UpdateLoyaltySettingsDocument } from '../api/operations';
import { isFieldError, serverFieldError } from '../components/formErrors';
import { ErrorNotice, Loading, PageHeader, SelectField, SuccessNotice, TextField } from '../components/ui';
import type { LoyaltySettingsQuery, SpendBasis } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { parsePoints } from '../money';
import { hasPermission, PERMISSIONS } from '../nav';
import { useMe, useSession } from '../session/SessionProvider';
import { DECIMAL_ERROR_KEYS, useFormat } from '../useFormat';
import { utcOffsetLabel, utcOffsetOptions } from './utcOffset';

type Settings = LoyaltySettingsQuery['loyaltySettings'];
const SPEND_BASES: readonly SpendBasis[] = ['LIFETIME', 'ROLLING_365'];
const SETTINGS_FIELDS = ['expiryDays', 'spendBasis', 'pointValueMinor', 'holdTtlSeconds', 'utcOffsetMinutes'] as const;

export function LoyaltySettingsPage() {
  const { t } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me.permissions, PERMISSIONS.loyaltyManage);
  const query = useQuery(LoyaltySettingsDocument, {});
  return (
    <section data-testid="loyalty-settings-page">
      <PageHeader title={t('settings.title')} />
      {!canManage ? (
        <p className="notice notice-info" data-testid="settings-read-only">
          {t('settings.readOnly')}
        </p>
      ) : null}
      {query.loading && !query.data ? <Loading testId="settings-loading" /> : null}
      <ErrorNotice error={query.error} testId="settings-load-error" onRetry={() => void query.refetch()} />
      {query.data ? <SettingsForm initial={query.data.loyaltySettings} readOnly={!canManage} /> : null}
    </section>
  );
}

interface LocalErrors {
  expiryDays?: string;
  pointValue?: string;
  holdTtl?: string;
}

function SettingsForm({ initial, readOnly }: { initial: Settings; readOnly: boolean }) {
  const { t } = useI18n();
  const { client } = useSession();
  const fmt = useFormat();
  const [saved, setSaved] = useState<Settings>(initial);
  const [never, setNever] = useState(initial.expiryDays === null);
  const [expiryDays, setExpiryDays] = useState(initial.expiryDays === null ? '365' : String(initial.expiryDays));
  const [spendBasis, setSpendBasis] = useState<SpendBasis>(initial.spendBasis);
  const [pointValue, setPointValue] = useState(fmt.moneyInput(initial.pointValueMinor));
  const [holdTtl, setHoldTtl] = useState(String(initial.holdTtlSeconds));
  const [utcOffset, setUtcOffset] = useState(String(initial.utcOffsetMinutes));
  const [local, setLocal] = useState<LocalErrors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  // The money input follows the UI language (1,5 ↔ 1.5).
  useEffect(() => setPointValue(fmt.moneyInput(saved.pointValueMinor)), [fmt, saved.pointValueMinor]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const days = parsePoints(expiryDays);
    const value = fmt.parseMoney(pointValue);
    const ttl = parsePoints(holdTtl);
    const errors: LocalErrors = {
      expiryDays: never || days.ok ? undefined : t(DECIMAL_ERROR_KEYS[days.ok ? 'invalid' : days.error]),
      pointValue: value.ok ? (value.value > 0 ? undefined : t('settings.pointValuePositive')) : t(DECIMAL_ERROR_KEYS[value.error]),
      holdTtl: ttl.ok ? undefined : t(DECIMAL_ERROR_KEYS[ttl.error]),
    };
    setLocal(errors);
    if (errors.expiryDays || errors.pointValue || errors.holdTtl || !value.ok || !ttl.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const data = await client.request(UpdateLoyaltySettingsDocument, {
        input: {
          expiryDays: never || !days.ok ? null : days.value,
          spendBasis,
          pointValueMinor: value.value,
          holdTtlSeconds: ttl.value,
          utcOffsetMinutes: Number(utcOffset),
        },
      });
      setSaved(data.updateLoyaltySettings);
      setUtcOffset(String(data.updateLoyaltySettings.utcOffsetMinutes));
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const ttlParsed = parsePoints(holdTtl);
  const ttlMinutes = ttlParsed.ok ? Math.round((ttlParsed.value / 60) * 10) / 10 : null;

  return (
    <section className="card">
      <form className="form settings-form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="settings-form">
        <fieldset className="fieldset" disabled={readOnly}>
          <legend>{t('settings.expiryTitle')}</legend>
          <label className="checkbox">
            <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} data-testid="settings-never-expire" />
            {t('settings.neverExpire')}
          </label>
          {!never ? (
            <TextField
              label={t('field.expiryDays')}
              name="expiryDays"
              inputMode="numeric"
              value={expiryDays}
              onValueChange={setExpiryDays}
              hint={t('settings.expiryHint')}
              error={local.expiryDays ?? serverFieldError(error, 'expiryDays', t)}
              testId="settings-expiry-days"
            />
          ) : null}
        </fieldset>
        <SelectField
          label={t('field.spendBasis')}
          name="spendBasis"
          value={spendBasis}
          onValueChange={(v) => setSpendBasis(v as SpendBasis)}
          options={SPEND_BASES.map((b) => ({ value: b, label: t(`spendBasis.${b}`) }))}
          disabled={readOnly}
          invalid={isFieldError(error, ['spendBasis'])}
          testId="settings-spend-basis"
        />
        <TextField
          label={t('field.pointValueMinor')}
          name="pointValue"
          inputMode="decimal"
          value={pointValue}
          onValueChange={setPointValue}
          disabled={readOnly}
          hint={t('settings.pointValueHint', { value: (() => {
            const v = fmt.parseMoney(pointValue);
            return v.ok ? fmt.money(v.value) : '—';
          })() })}
          error={local.pointValue ?? serverFieldError(error, 'pointValueMinor', t)}
          testId="settings-point-value"
        />
        <TextField
          label={t('field.holdTtlSeconds')}
          name="holdTtl"
          inputMode="numeric"
          value={holdTtl}
          onValueChange={setHoldTtl}
          disabled={readOnly}
          hint={t('settings.holdTtlHint', { minutes: ttlMinutes ?? '—' })}
          error={local.holdTtl ?? serverFieldError(error, 'holdTtlSeconds', t)}
          testId="settings-hold-ttl"
        />
        <SelectField
          label={t('field.utcOffsetMinutes')}
          name="utcOffsetMinutes"
          value={utcOffset}
          onValueChange={setUtcOffset}
          options={utcOffsetOptions(saved.utcOffsetMinutes).map((m) => ({ value: String(m), label: utcOffsetLabel(m, t) }))}
          disabled={readOnly}
          hint={t('settings.utcOffsetHint')}
          error={serverFieldError(error, 'utcOffsetMinutes', t)}
          testId="settings-utc-offset"
        />
        {!isFieldError(error, SETTINGS_FIELDS) ? <ErrorNotice error={error} testId="settings-error" /> : null}
        <SuccessNotice message={done ? t('settings.saved') : null} testId="settings-saved" onDismiss={() => setDone(false)} />
        {!readOnly ? (
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy} data-testid="settings-save">
              {busy ? t('common.saving') : t('common.save')}
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}

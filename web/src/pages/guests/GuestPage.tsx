import QRCode from 'qrcode';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { toApiError } from '../../api/errors';
import { useConnection, useQuery } from '../../api/hooks';
import { IdempotentAttempt } from '../../api/ids';
import { useLiveStatus, useRefetchOnReconnect, useSubscription, viewStatus } from '../../api/liveHooks';
import { AdjustPointsDocument, GuestDocument, GuestLedgerDocument, GuestUpdatedDocument, UpdateGuestDocument } from '../../api/operations';
import { LiveIndicator } from '../../components/LiveIndicator';
import { isFieldError, serverFieldError } from '../../components/formErrors';
import { ErrorNotice, LoadMore, Loading, NotFound, PageHeader, SuccessNotice, TextField } from '../../components/ui';
import type { GuestCardFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/types';
import { hasPermission, matchPath, PERMISSIONS } from '../../nav';
import { Link, useRouter } from '../../routing/router';
import { useMe, useSession } from '../../session/SessionProvider';
import { DECIMAL_ERROR_KEYS, useFormat } from '../../useFormat';
import { entryKindKey, levelProgressPercent, parseTags, validateAdjustment, type AdjustError } from './logic';

type Guest = GuestCardFragment;

export function GuestPage() {
  const { t } = useI18n();
  const me = useMe();
  const { location } = useRouter();
  const id = matchPath('/guests/:id', location.pathname)?.id ?? '';
  const guest = useQuery(GuestDocument, { id }, { skip: !id });
  const [current, setCurrent] = useState<Guest | null>(null);
  const [ledgerVersion, setLedgerVersion] = useState(0);
  useEffect(() => {
    if (guest.data) setCurrent(guest.data.guest);
  }, [guest.data]);

  // Live: a check, an adjustment or a bonus anywhere shows up at once (the points straight from the
  // event; level, progress and history read again). After a dropped connection everything is re-read.
  const connectionStatus = useLiveStatus();
  const refetch = guest.refetch;
  const { error: liveError } = useSubscription(
    GuestUpdatedDocument,
    { guestId: id },
    ({ guestUpdated: u }) => {
      setCurrent((g) => (g && g.id === u.guestId ? { ...g, account: { ...g.account, balance: u.balance, held: u.held, available: u.available } } : g));
      void refetch();
      setLedgerVersion((v) => v + 1);
    },
    { skip: !id },
  );
  useRefetchOnReconnect(() => {
    void refetch();
    setLedgerVersion((v) => v + 1);
  });
  const liveStatus = viewStatus(connectionStatus, liveError);

  const canManage = hasPermission(me.permissions, PERMISSIONS.guestsManage);
  const canAdjust = hasPermission(me.permissions, PERMISSIONS.pointsAdjust);

  if (guest.error && toApiError(guest.error).code === 'NOT_FOUND') return <NotFound />;
  const g = current;

  return (
    <section data-testid="guest-page" data-guest-id={id}>
      <p className="breadcrumb">
        <Link to="/guests">← {t('guests.title')}</Link>
      </p>
      <PageHeader title={g ? g.name || t('guests.noName') : t('guests.guest')}>
        <LiveIndicator status={liveStatus} testId="guest-live" />
      </PageHeader>
      {guest.loading && !g ? <Loading testId="guest-loading" /> : null}
      <ErrorNotice error={guest.error} testId="guest-error" onRetry={() => void guest.refetch()} />
      {g ? (
        <>
          <div className="card-grid">
            <PointsCard guest={g} />
            <CardCodeCard guest={g} />
          </div>
          <div className="card-grid">
            <ProfileCard guest={g} canManage={canManage} onSaved={setCurrent} />
            {canAdjust ? (
              <AdjustCard
                guest={g}
                onAdjusted={() => {
                  void guest.refetch();
                  setLedgerVersion((v) => v + 1);
                }}
              />
            ) : null}
          </div>
          <LedgerCard guestId={g.id} version={ledgerVersion} />
        </>
      ) : null}
    </section>
  );
}

function PointsCard({ guest }: { guest: Guest }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const { progress, level, account } = guest;
  const pct = levelProgressPercent(progress.spendMinor, level?.thresholdMinor ?? 0, progress.next?.thresholdMinor);
  return (
    <section className="card" aria-labelledby="guest-points-title" data-testid="guest-points">
      <h2 id="guest-points-title">{t('guests.pointsTitle')}</h2>
      <dl className="stat-row">
        <div>
          <dt>{t('guests.balance')}</dt>
          <dd className="stat" data-testid="guest-balance" data-value={account.balance}>
            {fmt.points(account.balance)}
          </dd>
        </div>
        <div>
          <dt>{t('guests.available')}</dt>
          <dd className="stat" data-testid="guest-available" data-value={account.available}>
            {fmt.points(account.available)}
          </dd>
        </div>
        <div>
          <dt>{t('guests.held')}</dt>
          <dd className="stat" data-testid="guest-held">
            {fmt.points(account.held)}
          </dd>
        </div>
      </dl>
      <p className="level-line">
        <span className="muted">{t('guests.level')}:</span>{' '}
        <span className="level-badge" data-testid="guest-level">
          {level?.name ?? t('guests.noLevel')}
        </span>
        {level ? (
          <span className="muted">
            {' '}
            · {t('guests.levelTerms', { cashback: fmt.bp(level.cashbackBp), maxRedeem: fmt.bp(level.maxRedeemBp) })}
          </span>
        ) : null}
      </p>
      <div
        className="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label={t('guests.progress.label')}
        data-testid="guest-progress"
      >
        <div className="progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="field-hint">
        {progress.next && progress.missingMinor !== null
          ? t('guests.progress.toNext', { level: progress.next.name, missing: fmt.money(progress.missingMinor) })
          : t('guests.progress.top')}
        {' · '}
        {t('guests.progress.spend', { spend: fmt.money(progress.spendMinor) })}
      </p>
    </section>
  );
}

function CardCodeCard({ guest }: { guest: Guest }) {
  const { t } = useI18n();
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    QRCode.toDataURL(guest.qrPayload, { errorCorrectionLevel: 'M', margin: 2, width: 176 })
      .then((url) => {
        if (!cancelled) setQr(url);
      })
      .catch(() => {
        if (!cancelled) setQr(null);
      });
    return () => {
      cancelled = true;
    };
  }, [guest.qrPayload]);
  return (
    <section className="card card-code" aria-labelledby="guest-card-title" data-testid="guest-card">
      <h2 id="guest-card-title">{t('guests.cardTitle')}</h2>
      <div className="card-code-body">
        {qr ? <img className="qr" src={qr} width={176} height={176} alt={t('guests.qrAlt')} data-testid="guest-qr" /> : <div className="qr qr-empty" />}
        <div>
          <p className="muted">{t('guests.cardCode')}</p>
          <p className="card-code-value" data-testid="guest-card-code">
            {guest.cardCode}
          </p>
          <p className="muted">{t('guests.qrPayload')}</p>
          <p>
            <code className="qr-payload" data-testid="guest-qr-payload">
              {guest.qrPayload}
            </code>
          </p>
        </div>
      </div>
    </section>
  );
}

function ProfileCard({ guest, canManage, onSaved }: { guest: Guest; canManage: boolean; onSaved: (g: Guest) => void }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const fmt = useFormat();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="guest-profile-title" data-testid="guest-profile">
      <div className="card-header">
        <h2 id="guest-profile-title">{t('guests.profileTitle')}</h2>
        {canManage && !editing ? (
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
            data-testid="guest-edit"
          >
            {t('guests.edit')}
          </button>
        ) : null}
      </div>
      <SuccessNotice message={saved ? t('guests.saved') : null} testId="guest-saved" onDismiss={() => setSaved(false)} />
      {editing ? (
        <EditGuestForm
          guest={guest}
          onDone={(updated) => {
            setEditing(false);
            if (updated) {
              onSaved(updated);
              setSaved(true);
            }
          }}
        />
      ) : (
        <dl className="facts">
          <dt>{t('field.phone')}</dt>
          <dd data-testid="guest-phone">{guest.phone ?? t('common.none')}</dd>
          <dt>{t('field.email')}</dt>
          <dd>{guest.email ?? t('common.none')}</dd>
          <dt>{t('field.birthday')}</dt>
          <dd>{guest.birthday ? formatDate(`${guest.birthday}T12:00:00Z`) : t('common.none')}</dd>
          <dt>{t('guests.consent')}</dt>
          <dd>{guest.marketingConsent ? t('common.yes') : t('common.no')}</dd>
          <dt>{t('field.tags')}</dt>
          <dd>{guest.tags.length ? guest.tags.map((tag) => <span key={tag} className="tag">{tag}</span>) : t('common.none')}</dd>
          <dt>{t('guests.lifetimeSpend')}</dt>
          <dd>{fmt.money(guest.lifetimeSpendMinor)}</dd>
          <dt>{t('guests.registered')}</dt>
          <dd>{formatDateTime(guest.createdAt)}</dd>
        </dl>
      )}
    </section>
  );
}

const PROFILE_FIELDS = ['phone', 'name', 'email', 'birthday', 'tags', 'marketingConsent'] as const;

function EditGuestForm({ guest, onDone }: { guest: Guest; onDone: (updated: Guest | null) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [phone, setPhone] = useState(guest.phone ?? '');
  const [name, setName] = useState(guest.name ?? '');
  const [email, setEmail] = useState(guest.email ?? '');
  const [birthday, setBirthday] = useState(guest.birthday ?? '');
  const [tags, setTags] = useState(guest.tags.join(', '));
  const [consent, setConsent] = useState(guest.marketingConsent);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const opt = (v: string) => (v.trim() ? v.trim() : null);
    try {
      const data = await client.request(UpdateGuestDocument, {
        id: guest.id,
        input: {
          // the phone cannot be cleared; unchanged, it is left out
          ...(phone.trim() !== (guest.phone ?? '') ? { phone: phone.trim() } : {}),
          name: opt(name),
          email: opt(email),
          birthday: opt(birthday),
          marketingConsent: consent,
          tags: parseTags(tags),
        },
      });
      onDone(data.updateGuest);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form
      className="form"
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone(null);
      }}
      data-testid="guest-edit-form"
    >
      <TextField label={t('field.guestName')} name="name" autoFocus value={name} onValueChange={setName} error={serverFieldError(error, 'name', t)} testId="guest-edit-name" />
      <TextField label={t('field.phone')} name="phone" type="tel" required value={phone} onValueChange={setPhone} error={serverFieldError(error, 'phone', t)} testId="guest-edit-phone" />
      <TextField label={t('field.email')} name="email" type="email" value={email} onValueChange={setEmail} error={serverFieldError(error, 'email', t)} testId="guest-edit-email" />
      <TextField label={t('field.birthday')} name="birthday" type="date" value={birthday} onValueChange={setBirthday} error={serverFieldError(error, 'birthday', t)} testId="guest-edit-birthday" />
      <TextField
        label={t('field.tags')}
        name="tags"
        value={tags}
        onValueChange={setTags}
        hint={t('guests.tagsHint')}
        error={serverFieldError(error, 'tags', t)}
        testId="guest-edit-tags"
      />
      <label className="checkbox">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="guest-edit-consent" />
        {t('field.marketingConsent')}
      </label>
      {!isFieldError(error, PROFILE_FIELDS) ? <ErrorNotice error={error} testId="guest-edit-error" /> : null}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy} data-testid="guest-edit-save">
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

const ADJUST_ERROR_KEYS: Readonly<Record<AdjustError, MessageKey>> = {
  ...DECIMAL_ERROR_KEYS,
  zero: 'adjust.zero',
  reasonRequired: 'adjust.reasonRequired',
};

function AdjustCard({ guest, onAdjusted }: { guest: Guest; onAdjusted: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const fmt = useFormat();
  const [sign, setSign] = useState<1 | -1>(1);
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const attempt = useRef(new IdempotentAttempt());

  const validation = validateAdjustment(sign, points, reason);
  const localErrors: { points?: AdjustError; reason?: AdjustError } = checked && !validation.ok ? validation : {};

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    setDone(null);
    if (!validation.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const data = await attempt.current.run((idempotencyKey) =>
        client.request(AdjustPointsDocument, { guestId: guest.id, points: validation.points, reason: validation.reason, idempotencyKey }),
      );
      setDone(t('adjust.done', { points: fmt.signedPoints(validation.points), balance: fmt.points(data.adjustPoints.balance) }));
      setPoints('');
      setReason('');
      setChecked(false);
      onAdjusted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const changed = () => {
    setError(undefined);
    setDone(null);
  };
  const conflict = error !== undefined && toApiError(error).code === 'CONFLICT';
  const pointsServerError = conflict ? t('adjust.notEnough', { available: fmt.points(guest.account.available) }) : serverFieldError(error, 'points', t);

  return (
    <section className="card" aria-labelledby="guest-adjust-title" data-testid="guest-adjust">
      <h2 id="guest-adjust-title">{t('adjust.title')}</h2>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="adjust-form">
        <fieldset className="segmented">
          <legend>{t('adjust.direction')}</legend>
          <label className={sign === 1 ? 'segment segment-on' : 'segment'}>
            <input type="radio" name="sign" checked={sign === 1} onChange={() => (setSign(1), changed())} data-testid="adjust-sign-plus" />
            {t('adjust.add')}
          </label>
          <label className={sign === -1 ? 'segment segment-on' : 'segment'}>
            <input type="radio" name="sign" checked={sign === -1} onChange={() => (setSign(-1), changed())} data-testid="adjust-sign-minus" />
            {t('adjust.remove')}
          </label>
        </fieldset>
        <TextField
          label={t('adjust.points')}
          name="points"
          inputMode="numeric"
          autoComplete="off"
          value={points}
          onValueChange={(v) => (setPoints(v), changed())}
          error={localErrors.points ? t(ADJUST_ERROR_KEYS[localErrors.points]) : pointsServerError}
          testId="adjust-points"
        />
        <TextField
          label={t('adjust.reason')}
          name="reason"
          required
          maxLength={500}
          value={reason}
          onValueChange={(v) => (setReason(v), changed())}
          hint={t('adjust.reasonHint')}
          error={localErrors.reason ? t(ADJUST_ERROR_KEYS[localErrors.reason]) : serverFieldError(error, 'reason', t)}
          testId="adjust-reason"
        />
        {!conflict && !isFieldError(error, ['points', 'reason']) ? <ErrorNotice error={error} testId="adjust-error" /> : null}
        <SuccessNotice message={done} testId="adjust-done" onDismiss={() => setDone(null)} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="adjust-submit">
            {busy ? t('common.saving') : sign === 1 ? t('adjust.submitAdd') : t('adjust.submitRemove')}
          </button>
        </div>
      </form>
    </section>
  );
}

function LedgerCard({ guestId, version }: { guestId: string; version: number }) {
  const { t, formatDateTime } = useI18n();
  const fmt = useFormat();
  // Newest first: page backwards from the end of the ledger.
  const ledger = useConnection(GuestLedgerDocument, (d) => d.guest.ledger, { id: guestId }, { direction: 'backward', pageSize: 20 });
  // A new entry (live update, own adjustment): the newest page again, the rows stay until it arrives.
  const reload = ledger.reload;
  const shown = useRef(version);
  useEffect(() => {
    if (shown.current === version) return;
    shown.current = version;
    void reload();
  }, [version, reload]);
  return (
    <section className="card" aria-labelledby="guest-ledger-title" data-testid="guest-ledger">
      <div className="card-header">
        <h2 id="guest-ledger-title">{t('ledger.title')}</h2>
        {!ledger.loading ? <span className="muted">{t('common.total', { count: ledger.totalCount })}</span> : null}
      </div>
      {ledger.loading && ledger.nodes.length === 0 ? <Loading testId="ledger-loading" /> : null}
      <ErrorNotice error={ledger.error} testId="ledger-error" onRetry={() => void ledger.reload()} />
      {!ledger.loading && !ledger.error && ledger.nodes.length === 0 ? <p className="muted">{t('ledger.empty')}</p> : null}
      {ledger.nodes.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="ledger-table">
            <thead>
              <tr>
                <th scope="col">{t('ledger.col.at')}</th>
                <th scope="col">{t('ledger.col.kind')}</th>
                <th scope="col" className="num">
                  {t('ledger.col.amount')}
                </th>
                <th scope="col" className="num">
                  {t('ledger.col.balance')}
                </th>
                <th scope="col">{t('ledger.col.note')}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.nodes.map((e) => (
                <tr key={e.id} data-testid="ledger-row" data-kind={e.kind} data-amount={e.amount}>
                  <td className="nowrap">{formatDateTime(e.createdAt)}</td>
                  <td>{t(entryKindKey(e.kind))}</td>
                  <td className={`num nowrap ${e.amount > 0 ? 'points-plus' : e.amount < 0 ? 'points-minus' : ''}`}>
                    {e.amount !== 0 ? fmt.signedPoints(e.amount) : null}
                    {e.heldDelta !== 0 ? (
                      <span className="muted ledger-held">{t('ledger.held', { points: fmt.signedPoints(e.heldDelta) })}</span>
                    ) : null}
                  </td>
                  <td className="num">{fmt.points(e.balanceAfter)}</td>
                  <td>
                    {e.reason ?? null}
                    {e.checkId ? <span className="target-id">{t('ledger.check', { id: e.checkId })}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore visible={ledger.hasMore} loading={ledger.loadingMore} onClick={() => void ledger.loadMore()} testId="ledger-load-more" />
    </section>
  );
}

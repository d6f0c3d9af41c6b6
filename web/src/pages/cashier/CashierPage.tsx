import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { describeError } from '../../api/errors';
import { useQuery } from '../../api/hooks';
import { IdempotentAttempt } from '../../api/ids';
import {
  CreateGuestDocument,
  GuestDocument,
  GuestMaxRedeemableDocument,
  GuestNameDocument,
  GuestsDocument,
  LocationsDocument,
  ProcessCheckDocument,
} from '../../api/operations';
import { useRefetchOnReconnect } from '../../api/liveHooks';
import { LiveIndicator } from '../../components/LiveIndicator';
import { ErrorNotice, Loading } from '../../components/ui';
import type { GuestCardFragment, GuestsQuery, ReceiptFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/types';
import { hasPermission, PERMISSIONS } from '../../nav';
import { Link } from '../../routing/router';
import { useMe, useSession } from '../../session/SessionProvider';
import { DECIMAL_ERROR_KEYS, useFormat } from '../../useFormat';
import { useCheckProcessedSubscription } from './liveChecks';
import {
  addRecent,
  checkFailure,
  classifyGuestQuery,
  EMPTY_REDEEM,
  levelChange,
  locationStorageKey,
  MAX_DEBOUNCE_MS,
  maskPhone,
  pickLocation,
  prefillRedeem,
  receiptRuleLine,
  REDEEM_ERROR_KEYS,
  SEARCH_DEBOUNCE_MS,
  validateRedeem,
  type RedeemField,
} from './logic';
import { canScanQr, QrScanner } from './QrScanner';

type SearchHit = GuestsQuery['guests']['nodes'][number];
type Account = GuestCardFragment['account'];
type Step = 'search' | 'register' | 'check' | 'receipt';

/** A receipt in the "recent checks" list, with who it was for (as far as known). */
type RecentCheck = ReceiptFieldsFragment & { guestName: string | null; guestPhone: string | null };

const SEARCH_LIMIT = 8;

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // the choice still applies to this screen
  }
}

/**
 * The cashier screen: find a guest → total → points to redeem (prefilled with the most this
 * check allows) → confirm → receipt. Works from the keyboard alone: Enter moves forward,
 * ↑/↓ pick a search result, Esc goes back (or starts a new check after a receipt).
 */
export function CashierPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const fmt = useFormat();
  const canRegister = hasPermission(me.permissions, PERMISSIONS.guestsCreate);
  const canOpenGuest = hasPermission(me.permissions, PERMISSIONS.guestsRead);

  // ---- location ----
  const locations = useQuery(LocationsDocument, { first: 100 });
  const locationKey = locationStorageKey(me.tenant.id);
  const [chosenLocation, setChosenLocation] = useState<string | null>(() => readStored(locationKey));
  const locationList = locations.data?.locations.nodes ?? [];
  const locationId = pickLocation(chosenLocation, locationList);
  const locationName = locationList.find((l) => l.id === locationId)?.name ?? '';

  // ---- steps and inputs ----
  const [step, setStep] = useState<Step>('search');
  const searchRef = useRef<HTMLInputElement>(null);
  const totalRef = useRef<HTMLInputElement>(null);
  const redeemRef = useRef<HTMLInputElement>(null);
  const newCheckRef = useRef<HTMLButtonElement>(null);

  // ---- search ----
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [searchedFor, setSearchedFor] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<unknown>(undefined);
  const [scanning, setScanning] = useState(false);
  const searchSeq = useRef(0);
  const listId = useId();

  // ---- the check ----
  const [guest, setGuest] = useState<GuestCardFragment | null>(null);
  const [guestError, setGuestError] = useState<unknown>(undefined);
  const [account, setAccount] = useState<Account | null>(null);
  const [total, setTotal] = useState('');
  const [totalTouched, setTotalTouched] = useState(false);
  const [max, setMax] = useState<{ forTotal: number; value: number } | null>(null);
  const [maxLoading, setMaxLoading] = useState(false);
  const [maxError, setMaxError] = useState<unknown>(undefined);
  const [redeem, setRedeem] = useState<RedeemField>(EMPTY_REDEEM);
  const [redeemChecked, setRedeemChecked] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(undefined);
  const maxSeq = useRef(0);
  const attempt = useRef(new IdempotentAttempt());

  // ---- results ----
  const [receipt, setReceipt] = useState<{ receipt: ReceiptFieldsFragment; guest: GuestCardFragment } | null>(null);
  const [recent, setRecent] = useState<RecentCheck[]>([]);
  const recentRef = useRef<RecentCheck[]>([]);
  recentRef.current = recent;
  // for the live handlers, which must not restart the subscription on every render
  const stepRef = useRef<Step>(step);
  stepRef.current = step;
  const guestRef = useRef<GuestCardFragment | null>(guest);
  guestRef.current = guest;

  const queryKind = classifyGuestQuery(query);
  const trimmedQuery = query.trim();
  const resultsCurrent = searchedFor !== null && searchedFor === trimmedQuery;

  // ---------------------------------------------------------------- search

  const runSearch = useCallback(
    async (q: string): Promise<SearchHit[] | null> => {
      const mine = ++searchSeq.current;
      setSearching(true);
      setSearchError(undefined);
      try {
        const data = await client.request(GuestsDocument, { query: q, first: SEARCH_LIMIT });
        if (mine !== searchSeq.current) return null;
        setHits(data.guests.nodes);
        setSearchedFor(q);
        setActive(0);
        return data.guests.nodes;
      } catch (e) {
        if (mine === searchSeq.current) {
          setSearchError(e);
          setHits([]);
          setSearchedFor(null);
        }
        return null;
      } finally {
        if (mine === searchSeq.current) setSearching(false);
      }
    },
    [client],
  );

  // Debounced search while typing.
  useEffect(() => {
    if (step !== 'search') return;
    if (!queryKind) {
      searchSeq.current++;
      setHits([]);
      setSearchedFor(null);
      setSearching(false);
      setSearchError(undefined);
      return;
    }
    const timer = setTimeout(() => void runSearch(trimmedQuery), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [trimmedQuery, queryKind, runSearch, step]);

  // ---------------------------------------------------------------- choosing a guest

  const resetCheck = useCallback(() => {
    maxSeq.current++;
    attempt.current.renew();
    setTotal('');
    setTotalTouched(false);
    setMax(null);
    setMaxLoading(false);
    setMaxError(undefined);
    setRedeem(EMPTY_REDEEM);
    setRedeemChecked(false);
    setSubmitError(undefined);
  }, []);

  const openGuest = useCallback(
    async (id: string, preview?: GuestCardFragment) => {
      resetCheck();
      setGuestError(undefined);
      setGuest(preview ?? null);
      setAccount(preview?.account ?? null);
      setStep('check');
      try {
        const data = await client.request(GuestDocument, { id });
        setGuest(data.guest);
        setAccount(data.guest.account);
      } catch (e) {
        setGuestError(e);
      }
    },
    [client, resetCheck],
  );

  const pick = (hit: SearchHit | undefined) => {
    if (hit) void openGuest(hit.id);
  };

  const backToSearch = useCallback(() => {
    resetCheck();
    setGuest(null);
    setAccount(null);
    setReceipt(null);
    setStep('search');
  }, [resetCheck]);

  /** After a receipt: a clean screen for the next guest. */
  const newCheck = useCallback(() => {
    backToSearch();
    setQuery('');
    setHits([]);
    setSearchedFor(null);
  }, [backToSearch]);

  // Focus follows the step (the inputs are large targets, but the keyboard is the main tool).
  useEffect(() => {
    if (step === 'search') searchRef.current?.focus();
    if (step === 'receipt') newCheckRef.current?.focus();
  }, [step]);
  useEffect(() => {
    if (step === 'check' && guest && document.activeElement !== redeemRef.current) totalRef.current?.focus();
  }, [step, guest?.id]); // only when the guest changes, not on every refresh of the card

  const onSearchKeyDown = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (hits.length === 0) return;
      e.preventDefault();
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % hits.length : (a - 1 + hits.length) % hits.length));
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (resultsCurrent) {
      if (hits.length > 0) pick(hits[Math.min(active, hits.length - 1)]);
      else if (canRegister && queryKind === 'phone') openRegister();
      return;
    }
    // Enter before the debounced search ran (a scanner types fast and ends with Enter).
    if (!queryKind) return;
    const found = await runSearch(trimmedQuery);
    if (found && found.length > 0) pick(found[0]);
  };

  const onScanned = useCallback(
    (text: string) => {
      setScanning(false);
      setQuery(text);
      void runSearch(text.trim()).then((found) => {
        if (found && found.length > 0 && found[0]) void openGuest(found[0].id);
      });
    },
    [openGuest, runSearch],
  );
  const closeScanner = useCallback(() => {
    setScanning(false);
    searchRef.current?.focus();
  }, []);

  // ---------------------------------------------------------------- total → max redeemable

  const totalParsed = fmt.parseMoney(total);
  const totalMinor = totalParsed.ok && totalParsed.value > 0 ? totalParsed.value : null;
  const totalError = !totalTouched
    ? null
    : !totalParsed.ok
      ? t(DECIMAL_ERROR_KEYS[totalParsed.error])
      : totalParsed.value <= 0
        ? t('cashier.total.positive')
        : null;

  const fetchMax = useCallback(
    async (guestId: string, forTotal: number): Promise<number | null> => {
      const mine = ++maxSeq.current;
      setMaxLoading(true);
      setMaxError(undefined);
      try {
        const data = await client.request(GuestMaxRedeemableDocument, { id: guestId, totalMinor: forTotal });
        if (mine !== maxSeq.current) return null;
        const value = data.guest.maxRedeemable;
        setMax({ forTotal, value });
        setAccount(data.guest.account);
        setRedeem((r) => prefillRedeem(r, value));
        return value;
      } catch (e) {
        if (mine === maxSeq.current) setMaxError(e);
        return null;
      } finally {
        if (mine === maxSeq.current) setMaxLoading(false);
      }
    },
    [client],
  );

  const guestId = guest?.id ?? null;
  useEffect(() => {
    if (step !== 'check' || !guestId) return;
    if (totalMinor === null) {
      maxSeq.current++;
      setMax(null);
      setMaxLoading(false);
      setRedeem((r) => prefillRedeem(r, null));
      return;
    }
    if (max?.forTotal === totalMinor) return;
    const timer = setTimeout(() => void fetchMax(guestId, totalMinor), MAX_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [step, guestId, totalMinor, fetchMax]); // `max` is read only to skip a refetch for the same total

  // The most this check may redeem, read again when the guest's points changed elsewhere.
  const refreshLimitsRef = useRef<() => void>(() => undefined);
  refreshLimitsRef.current = () => {
    if (guestId && totalMinor !== null) void fetchMax(guestId, totalMinor);
  };

  const ensureMax = async (): Promise<number | null> => {
    if (!guestId || totalMinor === null) return null;
    if (max?.forTotal === totalMinor && !maxLoading) return max.value;
    return fetchMax(guestId, totalMinor);
  };

  const currentMax = max && max.forTotal === totalMinor ? max.value : null;
  const available = account?.available ?? 0;
  const redeemCheck = currentMax === null ? null : validateRedeem(redeem.value, { max: currentMax, available });
  const failure = submitError ? checkFailure(submitError) : null;

  const onTotalKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    setTotalTouched(true);
    if (totalMinor === null) return;
    void ensureMax();
    redeemRef.current?.focus();
    redeemRef.current?.select();
  };

  // ---------------------------------------------------------------- confirm

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (submitting || !guest || !locationId) return;
    setTotalTouched(true);
    setRedeemChecked(true);
    if (totalMinor === null) {
      totalRef.current?.focus();
      return;
    }
    const limit = await ensureMax();
    if (limit === null) return;
    const checked = validateRedeem(redeem.value, { max: limit, available: account?.available ?? 0 });
    if (!checked.ok) {
      redeemRef.current?.focus();
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const data = await attempt.current.run((externalId) =>
        client.request(ProcessCheckDocument, {
          input: { locationId, guest: { id: guest.id }, totalMinor, redeemPoints: checked.points, externalId },
        }),
      );
      const r = data.processCheck;
      setReceipt({ receipt: r, guest });
      setRecent((list) => addRecent(list, { ...r, guestName: guest.name, guestPhone: guest.phone }));
      setAccount((a) => (a ? { ...a, balance: r.balance, available: r.available } : a));
      setStep('receipt');
    } catch (e) {
      setSubmitError(e);
      const f = checkFailure(e);
      if (f.refreshLimits) {
        setMax(null);
        void fetchMax(guest.id, totalMinor);
      }
      if (f.input === 'redeem') redeemRef.current?.focus();
      if (f.input === 'total') totalRef.current?.focus();
    } finally {
      setSubmitting(false);
    }
  };

  // ---------------------------------------------------------------- register a guest

  const [regPhone, setRegPhone] = useState('');
  const [regName, setRegName] = useState('');
  const [regError, setRegError] = useState<unknown>(undefined);
  const [registering, setRegistering] = useState(false);
  /** Opens the registration, prefilled in the same render (an effect would show an empty phone first). */
  const openRegister = () => {
    setRegPhone(queryKind === 'phone' ? trimmedQuery : '');
    setRegName('');
    setRegError(undefined);
    setStep('register');
  };

  const register = async (event: FormEvent) => {
    event.preventDefault();
    setRegistering(true);
    setRegError(undefined);
    try {
      const name = regName.trim();
      const data = await client.request(CreateGuestDocument, { input: { phone: regPhone.trim(), name: name ? name : null } });
      setQuery(data.createGuest.phone ?? regPhone);
      void openGuest(data.createGuest.id, data.createGuest);
    } catch (e) {
      setRegError(e);
    } finally {
      setRegistering(false);
    }
  };
  const regDescribed = regError ? describeError(regError, t) : undefined;

  // ---------------------------------------------------------------- live list

  // A check from another till: show it at once, then look up whose it was.
  const onLiveReceipt = useCallback(
    (r: ReceiptFieldsFragment) => {
      // A check for the guest open here (at another till): their points changed under us.
      if (stepRef.current === 'check' && guestRef.current?.id === r.guestId) {
        setAccount((a) => (a ? { ...a, balance: r.balance, available: r.available } : a));
        refreshLimitsRef.current();
      }
      const known = recentRef.current.some((x) => x.guestId === r.guestId && (x.guestName || x.guestPhone));
      setRecent((list) => {
        const same = list.find((x) => x.guestId === r.guestId);
        return addRecent(list, { ...r, guestName: same?.guestName ?? null, guestPhone: same?.guestPhone ?? null });
      });
      if (known || !canOpenGuest) return;
      client
        .request(GuestNameDocument, { id: r.guestId })
        .then(({ guest: g }) =>
          setRecent((list) => list.map((x) => (x.guestId === g.id ? { ...x, guestName: g.name, guestPhone: g.phone } : x))),
        )
        .catch(() => undefined);
    },
    [client, canOpenGuest],
  );
  const { status: liveStatus } = useCheckProcessedSubscription(locationId, onLiveReceipt);
  const live = liveStatus === 'live';

  // Back after a drop: checks processed meanwhile were missed, so the open guest's points are read again.
  useRefetchOnReconnect(() => {
    if (stepRef.current !== 'check' || !guestRef.current) return;
    const id = guestRef.current.id;
    client
      .request(GuestDocument, { id })
      .then(({ guest: g }) => {
        if (guestRef.current?.id !== g.id) return;
        setGuest(g);
        setAccount(g.account);
        refreshLimitsRef.current();
      })
      .catch(() => undefined);
  });
  const recentHere = useMemo(() => recent.filter((r) => r.locationId === locationId), [recent, locationId]);

  // ---------------------------------------------------------------- keys

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    if (step === 'receipt') newCheck();
    else if (step === 'check' && !submitting) backToSearch();
    else if (step === 'register') setStep('search');
    else if (step === 'search') {
      setQuery('');
      searchRef.current?.focus();
    }
  };

  // ---------------------------------------------------------------- view

  const noLocations = locations.data !== undefined && locationList.length === 0;
  const activeHit = hits[Math.min(active, Math.max(hits.length - 1, 0))];

  return (
    <section className="cashier" data-testid="cashier-page" data-step={step} onKeyDown={onKeyDown}>
      <header className="cashier-head">
        <h1 data-testid="page-title">{t('cashier.title')}</h1>
        <div className="cashier-location">
          <label htmlFor="cashier-location">{t('cashier.location')}</label>
          {locations.loading ? (
            <span className="muted">{t('common.loading')}</span>
          ) : (
            <select
              id="cashier-location"
              value={locationId ?? ''}
              onChange={(e) => {
                setChosenLocation(e.target.value);
                writeStored(locationKey, e.target.value);
              }}
              disabled={locationList.length === 0}
              data-testid="cashier-location"
            >
              {locationList.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          )}
        </div>
      </header>
      <ErrorNotice error={locations.error} testId="cashier-locations-error" onRetry={() => void locations.refetch()} />
      {noLocations ? <p className="notice notice-error">{t('cashier.noLocations')}</p> : null}

      <div className="cashier-grid">
        <div className="cashier-main">
          {step === 'search' ? (
            <div className="cashier-panel" data-testid="cashier-search">
              <div className="cashier-search-row">
                <div className="field cashier-field">
                  <label htmlFor="cashier-query">{t('cashier.search.label')}</label>
                  <input
                    id="cashier-query"
                    ref={searchRef}
                    className="cashier-input"
                    value={query}
                    onChange={(e) => setQuery(e.target.value)}
                    onKeyDown={(e) => void onSearchKeyDown(e)}
                    placeholder={t('cashier.search.placeholder')}
                    autoComplete="off"
                    spellCheck={false}
                    autoFocus
                    role="combobox"
                    aria-expanded={hits.length > 0}
                    aria-controls={listId}
                    aria-autocomplete="list"
                    aria-activedescendant={activeHit && resultsCurrent ? `${listId}-${activeHit.id}` : undefined}
                    data-testid="cashier-query"
                  />
                </div>
                {canScanQr() ? (
                  <button type="button" className="button button-secondary button-large" onClick={() => setScanning(true)} data-testid="cashier-scan">
                    {t('cashier.scan.button')}
                  </button>
                ) : null}
              </div>
              <p className="field-hint" role="status" aria-live="polite">
                {searching
                  ? t('cashier.search.searching')
                  : trimmedQuery && !queryKind
                    ? t('cashier.search.tooShort')
                    : !trimmedQuery
                      ? t('cashier.search.hint')
                      : resultsCurrent
                        ? t('cashier.search.found', { count: hits.length })
                        : '\u00a0'}
              </p>
              <ErrorNotice error={searchError} testId="cashier-search-error" />
              {hits.length > 0 ? (
                <ul className="cashier-results" id={listId} role="listbox" aria-label={t('cashier.search.results')} data-testid="cashier-results">
                  {hits.map((hit, i) => (
                    <li
                      key={hit.id}
                      id={`${listId}-${hit.id}`}
                      role="option"
                      aria-selected={i === active}
                      className="cashier-result"
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => pick(hit)}
                      data-testid="cashier-result"
                    >
                      <span className="cashier-result-name">{hit.name || t('guests.noName')}</span>
                      <span className="cashier-result-meta">
                        {maskPhone(hit.phone)} · <code>{hit.cardCode}</code>
                        {hit.level ? ` · ${hit.level.name}` : ''}
                        {hit.lastVisitAt
                          ? ` · ${t('cashier.search.lastVisit', { date: formatDateTime(hit.lastVisitAt) })}`
                          : ''}
                      </span>
                      <span className="cashier-result-points">{t('cashier.pointsShort', { points: fmt.points(hit.account.available) })}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              {resultsCurrent && hits.length === 0 && !searching ? (
                <div className="notice notice-info cashier-not-found" data-testid="cashier-not-found">
                  <p>{t('cashier.search.notFound')}</p>
                  {canRegister ? (
                    <button type="button" className="button" onClick={openRegister} data-testid="cashier-register-open">
                      {t('cashier.register.open')}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </div>
          ) : null}

          {step === 'register' ? (
            <form className="cashier-panel form" onSubmit={(e) => void register(e)} data-testid="cashier-register">
              <h2>{t('cashier.register.title')}</h2>
              <div className="field cashier-field">
                <label htmlFor="cashier-reg-phone">{t('field.phone')}</label>
                <input
                  id="cashier-reg-phone"
                  className="cashier-input"
                  type="tel"
                  required
                  autoFocus
                  value={regPhone}
                  onChange={(e) => setRegPhone(e.target.value)}
                  aria-invalid={regDescribed?.field === 'phone' || undefined}
                  data-testid="cashier-reg-phone"
                />
                {regDescribed?.field === 'phone' ? (
                  <small className="field-error" data-testid="cashier-reg-phone-error">
                    {regDescribed.code === 'CONFLICT' ? t('guests.phoneTaken') : regDescribed.detail ?? regDescribed.message}
                  </small>
                ) : (
                  <small className="field-hint">{t('cashier.register.phoneHint')}</small>
                )}
              </div>
              <div className="field cashier-field">
                <label htmlFor="cashier-reg-name">{t('field.guestName')}</label>
                <input
                  id="cashier-reg-name"
                  className="cashier-input"
                  value={regName}
                  onChange={(e) => setRegName(e.target.value)}
                  autoComplete="off"
                  data-testid="cashier-reg-name"
                />
              </div>
              {regDescribed && regDescribed.field !== 'phone' ? <ErrorNotice error={regError} testId="cashier-reg-error" /> : null}
              <div className="form-actions">
                <button type="submit" className="button button-large" disabled={registering} data-testid="cashier-reg-submit">
                  {registering ? t('common.saving') : t('cashier.register.submit')}
                </button>
                <button type="button" className="button button-secondary button-large" onClick={() => setStep('search')}>
                  {t('cashier.back')}
                </button>
              </div>
            </form>
          ) : null}

          {step === 'check' ? (
            <div className="cashier-panel" data-testid="cashier-check">
              <ErrorNotice error={guestError} testId="cashier-guest-error" onRetry={guestId ? () => void openGuest(guestId) : undefined} />
              {guest ? <GuestSummary guest={guest} account={account ?? guest.account} canOpen={canOpenGuest} /> : guestError ? null : <Loading testId="cashier-guest-loading" />}
              {guest ? (
                <form className="cashier-check-form" onSubmit={(e) => void submit(e)} noValidate data-testid="cashier-check-form">
                  <div className="field cashier-field">
                    <label htmlFor="cashier-total">{t('cashier.total.label', { currency: fmt.currency })}</label>
                    <input
                      id="cashier-total"
                      ref={totalRef}
                      className="cashier-input cashier-amount"
                      inputMode="decimal"
                      autoComplete="off"
                      value={total}
                      onChange={(e) => {
                        setTotal(e.target.value);
                        setSubmitError(undefined);
                      }}
                      onBlur={() => setTotalTouched(total.trim() !== '')}
                      onKeyDown={onTotalKeyDown}
                      placeholder="0"
                      aria-invalid={Boolean(totalError) || failure?.input === 'total' || undefined}
                      aria-describedby="cashier-total-msg"
                      data-testid="cashier-total"
                    />
                    <small id="cashier-total-msg" className={totalError ? 'field-error' : 'field-hint'} data-testid={totalError ? 'cashier-total-error' : undefined}>
                      {totalError ?? (totalMinor !== null ? fmt.money(totalMinor, { fixed: true }) : t('cashier.total.hint'))}
                    </small>
                  </div>

                  <div className="cashier-max" aria-live="polite" data-testid="cashier-max" data-max={currentMax ?? ''} data-for-total={currentMax !== null ? totalMinor ?? '' : ''}>
                    {totalMinor === null ? (
                      <span className="muted">{t('cashier.max.needTotal')}</span>
                    ) : currentMax === null || maxLoading ? (
                      <span className="muted">{t('cashier.max.loading')}</span>
                    ) : (
                      <>
                        <span className="muted">{t('cashier.max.label')}</span> <strong data-testid="cashier-max-value">{fmt.points(currentMax)}</strong>
                      </>
                    )}
                  </div>
                  <ErrorNotice error={maxError} testId="cashier-max-error" onRetry={() => void ensureMax()} />

                  <div className="field cashier-field">
                    <label htmlFor="cashier-redeem">{t('cashier.redeem.label')}</label>
                    <input
                      id="cashier-redeem"
                      ref={redeemRef}
                      className="cashier-input cashier-amount"
                      inputMode="numeric"
                      autoComplete="off"
                      value={redeem.value}
                      onChange={(e) => {
                        setRedeem({ value: e.target.value, touched: true });
                        setRedeemChecked(true);
                        setSubmitError(undefined);
                      }}
                      onFocus={(e) => e.target.select()}
                      disabled={totalMinor === null}
                      aria-invalid={(redeemChecked && redeemCheck?.ok === false) || failure?.input === 'redeem' || undefined}
                      aria-describedby="cashier-redeem-msg"
                      data-testid="cashier-redeem"
                    />
                    <small
                      id="cashier-redeem-msg"
                      className={redeemChecked && redeemCheck && !redeemCheck.ok ? 'field-error' : 'field-hint'}
                      data-testid={redeemChecked && redeemCheck && !redeemCheck.ok ? 'cashier-redeem-error' : undefined}
                    >
                      {redeemChecked && redeemCheck && !redeemCheck.ok
                        ? t(REDEEM_ERROR_KEYS[redeemCheck.error], { max: fmt.points(currentMax ?? 0), available: fmt.points(available) })
                        : t('cashier.redeem.hint', { available: fmt.points(available) })}
                    </small>
                  </div>

                  {submitError ? (
                    <CheckError error={submitError} messageKey={failure?.messageKey ?? null} available={fmt.points(available)} max={fmt.points(currentMax ?? 0)} />
                  ) : null}

                  <div className="form-actions">
                    <button
                      type="submit"
                      className="button button-large"
                      disabled={submitting || !locationId || totalMinor === null}
                      data-testid="cashier-confirm"
                    >
                      {submitting ? t('cashier.confirming') : failure?.uncertain ? t('cashier.retrySame') : t('cashier.confirm')}
                    </button>
                    <button type="button" className="button button-secondary button-large" onClick={backToSearch} disabled={submitting} data-testid="cashier-back">
                      {t('cashier.changeGuest')}
                    </button>
                  </div>
                </form>
              ) : null}
            </div>
          ) : null}

          {step === 'receipt' && receipt ? (
            <ReceiptView receipt={receipt.receipt} guest={receipt.guest} locationName={locationName} newCheckRef={newCheckRef} onNewCheck={newCheck} />
          ) : null}

          <p className="cashier-keys muted" aria-hidden="true">
            {t(`cashier.keys.${step}`)}
          </p>
        </div>

        <aside className="cashier-side card" aria-labelledby="cashier-recent-title" data-testid="cashier-recent" data-live={live}>
          <h2 id="cashier-recent-title">
            {t('cashier.recent.title')}
            {locationName ? <span className="muted cashier-recent-where">{locationName}</span> : null}
          </h2>
          <p className="field-hint cashier-recent-mode">
            <LiveIndicator status={liveStatus} testId="cashier-live" />
            {live ? null : <span>{t('cashier.recent.own')}</span>}
          </p>
          {recentHere.length === 0 ? (
            <p className="muted">{t('cashier.recent.empty')}</p>
          ) : (
            <ul className="cashier-recent-list">
              {recentHere.map((r) => (
                <li key={r.checkId} data-testid="cashier-recent-item">
                  <span className="cashier-recent-top">
                    <strong>{fmt.money(r.totalMinor)}</strong>
                    <span className="muted">{formatDateTime(r.processedAt)}</span>
                  </span>
                  <span className="cashier-recent-guest">{r.guestName || (r.guestPhone ? maskPhone(r.guestPhone) : t('guests.guest'))}</span>
                  <span className="cashier-recent-points">
                    {r.redeemed > 0 ? <span className="points-minus">{fmt.signedPoints(-r.redeemed)}</span> : null}
                    <span className="points-plus">{fmt.signedPoints(r.earned)}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>

      {scanning ? <QrScanner onResult={onScanned} onClose={closeScanner} /> : null}
    </section>
  );
}

function GuestSummary({ guest, account, canOpen }: { guest: GuestCardFragment; account: Account; canOpen: boolean }) {
  const { t } = useI18n();
  const fmt = useFormat();
  return (
    <div className="guest-summary" data-testid="cashier-guest" data-guest-id={guest.id}>
      <div className="guest-summary-who">
        <p className="guest-summary-name" data-testid="cashier-guest-name">
          {canOpen ? <Link to={`/guests/${guest.id}`}>{guest.name || t('guests.noName')}</Link> : guest.name || t('guests.noName')}
        </p>
        <p className="guest-summary-meta">
          <span data-testid="cashier-guest-phone">{maskPhone(guest.phone)}</span> · <code>{guest.cardCode}</code>
        </p>
        <p className="guest-summary-level">
          <span className="level-badge" data-testid="cashier-guest-level">
            {guest.level?.name ?? t('guests.noLevel')}
          </span>
          {guest.progress.next && guest.progress.missingMinor !== null ? (
            <span className="muted">
              {' '}
              {t('guests.progress.toNext', { level: guest.progress.next.name, missing: fmt.money(guest.progress.missingMinor) })}
            </span>
          ) : null}
        </p>
      </div>
      <dl className="guest-summary-points">
        <div>
          <dt>{t('guests.balance')}</dt>
          <dd data-testid="cashier-guest-balance">{fmt.points(account.balance)}</dd>
        </div>
        <div>
          <dt>{t('guests.available')}</dt>
          <dd data-testid="cashier-guest-available">{fmt.points(account.available)}</dd>
        </div>
        {account.held > 0 ? (
          <div>
            <dt>{t('guests.held')}</dt>
            <dd>{fmt.points(account.held)}</dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

function CheckError({ error, messageKey, available, max }: { error: unknown; messageKey: MessageKey | null; available: string; max: string }) {
  const { t } = useI18n();
  if (!messageKey) return <ErrorNotice error={error} testId="cashier-error" />;
  const described = describeError(error, t);
  return (
    <div className="notice notice-error" role="alert" data-testid="cashier-error" data-code={described.code}>
      <p>{t(messageKey, { available, max })}</p>
      {described.detail ? <p className="notice-detail">{t('error.details', { message: described.detail })}</p> : null}
    </div>
  );
}

function ReceiptView({
  receipt,
  guest,
  locationName,
  newCheckRef,
  onNewCheck,
}: {
  receipt: ReceiptFieldsFragment;
  guest: GuestCardFragment;
  locationName: string;
  newCheckRef: RefObject<HTMLButtonElement | null>;
  onNewCheck: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const fmt = useFormat();
  const change = levelChange(receipt.levelBefore, receipt.levelAfter);
  const toPay = Math.max(receipt.totalMinor - receipt.redeemedValueMinor, 0);
  return (
    <div className="cashier-panel receipt" data-testid="cashier-receipt" data-check-id={receipt.checkId}>
      <div className="receipt-head">
        <h2>{t('cashier.receipt.title')}</h2>
        <span className="muted">
          {formatDateTime(receipt.processedAt)}
          {locationName ? ` · ${locationName}` : ''}
        </span>
      </div>
      <p className="receipt-guest">
        {guest.name || t('guests.noName')} · {maskPhone(guest.phone)}
      </p>
      {change ? (
        <p className="receipt-level-up" role="status" data-testid="cashier-receipt-level-up">
          {change.from ? t('cashier.receipt.levelUp', { from: change.from, to: change.to }) : t('cashier.receipt.levelNew', { to: change.to })}
        </p>
      ) : null}
      <dl className="receipt-grid">
        <div>
          <dt>{t('cashier.receipt.total')}</dt>
          <dd data-testid="cashier-receipt-total">{fmt.money(receipt.totalMinor)}</dd>
        </div>
        <div>
          <dt>{t('cashier.receipt.toPay')}</dt>
          <dd data-testid="cashier-receipt-to-pay">{fmt.money(toPay)}</dd>
        </div>
        <div className="receipt-redeemed">
          <dt>{t('cashier.receipt.redeemed')}</dt>
          <dd data-testid="cashier-receipt-redeemed" data-value={receipt.redeemed}>
            {fmt.signedPoints(-receipt.redeemed)}
            {receipt.redeemedValueMinor > 0 ? <small> = {fmt.money(receipt.redeemedValueMinor)}</small> : null}
          </dd>
        </div>
        <div className="receipt-earned">
          <dt>{t('cashier.receipt.earned')}</dt>
          <dd data-testid="cashier-receipt-earned" data-value={receipt.earned}>
            {fmt.signedPoints(receipt.earned)}
          </dd>
        </div>
        <div className="receipt-balance">
          <dt>{t('cashier.receipt.balance')}</dt>
          <dd data-testid="cashier-receipt-balance" data-value={receipt.balance}>
            {fmt.points(receipt.balance)}
          </dd>
        </div>
        <div>
          <dt>{t('cashier.receipt.level')}</dt>
          <dd data-testid="cashier-receipt-level">
            {change?.from ? (
              <>
                <s className="muted">{change.from}</s> → <span className="level-badge level-badge-up">{change.to}</span>
              </>
            ) : (
              receipt.levelAfter?.name ?? t('guests.noLevel')
            )}
          </dd>
        </div>
      </dl>
      {receipt.rules.length > 0 ? (
        <div className="receipt-rules">
          <h3>{t('cashier.receipt.rules')}</h3>
          <ul data-testid="cashier-receipt-rules">
            {receipt.rules.map((rule, i) => {
              const line = receiptRuleLine(rule, t);
              return (
                <li
                  key={`${rule.code}-${rule.promotionId ?? ''}-${i}`}
                  className={line.budgetExhausted ? 'receipt-rule-exhausted' : undefined}
                  data-testid="cashier-receipt-rule"
                  data-code={rule.code}
                  data-status={rule.status}
                  data-points={rule.points}
                >
                  <span>
                    {line.text}
                    {line.detail ? <small className="muted"> ({line.detail})</small> : null}
                    {line.budgetExhausted ? (
                      <small className="muted block" data-testid="cashier-receipt-rule-exhausted">
                        {t('cashier.receipt.budgetExhausted')}
                      </small>
                    ) : null}
                  </span>
                  {line.budgetExhausted ? null : <strong>{fmt.signedPoints(line.points)}</strong>}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" ref={newCheckRef} className="button button-large" onClick={onNewCheck} data-testid="cashier-new-check">
          {t('cashier.newCheck')}
        </button>
      </div>
    </div>
  );
}

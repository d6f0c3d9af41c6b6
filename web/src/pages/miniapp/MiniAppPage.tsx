import QRCode from 'qrcode';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { ApiError, describeError, normalizeFieldName, toApiError } from '../../api/errors';
import type { LiveConnection } from '../../api/live';
import { useLiveStatus, useRefetchOnReconnect, useSubscription } from '../../api/liveHooks';
import {
  LinkMyPhoneDocument,
  MyCardDocument,
  MyCardUpdatedDocument,
  MyLedgerDocument,
  MyPromotionsDocument,
  UpdateMyGuestProfileDocument,
  SetMyNotificationLanguageDocument,
} from '../../api/operations';
import type { MyCardFieldsFragment, MyLedgerQuery } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/types';
import { formatBp, formatPoints, formatSignedPoints } from '../../money';
import { localIsoDate } from '../promotions/logic';
import { GuestClient, ReopenRequiredError } from './guestClient';
import {
  localeFromLanguageCode,
  parseLaunchParams,
  parseThemeParams,
  resolveBotUsername,
  resolveTenantId,
  themeCssVars,
  userFromInitData,
  type ThemeParams,
} from './launchParams';
import { shouldToastGuestNotification, toastText, type NotificationItem } from '../../notifications/logic';
import { balanceGain, clampPercent, formatCardCode, formatMinorPlain, ledgerKindKey, pointsKey, pointsToastText } from './logic';
import { NotificationPrefsSection, NotificationsSection, useGuestNotifications } from './Notifications';
import { phoneShareMode, requestContactData, type ContactCapableWebApp } from './phone';
import { promotionCard, type GuestPromotion } from './promotions';
import './miniapp.css';

type LedgerEntry = MyLedgerQuery['myLedger']['nodes'][number];

interface TelegramWebApp extends ContactCapableWebApp {
  initData?: string;
  themeParams?: ThemeParams;
  initDataUnsafe?: { start_param?: string };
  ready?: () => void;
  expand?: () => void;
}

function telegramWebApp(): TelegramWebApp | undefined {
  return (window as Window & { Telegram?: { WebApp?: TelegramWebApp } }).Telegram?.WebApp;
}

interface Launch {
  tenantId: string | null;
  initData: string | null;
  theme: ThemeParams;
  devMode: boolean;
  /** The bot's username from `?bot=` (for the referral link), if the link names it. */
  botUsername: string | null;
}

function readLaunch(): Launch {
  const fromHash = parseLaunchParams(window.location.hash);
  const tg = telegramWebApp();
  const initData = tg?.initData && tg.initData.trim() !== '' ? tg.initData : fromHash.initData;
  const startParam = fromHash.startParam ?? tg?.initDataUnsafe?.start_param ?? null;
  const theme = tg?.themeParams && Object.keys(tg.themeParams).length > 0 ? parseThemeParams(JSON.stringify(tg.themeParams)) : fromHash.themeParams;
  const search = new URLSearchParams(window.location.search);
  return {
    tenantId: resolveTenantId(window.location.search, startParam),
    initData,
    theme,
    devMode: import.meta.env.DEV || search.get('dev') === '1',
    botUsername: resolveBotUsername(window.location.search),
  };
}

type Phase =
  | { kind: 'signingIn' }
  | { kind: 'ready'; client: GuestClient }
  | { kind: 'error'; messageKey: MessageKey; code: string; retry: boolean };

function errorKeyFor(error: unknown): { key: MessageKey; code: string; retry: boolean } {
  if (error instanceof ReopenRequiredError) return { key: 'miniapp.error.reopen', code: 'REOPEN', retry: false };
  const err = toApiError(error);
  if (err.code === 'UNAUTHENTICATED') return { key: 'miniapp.error.badInitData', code: err.code, retry: false };
  if (err.code === 'NOT_FOUND') return { key: 'miniapp.error.noBot', code: err.code, retry: false };
  if (err.code === 'NETWORK') return { key: 'error.NETWORK', code: err.code, retry: true };
  return { key: 'miniapp.error.other', code: err.code, retry: true };
}

/** The guest's Telegram Mini App: `/app?tenant=<id>#tgWebAppData=…`. Outside the staff panel. */
export function MiniAppPage() {
  const { applyLocale } = useI18n();
  const [launch, setLaunch] = useState<Launch>(readLaunch);
  const style = useMemo(() => themeCssVars(launch.theme) as CSSProperties, [launch.theme]);

  useEffect(() => {
    const lang = userFromInitData(launch.initData)?.languageCode;
    applyLocale(localeFromLanguageCode(lang));
  }, [launch.initData, applyLocale]);

  useEffect(() => {
    const tg = telegramWebApp();
    tg?.ready?.();
    tg?.expand?.();
    const vars = themeCssVars(launch.theme);
    document.body.style.background = vars['--tg-bg'] ?? '';
  }, [launch.theme]);

  let content;
  if (!launch.tenantId && !launch.devMode) {
    content = <ErrorScreen messageKey="miniapp.error.noTenant" code="NO_TENANT" />;
  } else if (!launch.initData || !launch.tenantId) {
    content = launch.devMode ? (
      <DevForm
        tenantId={launch.tenantId ?? ''}
        onSubmit={(tenantId, initData) => setLaunch({ ...launch, tenantId, initData })}
      />
    ) : (
      <ErrorScreen messageKey="miniapp.error.noInitData" code="NO_INIT_DATA" />
    );
  } else {
    content = (
      <SignedIn
        key={`${launch.tenantId}|${launch.initData}`}
        tenantId={launch.tenantId}
        initData={launch.initData}
        botUsername={launch.botUsername}
        devMode={launch.devMode}
      />
    );
  }

  return (
    <div className="miniapp" style={style} data-testid="miniapp">
      {content}
    </div>
  );
}

function ErrorScreen({ messageKey, code, onRetry }: { messageKey: MessageKey; code: string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <section className="ma-error" role="alert" data-testid="miniapp-error" data-code={code}>
      <div className="ma-error-icon" aria-hidden="true">!</div>
      <h1>{t('miniapp.error.title')}</h1>
      <p data-testid="miniapp-error-message">{t(messageKey)}</p>
      {onRetry && (
        <button type="button" className="ma-button" onClick={onRetry} data-testid="miniapp-retry">
          {t('miniapp.retry')}
        </button>
      )}
    </section>
  );
}

function DevForm({ tenantId, onSubmit }: { tenantId: string; onSubmit: (tenantId: string, initData: string) => void }) {
  const { t } = useI18n();
  const [tenant, setTenant] = useState(tenantId);
  const [data, setData] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tenant.trim() && data.trim()) onSubmit(tenant.trim(), data.trim());
  };
  return (
    <form className="ma-card ma-dev" onSubmit={submit} data-testid="miniapp-dev-form">
      <h1>{t('miniapp.dev.title')}</h1>
      <p className="ma-hint">{t('miniapp.dev.hint')}</p>
      <label className="ma-field">
        <span>{t('miniapp.dev.tenant')}</span>
        <input value={tenant} onChange={(e) => setTenant(e.target.value)} data-testid="miniapp-dev-tenant" />
      </label>
      <label className="ma-field">
        <span>{t('miniapp.dev.initData')}</span>
        <textarea rows={4} value={data} onChange={(e) => setData(e.target.value)} data-testid="miniapp-dev-initdata" />
      </label>
      <button type="submit" className="ma-button" data-testid="miniapp-dev-submit">
        {t('miniapp.dev.submit')}
      </button>
    </form>
  );
}

function SignedIn({ tenantId, initData, botUsername, devMode }: { tenantId: string; initData: string; botUsername: string | null; devMode: boolean }) {
  const { t, locale } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'signingIn' });
  const [attempt, setAttempt] = useState(0);
  // Bumped when the guest token is replaced (linkMyPhone): the card screen starts over with it.
  const [cardGeneration, setCardGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    const client = new GuestClient(tenantId, initData);
    setPhase({ kind: 'signingIn' });
    client
      .signIn()
      .then(() => {
        if (!cancelled) setPhase({ kind: 'ready', client });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const e = errorKeyFor(error);
        setPhase({ kind: 'error', messageKey: e.key, code: e.code, retry: e.retry });
      });
    return () => {
      cancelled = true;
    };
  }, [tenantId, initData, attempt]);

  // Notifications (here, in Telegram, by e-mail) are written in the language this app shows.
  const readyClient = phase.kind === 'ready' ? phase.client : null;
  useEffect(() => {
    if (!readyClient) return;
    readyClient.request(SetMyNotificationLanguageDocument, { language: locale === 'en' ? 'EN' : 'RU' }).catch(() => undefined);
  }, [readyClient, locale]);

  if (phase.kind === 'signingIn') {
    return (
      <p className="ma-loading" data-testid="miniapp-loading" aria-live="polite">
        {t('miniapp.loading')}
      </p>
    );
  }
  if (phase.kind === 'error') {
    return <ErrorScreen messageKey={phase.messageKey} code={phase.code} onRetry={phase.retry ? () => setAttempt((n) => n + 1) : undefined} />;
  }
  return (
    <CardScreen
      key={cardGeneration}
      client={phase.client}
      botUsername={botUsername}
      devMode={devMode}
      onTokenReplaced={() => setCardGeneration((n) => n + 1)}
    />
  );
}

interface Toast {
  id: number;
  points: number;
}

function CardScreen({
  client,
  botUsername,
  devMode,
  onTokenReplaced,
}: {
  client: GuestClient;
  botUsername: string | null;
  devMode: boolean;
  onTokenReplaced: () => void;
}) {
  const { t, locale } = useI18n();
  const [card, setCard] = useState<MyCardFieldsFragment | null>(null);
  const [fatal, setFatal] = useState<unknown>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [ledgerVersion, setLedgerVersion] = useState(0);
  const lastBalance = useRef<number | null>(null);
  const toastTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [noteToast, setNoteToast] = useState<{ key: number; item: NotificationItem } | null>(null);
  const noteToastTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastPointsToastAt = useRef<number | null>(null);

  /** A new balance from anywhere but the first load: toast the gain. */
  const noteBalance = useCallback((balance: number, initial: boolean) => {
    const gain = initial ? null : balanceGain(lastBalance.current, balance);
    lastBalance.current = balance;
    if (gain !== null) {
      setToast({ id: Date.now(), points: gain });
      lastPointsToastAt.current = Date.now();
      // "+N points" says what a POINTS_EARNED notification toast would
      setNoteToast((n) => (n?.item.kind === 'POINTS_EARNED' ? null : n));
      if (toastTimer.current) clearTimeout(toastTimer.current);
      toastTimer.current = setTimeout(() => setToast(null), 6000);
    }
  }, []);

  /** A notification that arrived live: its own toast, unless the balance already said it. */
  const noteNotification = useCallback((item: NotificationItem) => {
    if (!shouldToastGuestNotification(item, lastPointsToastAt.current, Date.now())) return;
    setNoteToast({ key: Date.now(), item });
    clearTimeout(noteToastTimer.current);
    noteToastTimer.current = setTimeout(() => setNoteToast(null), 6000);
  }, []);

  const loadCard = useCallback(
    async (initial: boolean) => {
      try {
        const data = await client.request(MyCardDocument, {});
        noteBalance(data.myCard.account.balance, initial);
        setCard(data.myCard);
      } catch (error) {
        if (initial || error instanceof ReopenRequiredError) setFatal(error);
      }
    },
    [client, noteBalance],
  );

  useEffect(() => {
    void loadCard(true);
  }, [loadCard]);

  useEffect(
    () => () => {
      clearTimeout(toastTimer.current);
      clearTimeout(noteToastTimer.current);
    },
    [],
  );

  // One live connection for this card screen: `myCardUpdated` (and the notifications below).
  const [liveConnection, setLiveConnection] = useState<LiveConnection | null>(null);
  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    const connection = client.createLive();
    setLiveConnection(connection);
    const online = () => connection.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      connection.close();
      setLiveConnection(null);
    };
  }, [client]);
  const liveStatus = useLiveStatus(liveConnection);
  const live = liveStatus === 'live';

  useSubscription(
    MyCardUpdatedDocument,
    {},
    ({ myCardUpdated: update }) => {
      noteBalance(update.balance, false);
      setCard((prev) => (prev ? { ...prev, account: { ...prev.account, balance: update.balance, held: update.held, available: update.available } } : prev));
      // Level, progress and history follow from the change: read them again.
      void loadCard(false);
      setLedgerVersion((v) => v + 1);
    },
    {
      live: liveConnection,
      onError: (error) => {
        if (error instanceof ReopenRequiredError) setFatal(error);
      },
    },
  );

  // Back after a drop: whatever happened meanwhile (a check, a bonus) was missed; read it all again.
  useRefetchOnReconnect(() => {
    void loadCard(false);
    setLedgerVersion((v) => v + 1);
  }, liveConnection);

  const notifications = useGuestNotifications(client, liveConnection, noteNotification);

  if (fatal) {
    const e = errorKeyFor(fatal);
    return (
      <ErrorScreen
        messageKey={e.key}
        code={e.code}
        onRetry={
          e.retry
            ? () => {
                setFatal(null);
                void loadCard(true);
              }
            : undefined
        }
      />
    );
  }
  if (!card) {
    return (
      <p className="ma-loading" data-testid="miniapp-loading" aria-live="polite">
        {t('miniapp.loading')}
      </p>
    );
  }

  const { account } = card;
  return (
    <main className="ma-main" data-testid="miniapp-card">
      <div className="ma-toasts">
        {toast && (
          <div className="ma-toast" role="status" aria-live="polite" data-testid="miniapp-toast" data-points={toast.points} key={toast.id}>
            {pointsToastText(toast.points, locale, t)}
          </div>
        )}
        {noteToast && <NotificationToast key={noteToast.key} item={noteToast.item} onClose={() => setNoteToast(null)} />}
      </div>

      <section className="ma-card ma-balance-card" aria-labelledby="ma-balance-title">
        <div className="ma-row">
          <h2 id="ma-balance-title" className="ma-label">
            {t('miniapp.balance')}
          </h2>
          <span
            className={`ma-live ${live ? 'on' : 'off'}`}
            data-testid="miniapp-live"
            data-live={live ? 'true' : 'false'}
            data-status={liveStatus}
            title={live ? t('miniapp.live') : t('miniapp.offline')}
          >
            {/* the words only while the connection is being made again (a quiet dot when live) */}
            {liveStatus === 'reconnecting' || liveStatus === 'offline' ? (
              <span className="ma-live-text">{t('miniapp.offline')}</span>
            ) : (
              <span className="ma-visually-hidden">{live ? t('miniapp.live') : t('miniapp.offline')}</span>
            )}
            <span className="ma-dot" aria-hidden="true" />
          </span>
        </div>
        <p className="ma-balance">
          <span data-testid="miniapp-balance" data-value={account.balance}>
            {formatPoints(account.balance, locale)}
          </span>{' '}
          <span className="ma-balance-unit">{t(pointsKey(account.balance, locale))}</span>
        </p>
        {account.held > 0 && (
          <p className="ma-hint" data-testid="miniapp-held">
            {t('miniapp.available', { points: formatPoints(account.available, locale) })} ·{' '}
            {t('miniapp.held', { points: formatPoints(account.held, locale) })}
          </p>
        )}
      </section>

      <PhoneShare client={client} phone={card.guest.phone} devMode={devMode} onLinked={onTokenReplaced} />
      <LevelCard card={card} />
      <QrCard payload={card.guest.qrPayload} code={card.guest.cardCode} />

      <Promotions
        client={client}
        card={card}
        botUsername={botUsername}
        // read again after a visit (a referral bonus) and after the birthday is set (its window)
        version={`${ledgerVersion}|${card.guest.birthday ?? ''}`}
      />

      <NotificationsSection model={notifications} />
      <History client={client} version={ledgerVersion} />
      <NotificationPrefsSection client={client} card={card} />
      <ProfileForm client={client} card={card} onSaved={setCard} />
    </main>
  );
}

function NotificationToast({ item, onClose }: { item: NotificationItem; onClose: () => void }) {
  const { t } = useI18n();
  const text = toastText(item, t);
  return (
    <div className="ma-toast ma-toast-note" role="status" aria-live="polite" data-testid="miniapp-notification-toast" data-kind={item.kind} onClick={onClose}>
      <div className="ma-toast-title">{text.title}</div>
      {text.body ? <div className="ma-toast-body">{text.body}</div> : null}
    </div>
  );
}

/**
 * "Share my phone" when the card has no phone: Telegram's contact request, then `linkMyPhone` with
 * the signed answer. The answer's token replaces the guest token (the record may have changed: the
 * cashier may have registered that phone before) and the card is read again from scratch.
 */
function PhoneShare({ client, phone, devMode, onLinked }: { client: GuestClient; phone: string | null; devMode: boolean; onLinked: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const webApp = telegramWebApp();
  const mode = phoneShareMode(phone, webApp, devMode);
  if (mode === 'hidden') return null;

  const share = async () => {
    if (!webApp) return;
    setMessage(null);
    setBusy(true);
    try {
      const result = await requestContactData(webApp);
      if (result.kind !== 'shared') {
        setMessage(t('miniapp.phone.declined'));
        return;
      }
      const data = await client.request(LinkMyPhoneDocument, { contactData: result.contactData });
      client.replaceToken(data.linkMyPhone.token);
      onLinked();
    } catch (error) {
      setMessage(describeError(toApiError(error), t).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="ma-card" aria-labelledby="ma-phone-title" data-testid="miniapp-phone" data-mode={mode}>
      <h2 id="ma-phone-title">{t('miniapp.phone.title')}</h2>
      <p className="ma-hint">{mode === 'devHint' ? t('miniapp.phone.devHint') : t('miniapp.phone.text')}</p>
      <button type="button" className="ma-button" disabled={mode !== 'button' || busy} onClick={() => void share()} data-testid="miniapp-phone-share">
        {busy ? t('miniapp.phone.sharing') : t('miniapp.phone.share')}
      </button>
      {message && (
        <p className="ma-field-error" role="alert" data-testid="miniapp-phone-error">
          {message}
        </p>
      )}
    </section>
  );
}

function LevelCard({ card }: { card: MyCardFieldsFragment }) {
  const { t, locale } = useI18n();
  const percent = clampPercent(card.progressPercent);
  return (
    <section className="ma-card" aria-labelledby="ma-level-title" data-testid="miniapp-level">
      <div className="ma-row">
        <h2 id="ma-level-title" className="ma-label">
          {t('miniapp.level')}
        </h2>
        {card.level && <span className="ma-hint">{t('miniapp.cashback', { percent: formatBp(card.level.cashbackBp, locale) })}</span>}
      </div>
      <p className="ma-level-name" data-testid="miniapp-level-name">
        {card.level?.name ?? t('miniapp.noLevel')}
      </p>
      {card.nextLevel ? (
        <>
          <div
            className="ma-progress"
            role="progressbar"
            aria-label={t('miniapp.progressLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-testid="miniapp-progress"
          >
            <div className="ma-progress-bar" style={{ width: `${percent}%` }} />
          </div>
          <p className="ma-hint" data-testid="miniapp-to-next">
            {t('miniapp.toNextLevel', {
              amount: formatMinorPlain(card.missingMinor ?? Math.max(0, card.nextLevel.thresholdMinor - card.spendMinor), locale),
              level: card.nextLevel.name,
            })}
          </p>
        </>
      ) : (
        <p className="ma-hint" data-testid="miniapp-top-level">
          {t('miniapp.topLevel')}
        </p>
      )}
    </section>
  );
}

function QrCard({ payload, code }: { payload: string; code: string }) {
  const { t } = useI18n();
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      .then((s) => {
        if (!cancelled) setSvg(s);
      })
      .catch(() => {
        if (!cancelled) setSvg(null);
      });
    return () => {
      cancelled = true;
    };
  }, [payload]);
  return (
    <section className="ma-card ma-qr-card" aria-labelledby="ma-qr-title">
      <h2 id="ma-qr-title" className="ma-label">
        {t('miniapp.qrTitle')}
      </h2>
      <div
        className="ma-qr"
        role="img"
        aria-label={t('miniapp.qrAlt')}
        data-testid="miniapp-qr"
        data-ready={svg ? 'true' : 'false'}
        // The SVG comes from the qrcode library (our payload, no markup from outside).
        dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
      />
      <p className="ma-card-code">
        <span className="ma-visually-hidden">{t('miniapp.cardCode')}: </span>
        <span data-testid="miniapp-card-code">{formatCardCode(code)}</span>
      </p>
    </section>
  );
}

function Promotions({
  client,
  card,
  botUsername,
  version,
}: {
  client: GuestClient;
  card: MyCardFieldsFragment;
  botUsername: string | null;
  version: string;
}) {
  const { t, locale } = useI18n();
  const [list, setList] = useState<GuestPromotion[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    client
      .request(MyPromotionsDocument, {})
      .then((data) => {
        if (cancelled) return;
        setList(data.myPromotions);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e);
      });
    return () => {
      cancelled = true;
    };
  }, [client, version]);

  const focusBirthday = () => {
    const input = document.getElementById('ma-birthday');
    input?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    input?.focus({ preventScroll: true });
  };

  const today = localIsoDate();
  const cardCode = formatCardCode(card.guest.cardCode);
  return (
    <section className="ma-card" aria-labelledby="ma-promotions-title" data-testid="miniapp-promotions">
      <h2 id="ma-promotions-title">{t('miniapp.promotions')}</h2>
      {error !== null && list === null ? (
        <p className="ma-field-error" role="alert">
          {describeError(error, t).message}
        </p>
      ) : null}
      {list === null ? (
        error === null && <p className="ma-hint">{t('miniapp.loading')}</p>
      ) : list.length === 0 ? (
        <p className="ma-hint" data-testid="miniapp-promotions-empty">
          {t('miniapp.promotionsEmpty')}
        </p>
      ) : (
        <ul className="ma-promos">
          {list.map((p) => {
            const view = promotionCard(p, { t, locale, today, hasBirthday: Boolean(card.guest.birthday), cardCode, botUsername });
            return (
              <li key={p.id} className="ma-promo" data-testid="miniapp-promotion" data-kind={p.kind} data-granted={p.granted ? 'true' : 'false'}>
                <h3 className="ma-promo-name">{p.name}</h3>
                <p className="ma-promo-text" data-testid="miniapp-promotion-text">
                  {view.text}
                </p>
                {view.notes.map((note) => (
                  <p key={note} className="ma-hint" data-testid="miniapp-promotion-note">
                    {note}
                  </p>
                ))}
                {view.needsBirthday ? (
                  <button type="button" className="ma-button ma-button-secondary" onClick={focusBirthday} data-testid="miniapp-promotion-set-birthday">
                    {t('miniapp.promo.setBirthday')}
                  </button>
                ) : null}
                {view.share ? <ShareBox kind={view.share.kind} value={view.share.value} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way (some WebViews refuse the Clipboard API)
  }
  try {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    document.body.removeChild(area);
    return ok;
  } catch {
    return false;
  }
}

function ShareBox({ kind, value }: { kind: 'link' | 'code'; value: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<boolean | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    const ok = await copyText(value);
    setCopied(ok);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 4000);
  };
  return (
    <div className="ma-share" data-testid="miniapp-share" data-kind={kind}>
      <p className="ma-hint">{kind === 'link' ? t('miniapp.promo.shareLink') : t('miniapp.promo.shareCode')}</p>
      <p className={`ma-share-value${kind === 'code' ? ' ma-share-code' : ''}`} data-testid="miniapp-share-value">
        {kind === 'link' ? (
          <a href={value} target="_blank" rel="noreferrer">
            {value}
          </a>
        ) : (
          value
        )}
      </p>
      <button type="button" className="ma-button" onClick={() => void copy()} data-testid="miniapp-share-copy">
        {copied ? t('miniapp.promo.copied') : t('miniapp.promo.copy')}
      </button>
      {copied === false ? (
        <p className="ma-field-error" role="alert" data-testid="miniapp-share-copy-failed">
          {t('miniapp.promo.copyFailed')}
        </p>
      ) : null}
      {copied ? (
        <span className="ma-visually-hidden" role="status">
          {t('miniapp.promo.copied')}
        </span>
      ) : null}
    </div>
  );
}

const PAGE = 20;

function History({ client, version }: { client: GuestClient; version: number }) {
  const { t, locale, formatDateTime } = useI18n();
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    client
      .request(MyLedgerDocument, { last: PAGE, before: null })
      .then((data) => {
        if (cancelled) return;
        setEntries([...data.myLedger.nodes].reverse());
        setCursor(data.myLedger.pageInfo.startCursor ?? null);
        setHasMore(data.myLedger.pageInfo.hasPreviousPage);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e);
      });
    return () => {
      cancelled = true;
    };
  }, [client, version]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const data = await client.request(MyLedgerDocument, { last: PAGE, before: cursor });
      setEntries((prev) => [...(prev ?? []), ...[...data.myLedger.nodes].reverse()]);
      setCursor(data.myLedger.pageInfo.startCursor ?? null);
      setHasMore(data.myLedger.pageInfo.hasPreviousPage);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className="ma-card" aria-labelledby="ma-history-title" data-testid="miniapp-history">
      <h2 id="ma-history-title">{t('miniapp.history')}</h2>
      {error !== null && (
        <p className="ma-field-error" role="alert">
          {describeError(error, t).message}
        </p>
      )}
      {entries === null ? (
        error === null && <p className="ma-hint">{t('miniapp.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="ma-hint" data-testid="miniapp-history-empty">
          {t('miniapp.historyEmpty')}
        </p>
      ) : (
        <ul className="ma-history">
          {entries.map((e) => (
            <li key={e.id} data-testid="miniapp-history-item" data-kind={e.kind}>
              <div>
                <div className="ma-history-kind">{t(ledgerKindKey(e.kind))}</div>
                <div className="ma-hint">
                  {formatDateTime(e.createdAt)}
                  {e.reason ? ` · ${e.reason}` : ''}
                </div>
              </div>
              <div className={`ma-amount ${e.amount > 0 ? 'plus' : e.amount < 0 ? 'minus' : ''}`} data-testid="miniapp-history-amount">
                {formatSignedPoints(e.amount, locale)}
              </div>
            </li>
          ))}
        </ul>
      )}
      {hasMore && (
        <button type="button" className="ma-button ma-button-secondary" onClick={() => void more()} disabled={loading} data-testid="miniapp-history-more">
          {t('miniapp.historyMore')}
        </button>
      )}
    </section>
  );
}

const PROFILE_FIELDS = ['name', 'birthday', 'marketingConsent'] as const;

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function ProfileForm({ client, card, onSaved }: { client: GuestClient; card: MyCardFieldsFragment; onSaved: (card: MyCardFieldsFragment) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(card.guest.name ?? '');
  const [birthday, setBirthday] = useState(card.guest.birthday ?? '');
  const [consent, setConsent] = useState(card.guest.marketingConsent);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<(typeof PROFILE_FIELDS)[number], string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    setFormError(null);
    const local: typeof fieldErrors = {};
    if (name.trim().length > 100) local.name = t('miniapp.nameTooLong');
    if (birthday && birthday > todayIso()) local.birthday = t('miniapp.birthdayFuture');
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;
    setSaving(true);
    try {
      const input: { name?: string; birthday?: string; marketingConsent: boolean } = { marketingConsent: consent };
      if (name.trim() !== '') input.name = name.trim();
      if (birthday) input.birthday = birthday;
      const data = await client.request(UpdateMyGuestProfileDocument, { input });
      onSaved(data.updateMyGuestProfile);
      setSaved(true);
    } catch (error) {
      const err = toApiError(error);
      const field = err instanceof ApiError && err.field ? normalizeFieldName(err.field) : undefined;
      const described = describeError(err, t);
      const message = [t('error.VALIDATION'), described.detail].filter(Boolean).join(' ');
      if (err.code === 'VALIDATION' && field && (PROFILE_FIELDS as readonly string[]).includes(field)) {
        setFieldErrors({ [field]: message });
      } else {
        setFormError(err.code === 'VALIDATION' ? message : describeError(err, t).message);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="ma-card" onSubmit={(e) => void submit(e)} aria-labelledby="ma-profile-title" data-testid="miniapp-profile" noValidate>
      <h2 id="ma-profile-title">{t('miniapp.profile')}</h2>
      <label className="ma-field">
        <span>{t('miniapp.name')}</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="given-name"
          aria-invalid={fieldErrors.name ? true : undefined}
          data-testid="miniapp-name"
        />
        {fieldErrors.name && (
          <span className="ma-field-error" data-testid="miniapp-name-error">
            {fieldErrors.name}
          </span>
        )}
      </label>
      <label className="ma-field">
        <span>{t('miniapp.birthday')}</span>
        <input
          id="ma-birthday"
          type="date"
          value={birthday}
          max={todayIso()}
          onChange={(e) => setBirthday(e.target.value)}
          aria-invalid={fieldErrors.birthday ? true : undefined}
          data-testid="miniapp-birthday"
        />
        {fieldErrors.birthday && (
          <span className="ma-field-error" data-testid="miniapp-birthday-error">
            {fieldErrors.birthday}
          </span>
        )}
      </label>
      <label className="ma-check">
        <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="miniapp-consent" />
        <span>{t('miniapp.marketingConsent')}</span>
      </label>
      {fieldErrors.marketingConsent && <span className="ma-field-error">{fieldErrors.marketingConsent}</span>}
      {formError && (
        <p className="ma-field-error" role="alert" data-testid="miniapp-profile-error">
          {formError}
        </p>
      )}
      {saved && (
        <p className="ma-saved" role="status" data-testid="miniapp-profile-saved">
          {t('miniapp.saved')}
        </p>
      )}
      <button type="submit" className="ma-button" disabled={saving} data-testid="miniapp-save">
        {saving ? t('miniapp.saving') : t('miniapp.save')}
      </button>
    </form>
  );
}

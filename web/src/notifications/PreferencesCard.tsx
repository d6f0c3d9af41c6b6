import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '../api/hooks';
import { NotificationPreferencesDocument, UpdateNotificationPreferencesDocument } from '../api/operations';
import { ErrorNotice, Loading, SuccessNotice } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { useMe, useSession } from '../session/SessionProvider';
import { channelsFor, type Channel } from './logic';

type Prefs = Record<Channel, boolean>;

/**
 * The own notification channels (profile page, `#notification-settings`): in the panel (on by
 * default) and by e-mail (off by default). Telegram is for guests and not offered to staff.
 */
export function NotificationPreferencesCard() {
  const { t } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const prefs = useQuery(NotificationPreferencesDocument, {});
  const [values, setValues] = useState<Prefs | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    if (prefs.data) setValues(prefs.data.notificationPreferences);
  }, [prefs.data]);

  // opened from the notification centre's "settings" link
  const ready = values !== null;
  useEffect(() => {
    if (ready && window.location.hash === '#notification-settings') section.current?.scrollIntoView({ block: 'start' });
  }, [ready]);

  const channels = channelsFor('staff');
  const label = (c: Channel) => (c === 'inApp' ? t('notifications.prefs.inApp') : t('notifications.prefs.email', { email: me.user.email }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!values) return;
    setSaving(true);
    setSaved(false);
    setError(undefined);
    try {
      const data = await client.request(UpdateNotificationPreferencesDocument, { input: { inApp: values.inApp, email: values.email } });
      setValues(data.updateNotificationPreferences);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card" id="notification-settings" ref={section} aria-labelledby="notification-settings-title" data-testid="notification-settings">
      <h2 id="notification-settings-title">{t('notifications.prefs.title')}</h2>
      <p className="muted">{t('notifications.prefs.hint')}</p>
      {prefs.loading && !values ? <Loading testId="notification-settings-loading" /> : null}
      <ErrorNotice error={prefs.error} testId="notification-settings-load-error" onRetry={() => void prefs.refetch()} />
      {values ? (
        <form className="form" onSubmit={(e) => void submit(e)} data-testid="notification-settings-form">
          {channels.map((c) => (
            <label key={c} className="checkbox">
              <input
                type="checkbox"
                checked={values[c]}
                onChange={(e) => {
                  setValues({ ...values, [c]: e.target.checked });
                  setSaved(false);
                }}
                data-testid={`notification-pref-${c}`}
              />
              {label(c)}
            </label>
          ))}
          <ErrorNotice error={error} testId="notification-settings-error" />
          <SuccessNotice message={saved ? t('notifications.prefs.saved') : null} testId="notification-settings-saved" onDismiss={() => setSaved(false)} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={saving} data-testid="notification-settings-submit">
              {saving ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

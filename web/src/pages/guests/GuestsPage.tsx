import { useEffect, useState, type FormEvent } from 'react';
import { useConnection } from '../../api/hooks';
import { CreateGuestDocument, GuestsDocument } from '../../api/operations';
import { isFieldError, serverFieldError } from '../../components/formErrors';
import { ErrorNotice, LoadMore, Loading, PageHeader, TextField } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { hasPermission, PERMISSIONS } from '../../nav';
import { Link, useRouter } from '../../routing/router';
import { useMe, useSession } from '../../session/SessionProvider';
import { useFormat } from '../../useFormat';
import { classifyGuestQuery } from '../cashier/logic';

const GUEST_FIELDS = ['phone', 'name', 'email', 'birthday', 'referralCode', 'cardCode'] as const;

export function GuestsPage() {
  const { t, formatDate } = useI18n();
  const me = useMe();
  const fmt = useFormat();
  const canCreate = hasPermission(me.permissions, PERMISSIONS.guestsCreate);
  const [input, setInput] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  // Same rules as the cashier's search: 4+ digits, a card code, a QR payload or 2+ letters.
  const trimmed = input.trim();
  const searchable = trimmed === '' || classifyGuestQuery(trimmed) !== null;
  useEffect(() => {
    if (!searchable) return;
    const timer = setTimeout(() => setQuery(trimmed === '' ? null : trimmed), 300);
    return () => clearTimeout(timer);
  }, [trimmed, searchable]);

  const guests = useConnection(GuestsDocument, (d) => d.guests, { query }, { pageSize: 25 });

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    if (searchable) setQuery(trimmed === '' ? null : trimmed);
  };

  return (
    <section data-testid="guests-page">
      <PageHeader title={t('guests.title')}>
        {canCreate && !creating ? (
          <button type="button" className="button" onClick={() => setCreating(true)} data-testid="guest-new">
            {t('guests.new')}
          </button>
        ) : null}
      </PageHeader>

      {creating ? <CreateGuestForm onCancel={() => setCreating(false)} /> : null}

      <form className="form form-row toolbar" onSubmit={onSearch} role="search" data-testid="guests-search">
        <TextField
          label={t('guests.searchLabel')}
          name="query"
          type="search"
          placeholder={t('cashier.search.placeholder')}
          value={input}
          onValueChange={setInput}
          hint={searchable ? undefined : t('cashier.search.tooShort')}
          testId="guests-search-input"
        />
        <button type="submit" className="button button-secondary">
          {t('guests.search')}
        </button>
      </form>

      <section className="card">
        {!guests.loading ? <p className="muted">{t('common.total', { count: guests.totalCount })}</p> : null}
        {guests.loading ? <Loading testId="guests-loading" /> : null}
        <ErrorNotice error={guests.error} testId="guests-error" onRetry={() => void guests.reload()} />
        {!guests.loading && !guests.error && guests.nodes.length === 0 ? (
          <p className="muted" data-testid="guests-empty">
            {query ? t('guests.notFound') : t('guests.empty')}
          </p>
        ) : null}
        {guests.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="guests-table">
              <thead>
                <tr>
                  <th scope="col">{t('guests.col.name')}</th>
                  <th scope="col">{t('guests.col.phone')}</th>
                  <th scope="col">{t('guests.col.card')}</th>
                  <th scope="col">{t('guests.col.level')}</th>
                  <th scope="col" className="num">
                    {t('guests.col.balance')}
                  </th>
                  <th scope="col">{t('guests.col.created')}</th>
                  <th scope="col">{t('guests.col.lastVisit')}</th>
                </tr>
              </thead>
              <tbody>
                {guests.nodes.map((g) => (
                  <tr key={g.id} data-testid="guest-row" data-phone={g.phone ?? ''}>
                    <td>
                      <Link to={`/guests/${g.id}`} data-testid="guest-link">
                        {g.name || t('guests.noName')}
                      </Link>
                    </td>
                    <td className="nowrap">{g.phone ?? t('common.none')}</td>
                    <td>
                      <code>{g.cardCode}</code>
                    </td>
                    <td>{g.level?.name ?? t('common.none')}</td>
                    <td className="num">{fmt.points(g.account.balance)}</td>
                    <td className="nowrap">{formatDate(g.createdAt)}</td>
                    <td className="nowrap" data-testid="guest-last-visit">
                      {g.lastVisitAt ? formatDate(g.lastVisitAt) : t('common.none')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore visible={guests.hasMore} loading={guests.loadingMore} onClick={() => void guests.loadMore()} testId="guests-load-more" />
      </section>
    </section>
  );
}

function CreateGuestForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const { navigate } = useRouter();
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [birthday, setBirthday] = useState('');
  const [consent, setConsent] = useState(false);
  const [referralCode, setReferralCode] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const opt = (v: string) => (v.trim() ? v.trim() : null);
      const data = await client.request(CreateGuestDocument, {
        input: {
          phone: phone.trim(),
          name: opt(name),
          email: opt(email),
          birthday: opt(birthday),
          marketingConsent: consent,
          referralCode: opt(referralCode),
        },
      });
      navigate(`/guests/${data.createGuest.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="guest-create-title">
      <h2 id="guest-create-title">{t('guests.createTitle')}</h2>
      <form
        className="form"
        onSubmit={(e) => void onSubmit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        data-testid="guest-create-form"
      >
        <div className="form-grid">
          <TextField
            label={t('field.phone')}
            name="phone"
            type="tel"
            required
            autoFocus
            value={phone}
            onValueChange={setPhone}
            error={serverFieldError(error, 'phone', t)}
            testId="guest-create-phone"
          />
          <TextField
            label={t('field.guestName')}
            name="name"
            value={name}
            onValueChange={setName}
            error={serverFieldError(error, 'name', t)}
            testId="guest-create-name"
          />
          <TextField
            label={t('field.email')}
            name="email"
            type="email"
            value={email}
            onValueChange={setEmail}
            error={serverFieldError(error, 'email', t)}
            testId="guest-create-email"
          />
          <TextField
            label={t('field.birthday')}
            name="birthday"
            type="date"
            value={birthday}
            onValueChange={setBirthday}
            error={serverFieldError(error, 'birthday', t)}
            testId="guest-create-birthday"
          />
          <TextField
            label={t('field.referralCode')}
            name="referralCode"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={20}
            placeholder="XXXX-XXXX"
            value={referralCode}
            onValueChange={setReferralCode}
            hint={t('guests.referralHint')}
            error={serverFieldError(error, ['referralCode', 'cardCode'], t)}
            testId="guest-create-referral"
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="guest-create-consent" />
          {t('field.marketingConsent')}
        </label>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="guest-create-submit">
            {busy ? t('common.saving') : t('guests.createSubmit')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      {!isFieldError(error, GUEST_FIELDS) ? <ErrorNotice error={error} testId="guest-create-error" /> : null}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { useConnection } from '../api/hooks';
import { CreateLocationDocument, LocationsDocument, RenameLocationDocument } from '../api/operations';
import { ErrorNotice, LoadMore, Loading, PageHeader, SelectField, SuccessNotice, TextField } from '../components/ui';
import type { LocationsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { hasPermission, PERMISSIONS } from '../nav';
import { useMe, useSession } from '../session/SessionProvider';

type Location = LocationsQuery['locations']['nodes'][number];

/** IANA zones offered in the create form (the markets are Russia and Kazakhstan). */
export const TIMEZONES: readonly string[] = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
  'Asia/Almaty',
  'Asia/Aqtobe',
  'Asia/Aqtau',
  'Asia/Oral',
];

export function LocationsPage() {
  const { t, formatDate } = useI18n();
  const me = useMe();
  const canManage = hasPermission(me.permissions, PERMISSIONS.locationsManage);
  const locations = useConnection(LocationsDocument, (d) => d.locations, {});
  const [notice, setNotice] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);

  return (
    <section data-testid="locations-page">
      <PageHeader title={t('locations.title')} />
      {!canManage ? (
        <p className="notice notice-info" data-testid="locations-read-only">
          {t('locations.readOnly')}
        </p>
      ) : null}
      <SuccessNotice message={notice} testId="locations-notice" onDismiss={() => setNotice(null)} />

      {canManage ? (
        <CreateLocationForm
          onCreated={(name) => {
            setNotice(t('locations.created', { name }));
            void locations.reload();
          }}
        />
      ) : null}

      <section className="card" aria-labelledby="locations-list-title">
        <div className="card-header">
          <h2 id="locations-list-title">{t('locations.listTitle')}</h2>
          {!locations.loading ? <span className="muted">{t('common.total', { count: locations.totalCount })}</span> : null}
        </div>
        {locations.loading ? <Loading testId="locations-loading" /> : null}
        <ErrorNotice error={locations.error} testId="locations-error" onRetry={() => void locations.reload()} />
        {!locations.loading && !locations.error && locations.nodes.length === 0 ? (
          <p className="muted">{t('locations.empty')}</p>
        ) : null}
        {locations.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="locations-table">
              <thead>
                <tr>
                  <th scope="col">{t('locations.col.name')}</th>
                  <th scope="col">{t('locations.col.address')}</th>
                  <th scope="col">{t('locations.col.timezone')}</th>
                  <th scope="col">{t('locations.col.created')}</th>
                  {canManage ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {locations.nodes.map((loc) => (
                  <tr key={loc.id} data-testid="location-row" data-name={loc.name}>
                    <td>
                      {editingId === loc.id ? (
                        <RenameForm
                          location={loc}
                          onDone={(updated) => {
                            setEditingId(null);
                            if (updated) {
                              locations.replaceNode((n) => n.id === updated.id, updated);
                              setNotice(t('locations.renamed', { name: updated.name }));
                            }
                          }}
                        />
                      ) : (
                        <span data-testid="location-name">{loc.name}</span>
                      )}
                    </td>
                    <td>{loc.address || t('common.none')}</td>
                    <td>{loc.timezone}</td>
                    <td>{formatDate(loc.createdAt)}</td>
                    {canManage ? (
                      <td>
                        {editingId !== loc.id ? (
                          <button
                            type="button"
                            className="button button-small button-secondary"
                            onClick={() => {
                              setNotice(null);
                              setEditingId(loc.id);
                            }}
                            aria-label={t('locations.renameFor', { name: loc.name })}
                            data-testid="location-rename"
                          >
                            {t('locations.rename')}
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
          visible={locations.hasMore}
          loading={locations.loadingMore}
          onClick={() => void locations.loadMore()}
          testId="locations-load-more"
        />
      </section>
    </section>
  );
}

function CreateLocationForm({ onCreated }: { onCreated: (name: string) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [timezone, setTimezone] = useState('Europe/Moscow');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const trimmedAddress = address.trim();
      const data = await client.request(CreateLocationDocument, {
        input: { name: name.trim(), address: trimmedAddress ? trimmedAddress : null, timezone },
      });
      setName('');
      setAddress('');
      onCreated(data.createLocation.name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const field = error ? describeError(error, t).field : undefined;

  return (
    <section className="card" aria-labelledby="location-create-title">
      <h2 id="location-create-title">{t('locations.createTitle')}</h2>
      <form className="form form-inline" onSubmit={onSubmit} data-testid="location-create-form">
        <TextField
          label={t('field.name')}
          name="name"
          required
          value={name}
          onValueChange={setName}
          invalid={field === 'name'}
          testId="location-create-name"
        />
        <TextField
          label={t('field.address')}
          name="address"
          value={address}
          onValueChange={setAddress}
          invalid={field === 'address'}
          testId="location-create-address"
        />
        <SelectField
          label={t('field.timezone')}
          name="timezone"
          value={timezone}
          onValueChange={setTimezone}
          options={TIMEZONES.map((z) => ({ value: z, label: z }))}
          invalid={field === 'timezone'}
          testId="location-create-timezone"
        />
        <button type="submit" className="button" disabled={busy} data-testid="location-create-submit">
          {busy ? t('common.saving') : t('locations.createSubmit')}
        </button>
      </form>
      <ErrorNotice error={error} testId="location-create-error" />
    </section>
  );
}

function RenameForm({ location, onDone }: { location: Location; onDone: (updated: Location | null) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState(location.name);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === location.name) {
      onDone(null);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const data = await client.request(RenameLocationDocument, { id: location.id, name: trimmed });
      onDone(data.renameLocation);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form
      className="form form-row"
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone(null);
      }}
      data-testid="location-rename-form"
    >
      <TextField
        label={t('locations.newName', { name: location.name })}
        className="field-compact"
        name="name"
        required
        autoFocus
        value={name}
        onValueChange={setName}
        testId="location-rename-input"
      />
      <button type="submit" className="button button-small" disabled={busy} data-testid="location-rename-save">
        {busy ? t('common.saving') : t('common.save')}
      </button>
      <button type="button" className="button button-small button-secondary" onClick={() => onDone(null)}>
        {t('common.cancel')}
      </button>
      <ErrorNotice error={error} testId="location-rename-error" />
    </form>
  );
}

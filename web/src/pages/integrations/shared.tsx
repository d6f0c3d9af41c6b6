import { useEffect, useRef, useState, type Dispatch } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { badgeClass, canCloseSecretDialog, type BadgeTone, type SecretDialogAction, type SecretDialogState } from './logic';

/** Copies text: the Clipboard API, or a hidden textarea where it is refused (plain http, old browsers). */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
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
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

/** A "Copy" button that says "Copied" (or "select and copy it") for a moment. */
export function CopyButton({ value, label, testId, onCopied }: { value: string; label?: string; testId?: string; onCopied?: () => void }) {
  const { t } = useI18n();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onClick = async () => {
    const ok = await copyToClipboard(value);
    setResult(ok ? 'copied' : 'failed');
    if (ok) onCopied?.();
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setResult(null), 2500);
  };
  return (
    <button
      type="button"
      className="button button-small button-secondary copy-button"
      onClick={() => void onClick()}
      data-testid={testId}
      data-copied={result === 'copied' ? 'true' : undefined}
      aria-label={label}
    >
      {result === 'copied' ? t('common.copied') : result === 'failed' ? t('common.copyFailed') : t('common.copy')}
    </button>
  );
}

export function StatusBadge({ tone, children, testId, value }: { tone: BadgeTone; children: string; testId?: string; value?: string }) {
  return (
    <span className={badgeClass(tone)} data-testid={testId} data-value={value}>
      {children}
    </span>
  );
}

/**
 * The modal that shows a secret (or key) the server returns once. Closing forgets it; until the
 * secret was copied or "I saved it" is ticked, the dialog stays open (Esc included).
 */
export function SecretDialog({ state, dispatch }: { state: SecretDialogState; dispatch: Dispatch<SecretDialogAction> }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (state.open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!state.open && dialog.open) {
      dialog.close();
    }
  }, [state.open]);

  const closable = canCloseSecretDialog(state);
  if (!state.open) return <dialog ref={ref} className="secret-dialog" data-testid="secret-dialog-closed" />;
  const { reveal } = state;
  const iiko = reveal.integrationKind === 'IIKO';
  const secretLabel =
    reveal.what === 'apiKey' ? t('secret.apiKeyLabel') : reveal.what === 'webhook' ? t('secret.webhookLabel') : iiko ? t('secret.iikoLabel') : t('secret.label');
  const title =
    reveal.reason === 'rotated'
      ? t('secret.rotatedTitle', { name: reveal.subject })
      : reveal.what === 'apiKey'
        ? t('secret.apiKeyCreatedTitle', { name: reveal.subject })
        : t('secret.createdTitle', { name: reveal.subject });

  return (
    <dialog
      ref={ref}
      className="secret-dialog"
      aria-labelledby="secret-dialog-title"
      data-testid="secret-dialog"
      data-reason={reveal.reason}
      data-what={reveal.what}
      onCancel={(e) => {
        // Esc: only once the secret is safe
        e.preventDefault();
        if (closable) dispatch({ type: 'close' });
      }}
    >
      <h2 id="secret-dialog-title">{title}</h2>
      <p className="notice notice-error secret-once" role="note" data-testid="secret-dialog-once">
        {t('secret.once')}
      </p>
      {reveal.reason === 'rotated' ? (
        <p className="notice notice-info" data-testid="secret-dialog-overlap">
          {t('secret.overlap')}
        </p>
      ) : null}
      {reveal.url ? (
        <div className="secret-row">
          <span className="field-label">{t('secret.url')}</span>
          <code className="secret-value" data-testid="secret-dialog-url">
            {reveal.url}
          </code>
          <CopyButton value={reveal.url} testId="secret-dialog-copy-url" onCopied={() => dispatch({ type: 'copied', what: 'url' })} />
        </div>
      ) : null}
      <div className="secret-row">
        <span className="field-label">{secretLabel}</span>
        <code className="secret-value" data-testid="secret-dialog-secret">
          {reveal.secret}
        </code>
        <CopyButton value={reveal.secret} testId="secret-dialog-copy-secret" onCopied={() => dispatch({ type: 'copied', what: 'secret' })} />
      </div>
      {iiko ? <p className="muted" data-testid="secret-dialog-iiko">{t('secret.iikoHint')}</p> : null}
      {reveal.what === 'apiKey' ? <p className="muted">{t('secret.apiKeyHint')}</p> : null}
      {reveal.what === 'webhook' ? <p className="muted">{t('secret.webhookHint')}</p> : null}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={state.acknowledged}
          onChange={(e) => dispatch({ type: 'acknowledge', value: e.target.checked })}
          data-testid="secret-dialog-ack"
        />
        <span>{t('secret.saved')}</span>
      </label>
      <div className="form-actions">
        <button type="button" className="button" disabled={!closable} onClick={() => dispatch({ type: 'close' })} data-testid="secret-dialog-close">
          {t('secret.close')}
        </button>
      </div>
    </dialog>
  );
}

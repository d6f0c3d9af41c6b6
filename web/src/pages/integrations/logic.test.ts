import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  badgeClass,
  buildCurlExample,
  canCloseSecretDialog,
  canReprocess,
  deliveryStatusTone,
  formatAge,
  guestQueryFromPayload,
  mergeNewest,
  grantableScopes,
  groupEventTypes,
  httpStatusTone,
  inboundStatusKey,
  inboundStatusTone,
  INBOUND_EVENT_STATUSES,
  payloadPreview,
  prettyPayload,
  readOnlyScopes,
  sampleCheckBody,
  SECRET_DIALOG_CLOSED,
  secretDialogReducer,
  shellQuote,
  signatureHeader,
  signedPayload,
  toggleScope,
  validateApiKeyForm,
  validateWebhookForm,
  type SecretDialogState,
} from './logic';
import { ru } from '../../i18n/ru';

describe('the once-only secret dialog', () => {
  const reveal = { what: 'integration' as const, reason: 'created' as const, subject: 'Касса 1', secret: 's3cr3t', url: 'http://x/webhooks/pos/1', integrationKind: 'POS' as const };

  it('shows a secret, records copies once, and forgets it on close', () => {
    let state: SecretDialogState = SECRET_DIALOG_CLOSED;
    state = secretDialogReducer(state, { type: 'show', reveal });
    expect(state).toMatchObject({ open: true, reveal: { secret: 's3cr3t' }, copied: [], acknowledged: false });
    state = secretDialogReducer(state, { type: 'copied', what: 'url' });
    state = secretDialogReducer(state, { type: 'copied', what: 'url' });
    expect(state.open && state.copied).toEqual(['url']);
    state = secretDialogReducer(state, { type: 'close' });
    expect(state).toEqual({ open: false });
    expect(JSON.stringify(state)).not.toContain('s3cr3t');
    // nothing brings it back but a new secret from the server
    expect(secretDialogReducer(state, { type: 'copied', what: 'secret' })).toEqual({ open: false });
    expect(secretDialogReducer(state, { type: 'acknowledge', value: true })).toEqual({ open: false });
  });

  it('keeps its own copy of what it shows', () => {
    const mutable = { ...reveal };
    const state = secretDialogReducer(SECRET_DIALOG_CLOSED, { type: 'show', reveal: mutable });
    mutable.secret = 'changed';
    expect(state.open && state.reveal.secret).toBe('s3cr3t');
  });

  it('may be closed after the secret is copied or "I saved it" is ticked', () => {
    const shown = secretDialogReducer(SECRET_DIALOG_CLOSED, { type: 'show', reveal });
    expect(canCloseSecretDialog(shown)).toBe(false);
    expect(canCloseSecretDialog(secretDialogReducer(shown, { type: 'copied', what: 'url' }))).toBe(false);
    expect(canCloseSecretDialog(secretDialogReducer(shown, { type: 'copied', what: 'secret' }))).toBe(true);
    const ticked = secretDialogReducer(shown, { type: 'acknowledge', value: true });
    expect(canCloseSecretDialog(ticked)).toBe(true);
    expect(canCloseSecretDialog(secretDialogReducer(ticked, { type: 'acknowledge', value: false }))).toBe(false);
    expect(canCloseSecretDialog(SECRET_DIALOG_CLOSED)).toBe(true);
  });

  it('starts fresh for every new secret', () => {
    let state = secretDialogReducer(SECRET_DIALOG_CLOSED, { type: 'show', reveal });
    state = secretDialogReducer(state, { type: 'copied', what: 'secret' });
    state = secretDialogReducer(state, { type: 'show', reveal: { ...reveal, reason: 'rotated', secret: 'new' } });
    expect(state).toMatchObject({ open: true, reveal: { reason: 'rotated', secret: 'new' }, copied: [], acknowledged: false });
  });
});

describe('status badges', () => {
  it('gives every inbound status a tone and a translated label', () => {
    expect(inboundStatusTone('PROCESSED')).toBe('ok');
    expect(inboundStatusTone('PENDING')).toBe('pending');
    expect(inboundStatusTone('IGNORED')).toBe('neutral');
    for (const s of ['FAILED', 'CONFLICT', 'REJECTED'] as const) expect(inboundStatusTone(s)).toBe('off');
    for (const s of INBOUND_EVENT_STATUSES) expect(Object.keys(ru)).toContain(inboundStatusKey(s));
  });

  it('offers reprocess only for failed and ignored events', () => {
    expect(INBOUND_EVENT_STATUSES.filter(canReprocess)).toEqual(['IGNORED', 'FAILED']);
  });

  it('maps delivery statuses and HTTP codes', () => {
    expect(deliveryStatusTone('SUCCEEDED')).toBe('ok');
    expect(deliveryStatusTone('PENDING')).toBe('pending');
    expect(deliveryStatusTone('FAILED')).toBe('off');
    expect(deliveryStatusTone('CANCELLED')).toBe('neutral');
    expect(httpStatusTone(204)).toBe('ok');
    expect(httpStatusTone(302)).toBe('off');
    expect(httpStatusTone(500)).toBe('off');
    expect(httpStatusTone(null)).toBe('off');
    expect(badgeClass('ok')).toBe('status status-ok');
    expect(badgeClass('neutral')).toBe('status');
  });
});

describe('the signed request example', () => {
  it('quotes for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('{"a":1}')).toBe(`'{"a":1}'`);
  });

  it('signs t + "." + body in X-Signature for POS and r_keeper, never filling in the secret', () => {
    const pos = buildCurlExample('http://127.0.0.1:8080/webhooks/pos/abc', 'POS');
    expect(pos).toContain(`SECRET='<secret>'`);
    expect(pos).toContain(`printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`);
    expect(pos).toContain('-H "X-Signature: t=$T,v1=$SIG"');
    expect(pos).toContain(`curl -sS -X POST 'http://127.0.0.1:8080/webhooks/pos/abc'`);
    expect(pos).toContain(shellQuote(sampleCheckBody()));
    expect(buildCurlExample('http://h/webhooks/rkeeper/1', 'RKEEPER')).toContain('"transactions"');
  });

  it('sends the authToken for iiko instead of a signature', () => {
    const iiko = buildCurlExample('http://h/webhooks/iiko/1', 'IIKO');
    expect(iiko).toContain('Authorization: Bearer $TOKEN');
    expect(iiko).not.toContain('X-Signature');
    expect(iiko).toContain('"DeliveryOrderUpdate"');
  });

  it('has a body whose sums add up', () => {
    const body = JSON.parse(sampleCheckBody('X-1', '+79990001122', 5000)) as { totalMinor: number; payments: Array<{ amountMinor: number }> };
    expect(body.totalMinor).toBe(5000);
    expect(body.payments.reduce((s, p) => s + p.amountMinor, 0)).toBe(5000);
  });

  it('computes the same signature as the shell example (when openssl is installed)', () => {
    const secret = 'whsec-test';
    const t = 1_700_000_000;
    const body = sampleCheckBody();
    const expected = createHmac('sha256', secret).update(signedPayload(t, body)).digest('hex');
    expect(signatureHeader(t, expected)).toBe(`t=${t},v1=${expected}`);
    const script = buildCurlExample('http://unused', 'POS', secret)
      .split('\n')
      .filter((line) => !line.startsWith('curl') && !line.startsWith('  '))
      .map((line) => (line === 'T=$(date +%s)' ? `T=${t}` : line))
      .concat('printf %s "$SIG"')
      .join('\n');
    let out: string;
    try {
      out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    } catch {
      return; // no openssl here: the string checks above still hold
    }
    expect(out.trim()).toBe(expected);
  });
});

describe('payloads and ages', () => {
  it('pretty-prints JSON and keeps other text', () => {
    expect(prettyPayload('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyPayload('not json')).toBe('not json');
    expect(prettyPayload({ b: [1] })).toBe('{\n  "b": [\n    1\n  ]\n}');
    expect(payloadPreview('{"a":\n 1}')).toBe('{"a": 1}');
    expect(payloadPreview('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('formats ages', () => {
    const u = { s: 's', min: 'min', h: 'h', d: 'd' };
    expect(formatAge(42, u)).toBe('42 s');
    expect(formatAge(300, u)).toBe('5 min');
    expect(formatAge(3600 * 3 + 20 * 60, u)).toBe('3 h 20 min');
    expect(formatAge(7200, u)).toBe('2 h');
    expect(formatAge(86400 * 2 + 3600 * 4, u)).toBe('2 d 4 h');
    expect(formatAge(-5, u)).toBe('0 s');
  });
});

describe('API key scopes', () => {
  const mine = ['staff:read', 'staff:manage', 'roles:manage', 'guests:read', 'checks:process', 'audit:read'];
  const catalogue = ['tenant:read', 'staff:read', 'staff:manage', 'roles:manage', 'checks:process', 'guests:read'];

  it('offers what the person holds, never staff:manage or roles:manage, in catalogue order', () => {
    expect(grantableScopes(mine, catalogue)).toEqual(['staff:read', 'checks:process', 'guests:read', 'audit:read']);
    expect(grantableScopes(mine)).toEqual(['staff:read', 'guests:read', 'checks:process', 'audit:read']);
  });

  it('toggles scopes in the offered order', () => {
    const available = grantableScopes(mine, catalogue);
    let selected = toggleScope([], 'guests:read', true, available);
    selected = toggleScope(selected, 'staff:read', true, available);
    expect(selected).toEqual(['staff:read', 'guests:read']);
    expect(toggleScope(selected, 'staff:read', false, available)).toEqual(['guests:read']);
    expect(toggleScope(selected, 'roles:manage', true, available)).toEqual(['staff:read', 'guests:read']);
    expect(readOnlyScopes(available)).toEqual(['staff:read', 'guests:read', 'audit:read']);
  });

  it('needs a name and at least one scope', () => {
    expect(validateApiKeyForm('  ', [])).toEqual({ name: 'apiKeys.error.nameRequired', scopes: 'apiKeys.error.scopesRequired' });
    expect(validateApiKeyForm('x'.repeat(101), ['guests:read'])).toEqual({ name: 'apiKeys.error.nameTooLong' });
    expect(validateApiKeyForm('CRM', ['guests:read'])).toEqual({});
  });
});

describe('webhook endpoints', () => {
  it('needs an http(s) URL and at least one event type', () => {
    expect(validateWebhookForm('', [])).toEqual({ url: 'webhooks.error.urlRequired', eventTypes: 'webhooks.error.eventTypesRequired' });
    expect(validateWebhookForm('ftp://x', ['guest.created'])).toEqual({ url: 'webhooks.error.urlInvalid' });
    expect(validateWebhookForm('not a url', ['guest.created'])).toEqual({ url: 'webhooks.error.urlInvalid' });
    expect(validateWebhookForm(' https://crm.example.com/hook ', ['guest.created'])).toEqual({});
  });

  it('groups event types by their first part', () => {
    expect(groupEventTypes(['guest.created', 'check.processed', 'guest.updated', 'webhook.test'])).toEqual([
      { group: 'guest', types: ['guest.created', 'guest.updated'] },
      { group: 'check', types: ['check.processed'] },
      { group: 'webhook', types: ['webhook.test'] },
    ]);
  });
});

describe('the event log', () => {
  const e = (id: string, status = 'PENDING') => ({ id, status });

  it('merges a fresh first page into what is shown', () => {
    const shown = [e('3'), e('2'), e('1')];
    expect(mergeNewest(shown, [e('4'), e('3', 'PROCESSED')], 2)).toEqual({ nodes: [e('4'), e('3', 'PROCESSED'), e('2'), e('1')], reset: false });
    expect(mergeNewest([], [e('1')], 2)).toEqual({ nodes: [e('1')], reset: true });
    // more new events than a page: only the fresh page
    expect(mergeNewest(shown, [e('9'), e('8')], 2)).toEqual({ nodes: [e('9'), e('8')], reset: true });
    // everything was deleted/filtered away server side: a short fresh page replaces nothing older than it
    expect(mergeNewest(shown, [e('5')], 2)).toEqual({ nodes: [e('5'), ...shown], reset: false });
  });

  it('finds the guest in every format', () => {
    expect(guestQueryFromPayload(sampleCheckBody('X', '+79990001122'))).toBe('+79990001122');
    expect(guestQueryFromPayload('{"type":"check.closed","guest":{"cardCode":"ABCD-EFGH"}}')).toBe('ABCD-EFGH');
    expect(guestQueryFromPayload('[{"eventType":"DeliveryOrderUpdate","eventInfo":{"order":{"phone":"+7999"}}}]')).toBe('+7999');
    expect(guestQueryFromPayload('{"card":"ABCD1234","amount":-100}')).toBe('ABCD1234');
    expect(guestQueryFromPayload('{"transactions":[{"card":"ABCD1234"}]}')).toBe('ABCD1234');
    expect(guestQueryFromPayload('{"guest":{"qr":"ML1:abc"}}')).toBeNull();
    expect(guestQueryFromPayload('nope')).toBeNull();
  });
});

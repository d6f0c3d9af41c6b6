// Pure logic of the integration pages (integrations, job queue, API keys, webhook endpoints):
// the once-only secret dialog, status badges, the signed-request example, scope selection.
import type { InboundEventStatus, IntegrationKind, WebhookDeliveryStatus } from '../../gql/graphql';
import type { MessageKey } from '../../i18n/types';

// ---------------------------------------------------------------- the once-only secret dialog

/** What the dialog shows: a secret (or key) that the server returns exactly once. */
export interface SecretReveal {
  /** Whose secret: an integration's (signing secret / iiko authToken), a partner API key, a webhook endpoint's `whsec_…`. */
  what: 'integration' | 'apiKey' | 'webhook';
  /** What produced it: a new integration / endpoint / key, or a rotation. */
  reason: 'created' | 'rotated';
  /** Whose secret it is (integration or endpoint name, key name). */
  subject: string;
  secret: string;
  /** The URL to configure next to the secret (integrations: the endpoint URL). */
  url?: string;
  /** For integrations: iiko calls the secret its `authToken`. */
  integrationKind?: IntegrationKind;
}

export type SecretDialogState =
  | { open: false }
  | { open: true; reveal: SecretReveal; copied: ReadonlyArray<'secret' | 'url'>; acknowledged: boolean };

export type SecretDialogAction =
  | { type: 'show'; reveal: SecretReveal }
  | { type: 'copied'; what: 'secret' | 'url' }
  | { type: 'acknowledge'; value: boolean }
  | { type: 'close' };

export const SECRET_DIALOG_CLOSED: SecretDialogState = { open: false };

/**
 * The dialog's state. Closing forgets the secret: nothing in the page keeps it afterwards, and
 * there is no action that shows it again — only a new `show` (a new secret from the server).
 */
export function secretDialogReducer(state: SecretDialogState, action: SecretDialogAction): SecretDialogState {
  switch (action.type) {
    case 'show':
      return { open: true, reveal: { ...action.reveal }, copied: [], acknowledged: false };
    case 'copied':
      if (!state.open || state.copied.includes(action.what)) return state;
      return { ...state, copied: [...state.copied, action.what] };
    case 'acknowledge':
      return state.open ? { ...state, acknowledged: action.value } : state;
    case 'close':
      return SECRET_DIALOG_CLOSED;
    default:
      return state;
  }
}

/** The dialog may be closed once the secret was copied or the person ticked "I saved it". */
export function canCloseSecretDialog(state: SecretDialogState): boolean {
  return !state.open || state.acknowledged || state.copied.includes('secret');
}

// ---------------------------------------------------------------- badges

export type BadgeTone = 'ok' | 'off' | 'pending' | 'neutral';

export function badgeClass(tone: BadgeTone): string {
  return tone === 'neutral' ? 'status' : `status status-${tone}`;
}

export const INBOUND_EVENT_STATUSES: readonly InboundEventStatus[] = ['PENDING', 'PROCESSED', 'IGNORED', 'FAILED', 'CONFLICT', 'REJECTED'];

export function inboundStatusTone(status: InboundEventStatus): BadgeTone {
  switch (status) {
    case 'PROCESSED':
      return 'ok';
    case 'PENDING':
      return 'pending';
    case 'IGNORED':
      return 'neutral';
    default:
      return 'off'; // FAILED, CONFLICT, REJECTED
  }
}

export function inboundStatusKey(status: InboundEventStatus): MessageKey {
  return `integrations.status.${status}`;
}

/** Only ignored and failed events can be put back in the queue. */
export function canReprocess(status: InboundEventStatus): boolean {
  return status === 'FAILED' || status === 'IGNORED';
}

export const WEBHOOK_DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function deliveryStatusTone(status: WebhookDeliveryStatus): BadgeTone {
  switch (status) {
    case 'SUCCEEDED':
      return 'ok';
    case 'PENDING':
      return 'pending';
    case 'FAILED':
      return 'off';
    default:
      return 'neutral';
  }
}

export function deliveryStatusKey(status: WebhookDeliveryStatus): MessageKey {
  return `webhooks.status.${status}`;
}

/** An HTTP status as a tone: 2xx ok, anything else (or no answer) off. */
export function httpStatusTone(code: number | null | undefined): BadgeTone {
  if (code === null || code === undefined) return 'off';
  return code >= 200 && code < 300 ? 'ok' : 'off';
}

export const INTEGRATION_KINDS: readonly IntegrationKind[] = ['POS', 'IIKO', 'RKEEPER'];

export function integrationKindKey(kind: IntegrationKind): MessageKey {
  return `integrations.kind.${kind}`;
}

// ---------------------------------------------------------------- the signed-request example

/** `'…'` for a POSIX shell: single quotes, an embedded `'` as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A small canonical `check.closed` body (money in minor units). */
export function sampleCheckBody(externalId = 'CHK-000123', phone = '+79990001122', totalMinor = 125000): string {
  return JSON.stringify({
    type: 'check.closed',
    externalId,
    guest: { phone },
    totalMinor,
    payments: [{ method: 'card', amountMinor: totalMinor }],
  });
}

const SAMPLE_IIKO_BODY = JSON.stringify([
  {
    eventType: 'DeliveryOrderUpdate',
    organizationId: '00000000-0000-0000-0000-000000000000',
    eventInfo: { id: 'ORDER-1', order: { status: 'Closed', phone: '+79990001122', sum: 1250.0 } },
  },
]);

const SAMPLE_RKEEPER_BODY = JSON.stringify({
  transactions: [{ card: 'ABCD1234', amount: -125000, restaurant: 1, cashregister: 1, cashdate: '2026-01-31', check_number: 123 }],
});

/**
 * A copy-paste shell example for an integration's endpoint. POS and r_keeper: the body is signed
 * with `X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>` (openssl); iiko sends
 * its authToken in `Authorization`. The secret is never filled in: the placeholder stays.
 */
export function buildCurlExample(url: string, kind: IntegrationKind, secretPlaceholder = '<secret>'): string {
  if (kind === 'IIKO') {
    return [
      `TOKEN=${shellQuote(secretPlaceholder)}`,
      `BODY=${shellQuote(SAMPLE_IIKO_BODY)}`,
      `curl -sS -X POST ${shellQuote(url)} \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -H "Authorization: Bearer $TOKEN" \\`,
      `  --data-raw "$BODY"`,
    ].join('\n');
  }
  const body = kind === 'RKEEPER' ? SAMPLE_RKEEPER_BODY : sampleCheckBody();
  return [
    `SECRET=${shellQuote(secretPlaceholder)}`,
    `BODY=${shellQuote(body)}`,
    `T=$(date +%s)`,
    `SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //')`,
    `curl -sS -X POST ${shellQuote(url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "X-Signature: t=$T,v1=$SIG" \\`,
    `  --data-raw "$BODY"`,
  ].join('\n');
}

/** The value of `X-Signature` for a body: what the example computes (`hmacHex` is HMAC-SHA256 in hex). */
export function signatureHeader(timestamp: number, hmacHex: string): string {
  return `t=${timestamp},v1=${hmacHex}`;
}

/** What the HMAC covers: `<t>.<raw body>`. */
export function signedPayload(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

// ---------------------------------------------------------------- payloads and ages

/** A received payload for display: pretty JSON when it parses, the raw text otherwise. */
export function prettyPayload(payload: unknown): string {
  if (typeof payload !== 'string') {
    try {
      return JSON.stringify(payload, null, 2) ?? String(payload);
    } catch {
      return String(payload);
    }
  }
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** A short one-line preview of a payload (at most `max` characters). */
export function payloadPreview(payload: unknown, max = 80): string {
  const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? '');
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Seconds as "42 s", "5 min", "3 h 20 min", "2 d 4 h" (units from the caller's dictionary). */
export function formatAge(seconds: number, units: { s: string; min: string; h: string; d: string }): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} ${units.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} ${units.min}`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} ${units.h} ${m % 60} ${units.min}` : `${h} ${units.h}`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} ${units.d} ${h % 24} ${units.h}` : `${d} ${units.d}`;
}

// ---------------------------------------------------------------- API key scopes

/** Never grantable to an API key (the server refuses them too). */
export const NON_GRANTABLE_SCOPES: readonly string[] = ['staff:manage', 'roles:manage'];

/**
 * The scopes a person may give a key: the permissions they hold themselves, minus the
 * non-grantable ones, in the catalogue's order when a catalogue is known (extra ones after it).
 */
export function grantableScopes(myPermissions: readonly string[], catalogue: readonly string[] = []): string[] {
  const mine = new Set(myPermissions.filter((p) => !NON_GRANTABLE_SCOPES.includes(p)));
  const ordered = catalogue.filter((k) => mine.has(k));
  const rest = [...mine].filter((k) => !catalogue.includes(k));
  return [...ordered, ...rest];
}

/** Ticks or unticks one scope, keeping the order of `available`. */
export function toggleScope(selected: readonly string[], scope: string, on: boolean, available: readonly string[]): string[] {
  const set = new Set(selected);
  if (on) set.add(scope);
  else set.delete(scope);
  return available.filter((k) => set.has(k));
}

/** Only read permissions (`…:read`) from what is available: a safe default for a partner app. */
export function readOnlyScopes(available: readonly string[]): string[] {
  return available.filter((k) => k.endsWith(':read'));
}

export type ApiKeyFormErrors = Partial<Record<'name' | 'scopes', MessageKey>>;

export function validateApiKeyForm(name: string, scopes: readonly string[]): ApiKeyFormErrors {
  const errors: ApiKeyFormErrors = {};
  if (!name.trim()) errors.name = 'apiKeys.error.nameRequired';
  else if (name.trim().length > 100) errors.name = 'apiKeys.error.nameTooLong';
  if (scopes.length === 0) errors.scopes = 'apiKeys.error.scopesRequired';
  return errors;
}

// ---------------------------------------------------------------- webhook endpoints

export type WebhookFormErrors = Partial<Record<'url' | 'eventTypes', MessageKey>>;

export function validateWebhookForm(url: string, eventTypes: readonly string[]): WebhookFormErrors {
  const errors: WebhookFormErrors = {};
  const trimmed = url.trim();
  if (!trimmed) errors.url = 'webhooks.error.urlRequired';
  else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(trimmed);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) errors.url = 'webhooks.error.urlInvalid';
  }
  if (eventTypes.length === 0) errors.eventTypes = 'webhooks.error.eventTypesRequired';
  return errors;
}

/** `check.processed` → `check`: event types grouped by their first part, in the given order. */
export function groupEventTypes(types: readonly string[]): Array<{ group: string; types: string[] }> {
  const groups: Array<{ group: string; types: string[] }> = [];
  for (const type of types) {
    const group = type.split('.')[0] ?? type;
    const found = groups.find((g) => g.group === group);
    if (found) found.types.push(type);
    else groups.push({ group, types: [type] });
  }
  return groups;
}

// ---------------------------------------------------------------- the event log

/**
 * A fresh newest-first first page merged into what is shown (newest first, possibly with older
 * pages loaded): updated events are replaced, new ones come on top, older pages stay. When the
 * fresh page does not reach what is shown (more new events than a page), only the fresh page is
 * kept (`reset`: the caller takes the fresh cursor).
 */
export function mergeNewest<T extends { id: string }>(current: readonly T[], fresh: readonly T[], pageSize: number): { nodes: T[]; reset: boolean } {
  if (current.length === 0) return { nodes: [...fresh], reset: true };
  const freshIds = new Set(fresh.map((n) => n.id));
  const overlaps = current.some((n) => freshIds.has(n.id));
  if (!overlaps && fresh.length >= pageSize) return { nodes: [...fresh], reset: true };
  return { nodes: [...fresh, ...current.filter((n) => !freshIds.has(n.id))], reset: false };
}

/**
 * What to search the guest by, from a received payload: the canonical format's `guest.phone` /
 * `guest.cardCode`, iiko's `order.phone`, r_keeper's `card`. Null when nothing is there.
 */
export function guestQueryFromPayload(payload: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return null;
  }
  const pick = (obj: unknown, ...path: string[]): string | null => {
    let cur: unknown = obj;
    for (const key of path) {
      if (cur === null || typeof cur !== 'object') return null;
      cur = (cur as Record<string, unknown>)[key];
    }
    return typeof cur === 'string' && cur.trim() !== '' ? cur.trim() : null;
  };
  const first = (obj: unknown): unknown => (Array.isArray(obj) ? obj[0] : obj);
  const one = first(data);
  return (
    pick(one, 'guest', 'phone') ??
    pick(one, 'guest', 'cardCode') ??
    pick(one, 'eventInfo', 'order', 'phone') ??
    pick(one, 'order', 'phone') ??
    pick(one, 'card') ??
    pick(first(one !== null && typeof one === 'object' ? (one as { transactions?: unknown }).transactions : null), 'card')
  );
}

import { isMessageKey, type Translate } from '../i18n/translate';
import type { MessageKey } from '../i18n/types';

/** `extensions.code` values the server sends (see the GraphQL contract). */
export const SERVER_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];
/** Client-side codes: the server could not be reached, or answered something unexpected. */
export type ErrorCode = ServerErrorCode | 'NETWORK' | 'UNKNOWN';

export interface GraphQLErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: unknown; field?: unknown; [key: string]: unknown };
}

export function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && (SERVER_ERROR_CODES as readonly string[]).includes(value);
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  /** For VALIDATION: the input field the server complained about (e.g. "email"). */
  readonly field: string | undefined;
  readonly errors: readonly GraphQLErrorItem[];
  readonly status: number | undefined;
  /** For RATE_LIMITED: seconds to wait before trying again (`extensions.retryAfter`). */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    opts: { field?: string; errors?: readonly GraphQLErrorItem[]; status?: number; retryAfter?: number } = {},
  ) {
    super(message ?? code);
    this.name = 'ApiError';
    this.code = code;
    this.field = opts.field;
    this.errors = opts.errors ?? [];
    this.status = opts.status;
    this.retryAfter = opts.retryAfter;
  }
}

export function codeFromHttpStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 422 || status === 400) return 'VALIDATION';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'UNKNOWN';
}

/** Builds an ApiError from a GraphQL `errors[]` array (the first error decides the code). */
export function apiErrorFromGraphQL(errors: readonly GraphQLErrorItem[], status?: number): ApiError {
  // Prefer the first error that carries a known code; an UNAUTHENTICATED anywhere wins,
  // because it is what triggers the session refresh.
  const withCode = errors.filter((e) => isServerErrorCode(e.extensions?.code));
  const primary =
    withCode.find((e) => e.extensions?.code === 'UNAUTHENTICATED') ?? withCode[0] ?? errors[0];
  const rawCode = primary?.extensions?.code;
  const code: ErrorCode = isServerErrorCode(rawCode) ? rawCode : 'UNKNOWN';
  const rawField = primary?.extensions?.field;
  const field = typeof rawField === 'string' && rawField.length > 0 ? rawField : undefined;
  const rawRetry = primary?.extensions?.retryAfter;
  const retryAfter = typeof rawRetry === 'number' && Number.isFinite(rawRetry) && rawRetry >= 0 ? Math.ceil(rawRetry) : undefined;
  return new ApiError(code, primary?.message, { field, errors, status, retryAfter });
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) return new ApiError('UNKNOWN', error.message);
  return new ApiError('UNKNOWN', String(error));
}

export function errorMessageKey(code: ErrorCode): MessageKey {
  return `error.${code}`;
}

/** "display_name" / "input.displayName" → "displayName". */
export function normalizeFieldName(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function fieldLabelKey(field: string): MessageKey | undefined {
  const key = `field.${normalizeFieldName(field)}`;
  return isMessageKey(key) ? key : undefined;
}

export interface DescribedError {
  code: ErrorCode;
  /** Translated, user-facing message chosen by the error code. */
  message: string;
  /** Normalized input field name (VALIDATION only). */
  field?: string;
  /** The server's own text, shown as a secondary detail where it helps (validation, conflict). */
  detail?: string;
}

/**
 * Turns any thrown value into a translated message by `extensions.code`.
 * `overrides` lets a screen say something more specific for a code
 * (e.g. UNAUTHENTICATED on the login form means "wrong email or password").
 */
export function describeError(
  error: unknown,
  t: Translate,
  overrides: Partial<Record<ErrorCode, MessageKey>> = {},
): DescribedError {
  const err = toApiError(error);
  const override = overrides[err.code];
  if (override) return { code: err.code, message: t(override) };

  if (err.code === 'VALIDATION') {
    const field = err.field ? normalizeFieldName(err.field) : undefined;
    const labelKey = err.field ? fieldLabelKey(err.field) : undefined;
    const message = field
      ? t('error.VALIDATION_FIELD', { field: labelKey ? t(labelKey) : field })
      : t('error.VALIDATION');
    return { code: err.code, message, field, detail: serverDetail(err) };
  }
  if (err.code === 'RATE_LIMITED' && err.retryAfter !== undefined) {
    return { code: err.code, message: t('error.RATE_LIMITED_RETRY', { seconds: Math.max(1, err.retryAfter) }) };
  }
  if (err.code === 'CONFLICT') {
    return { code: err.code, message: t('error.CONFLICT'), detail: serverDetail(err) };
  }
  if (err.code === 'UNAVAILABLE') {
    return { code: err.code, message: t('error.UNAVAILABLE'), detail: serverDetail(err) };
  }
  return { code: err.code, message: t(errorMessageKey(err.code)) };
}

function serverDetail(err: ApiError): string | undefined {
  let msg = err.message.trim();
  // The server may prefix the field ("newPassword: use at least 10 characters"); the UI names it already.
  if (err.field && msg.startsWith(`${err.field}:`)) msg = msg.slice(err.field.length + 1).trim();
  return msg && msg !== err.code ? msg : undefined;
}

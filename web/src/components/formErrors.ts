import { describeError, normalizeFieldName, toApiError } from '../api/errors';
import type { Translate } from '../i18n/translate';

/** The input a server error is about (`extensions.field`, normalised), for VALIDATION and CONFLICT. */
export function errorField(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const err = toApiError(error);
  if (err.code !== 'VALIDATION' && err.code !== 'CONFLICT') return undefined;
  return err.field ? normalizeFieldName(err.field) : undefined;
}

/**
 * A server error that names an input, as a message for under that input; undefined when the
 * error is about another field (or none). CONFLICT on a field means "already used".
 */
export function serverFieldError(error: unknown, field: string | readonly string[], t: Translate): string | undefined {
  const f = errorField(error);
  const fields = typeof field === 'string' ? [field] : field;
  if (!f || !fields.includes(f)) return undefined;
  const described = describeError(error, t);
  const message = described.code === 'CONFLICT' ? t('error.CONFLICT_FIELD') : described.message;
  return [message, described.detail ? t('error.details', { message: described.detail }) : ''].filter(Boolean).join(' ');
}

/** True when the error belongs under one of these inputs (so the form-level notice can be skipped). */
export function isFieldError(error: unknown, fields: readonly string[]): boolean {
  const f = errorField(error);
  return f !== undefined && fields.includes(f);
}

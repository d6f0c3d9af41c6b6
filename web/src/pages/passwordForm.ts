import { describeError, toApiError } from '../api/errors';
import type { Translate } from '../i18n/translate';

// The change-password form's rules, kept apart from the component so they are unit-tested.

export interface PasswordFormValues {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
}

export type PasswordField = keyof PasswordFormValues;

/** A translated message per input; an input without an entry is fine. */
export type PasswordFieldErrors = Partial<Record<PasswordField, string>>;

/** The server's minimum (see `ChangePasswordInput.newPassword` in the schema); checked here only to answer sooner. */
export const MIN_PASSWORD_LENGTH = 10;

export const EMPTY_PASSWORD_FORM: PasswordFormValues = { currentPassword: '', newPassword: '', repeatPassword: '' };

/** Checks that need no server: everything filled in, long enough, new ≠ current, new = repeat. */
export function validatePasswordForm(values: PasswordFormValues, t: Translate): PasswordFieldErrors {
  const errors: PasswordFieldErrors = {};
  if (values.currentPassword === '') errors.currentPassword = t('common.required');
  if (values.newPassword === '') {
    errors.newPassword = t('common.required');
  } else if ([...values.newPassword].length < MIN_PASSWORD_LENGTH) {
    errors.newPassword = t('profile.password.tooShort', { min: MIN_PASSWORD_LENGTH });
  } else if (values.currentPassword !== '' && values.newPassword === values.currentPassword) {
    errors.newPassword = t('profile.password.sameAsCurrent');
  }
  if (values.repeatPassword === '') {
    errors.repeatPassword = t('common.required');
  } else if (values.newPassword !== '' && values.repeatPassword !== values.newPassword) {
    errors.repeatPassword = t('error.passwordMismatch');
  }
  return errors;
}

export function hasErrors(errors: PasswordFieldErrors): boolean {
  return Object.values(errors).some(Boolean);
}

export interface PasswordServerErrors {
  /** Errors shown under the input they belong to. */
  fields: PasswordFieldErrors;
  /** Anything else (rate limit, network, …), shown above the button; undefined if all went to fields. */
  general?: string;
}

/**
 * Places a `changePassword` error: VALIDATION on `currentPassword` / `newPassword` goes under
 * that input (the new-password rule the server broke is quoted), RATE_LIMITED says how long to wait.
 */
export function passwordServerErrors(error: unknown, t: Translate): PasswordServerErrors {
  const err = toApiError(error);
  const described = describeError(err, t);
  if (err.code === 'VALIDATION' && described.field === 'currentPassword') {
    return { fields: { currentPassword: t('profile.password.wrongCurrent') } };
  }
  if (err.code === 'VALIDATION' && described.field === 'newPassword') {
    const message = described.detail
      ? t('profile.password.rejected', { reason: described.detail })
      : t('profile.password.rejectedGeneric');
    return { fields: { newPassword: message } };
  }
  if (err.code === 'RATE_LIMITED') {
    return {
      fields: {},
      general:
        err.retryAfter !== undefined
          ? t('profile.password.rateLimited', { seconds: Math.max(1, err.retryAfter) })
          : t('error.RATE_LIMITED'),
    };
  }
  return { fields: {}, general: described.detail ? `${described.message} ${t('error.details', { message: described.detail })}` : described.message };
}

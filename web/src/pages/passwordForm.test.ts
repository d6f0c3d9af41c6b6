import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromGraphQL } from '../api/errors';
import { makeTranslator } from '../i18n/translate';
import { hasErrors, MIN_PASSWORD_LENGTH, passwordServerErrors, validatePasswordForm } from './passwordForm';

const ru = makeTranslator('ru');
const en = makeTranslator('en');

const valid = { currentPassword: 'Old-Passw0rd!', newPassword: 'New-Passw0rd!x', repeatPassword: 'New-Passw0rd!x' };

describe('change-password form: client checks', () => {
  it('accepts a complete form with a matching repeat', () => {
    const errors = validatePasswordForm(valid, en);
    expect(errors).toEqual({});
    expect(hasErrors(errors)).toBe(false);
  });

  it('requires every field', () => {
    const errors = validatePasswordForm({ currentPassword: '', newPassword: '', repeatPassword: '' }, en);
    expect(errors).toEqual({
      currentPassword: 'Please fill in this field.',
      newPassword: 'Please fill in this field.',
      repeatPassword: 'Please fill in this field.',
    });
    expect(hasErrors(errors)).toBe(true);
  });

  it('puts a mismatch under the repeat input only', () => {
    const errors = validatePasswordForm({ ...valid, repeatPassword: 'New-Passw0rd!y' }, ru);
    expect(errors).toEqual({ repeatPassword: 'Пароли не совпадают.' });
  });

  it('compares exactly (case and spaces count)', () => {
    expect(validatePasswordForm({ ...valid, repeatPassword: 'new-passw0rd!x' }, en).repeatPassword).toBe('Passwords do not match.');
    expect(validatePasswordForm({ ...valid, repeatPassword: `${valid.newPassword} ` }, en).repeatPassword).toBe('Passwords do not match.');
  });

  it('rejects a too short new password, counting characters (not UTF-16 units)', () => {
    const short = 'a'.repeat(MIN_PASSWORD_LENGTH - 1);
    expect(validatePasswordForm({ ...valid, newPassword: short, repeatPassword: short }, en)).toEqual({
      newPassword: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
    });
    const emoji = '😀'.repeat(MIN_PASSWORD_LENGTH); // 10 characters, 20 UTF-16 units
    expect(validatePasswordForm({ ...valid, newPassword: emoji, repeatPassword: emoji }, en)).toEqual({});
    const shortEmoji = '😀'.repeat(MIN_PASSWORD_LENGTH - 1); // 18 units, still 9 characters
    expect(validatePasswordForm({ ...valid, newPassword: shortEmoji, repeatPassword: shortEmoji }, en).newPassword).toMatch(/at least/);
  });

  it('asks for a password different from the current one', () => {
    const same = { currentPassword: valid.newPassword, newPassword: valid.newPassword, repeatPassword: valid.newPassword };
    expect(validatePasswordForm(same, ru)).toEqual({ newPassword: 'Новый пароль должен отличаться от текущего.' });
  });

  it('reports a mismatch even when the new password itself is too short', () => {
    const errors = validatePasswordForm({ currentPassword: 'x', newPassword: 'short', repeatPassword: 'other' }, en);
    expect(Object.keys(errors).sort()).toEqual(['newPassword', 'repeatPassword']);
  });
});

describe('change-password form: server errors go under the right input', () => {
  it('wrong current password → under "current password"', () => {
    const err = apiErrorFromGraphQL([
      { message: 'the current password is wrong', extensions: { code: 'VALIDATION', field: 'currentPassword' } },
    ]);
    expect(passwordServerErrors(err, ru)).toEqual({ fields: { currentPassword: 'Текущий пароль указан неверно.' } });
  });

  it('weak new password → under "new password", quoting the server’s reason without its field prefix', () => {
    const prefixed = apiErrorFromGraphQL([
      { message: 'newPassword: use at least 10 characters', extensions: { code: 'VALIDATION', field: 'newPassword' } },
    ]);
    expect(passwordServerErrors(prefixed, ru)).toEqual({ fields: { newPassword: 'Пароль не подходит: use at least 10 characters' } });
    const err = apiErrorFromGraphQL([
      { message: 'this password is too easy to guess', extensions: { code: 'VALIDATION', field: 'newPassword' } },
    ]);
    expect(passwordServerErrors(err, en)).toEqual({
      fields: { newPassword: 'This password cannot be used: this password is too easy to guess' },
    });
    // also with the path-like field spelling
    const nested = new ApiError('VALIDATION', 'VALIDATION', { field: 'input.new_password' });
    expect(passwordServerErrors(nested, en)).toEqual({
      fields: { newPassword: 'This password cannot be used. Please choose another one.' },
    });
  });

  it('RATE_LIMITED → a general message with the wait', () => {
    const err = apiErrorFromGraphQL([
      { message: 'too many failed attempts; try again in 90 s', extensions: { code: 'RATE_LIMITED', retryAfter: 90 } },
    ]);
    expect(passwordServerErrors(err, ru)).toEqual({
      fields: {},
      general: 'Слишком много неверных попыток. Повторите через 90 с.',
    });
    expect(passwordServerErrors(new ApiError('RATE_LIMITED'), en)).toEqual({
      fields: {},
      general: 'Too many attempts. Please wait a moment and try again.',
    });
  });

  it('anything else → a general message by code', () => {
    expect(passwordServerErrors(new ApiError('NETWORK', 'Failed to fetch'), en)).toEqual({
      fields: {},
      general: 'Cannot reach the server. Check your connection.',
    });
    const other = apiErrorFromGraphQL([{ message: 'bad', extensions: { code: 'VALIDATION', field: 'somethingElse' } }]);
    expect(passwordServerErrors(other, en).fields).toEqual({});
    expect(passwordServerErrors(other, en).general).toMatch(/somethingElse/);
  });
});

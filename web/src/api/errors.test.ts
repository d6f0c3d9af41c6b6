import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../i18n/translate';
import { ApiError, apiErrorFromGraphQL, codeFromHttpStatus, describeError, errorMessageKey, normalizeFieldName, SERVER_ERROR_CODES } from './errors';

const ru = makeTranslator('ru');
const en = makeTranslator('en');

describe('error code → message', () => {
  it('maps every server code to its own translated message', () => {
    const ruMessages = SERVER_ERROR_CODES.map((code) => describeError(new ApiError(code), ru).message);
    const enMessages = SERVER_ERROR_CODES.map((code) => describeError(new ApiError(code), en).message);
    expect(new Set(ruMessages).size).toBe(SERVER_ERROR_CODES.length);
    expect(new Set(enMessages).size).toBe(SERVER_ERROR_CODES.length);
    expect(describeError(new ApiError('FORBIDDEN', 'forbidden: staff:manage'), ru).message).toBe(
      'Недостаточно прав для этого действия.',
    );
    expect(describeError(new ApiError('RATE_LIMITED'), en).message).toBe('Too many attempts. Please wait a moment and try again.');
    expect(describeError(new ApiError('INTERNAL', 'panic at db.rs:12'), en).message).toBe('Server error. Please try again later.');
    const unavailable = describeError(new ApiError('UNAVAILABLE', 'iikoCloud could not be reached to check the apiLogin (timed out); try again'), en);
    expect(unavailable.message).toBe('An outside service could not be reached. Try again in a minute.');
    expect(unavailable.detail).toContain('iikoCloud');
  });

  it('does not leak the raw server message as the main text', () => {
    const d = describeError(new ApiError('NOT_FOUND', 'row 42 missing in table x'), en);
    expect(d.message).toBe('Not found.');
    expect(d.detail).toBeUndefined();
  });

  it('names the offending field for VALIDATION', () => {
    const err = apiErrorFromGraphQL([{ message: 'password too short', extensions: { code: 'VALIDATION', field: 'password' } }]);
    const d = describeError(err, ru);
    expect(d.code).toBe('VALIDATION');
    expect(d.field).toBe('password');
    expect(d.message).toBe('Проверьте поле «Пароль».');
    expect(d.detail).toBe('password too short');
    expect(describeError(err, en).message).toBe('Please check the “Password” field.');
  });

  it('handles VALIDATION without a field and with an unknown or snake_case field', () => {
    expect(describeError(new ApiError('VALIDATION'), en).message).toBe('Please check the data you entered.');
    const snake = apiErrorFromGraphQL([{ message: 'x', extensions: { code: 'VALIDATION', field: 'display_name' } }]);
    expect(describeError(snake, en)).toMatchObject({ field: 'displayName', message: 'Please check the “Your name” field.' });
    const unknown = apiErrorFromGraphQL([{ message: 'x', extensions: { code: 'VALIDATION', field: 'loyaltyRate' } }]);
    expect(describeError(unknown, en).message).toBe('Please check the “loyaltyRate” field.');
    expect(normalizeFieldName('input.email')).toBe('email');
  });

  it('lets a screen override the message of a code', () => {
    const err = new ApiError('UNAUTHENTICATED', 'invalid credentials');
    expect(describeError(err, ru, { UNAUTHENTICATED: 'login.invalidCredentials' }).message).toBe('Неверный email или пароль.');
    expect(describeError(err, ru).message).toBe('Сессия истекла. Войдите снова.');
  });

  it('treats unknown codes, missing extensions and plain errors as UNKNOWN', () => {
    expect(apiErrorFromGraphQL([{ message: 'boom', extensions: { code: 'WHATEVER' } }]).code).toBe('UNKNOWN');
    expect(apiErrorFromGraphQL([{ message: 'boom' }]).code).toBe('UNKNOWN');
    expect(describeError(new Error('x'), en).message).toBe('Something went wrong. Please try again.');
    expect(describeError('weird', en).code).toBe('UNKNOWN');
    expect(describeError(new ApiError('NETWORK'), ru).message).toBe('Нет связи с сервером. Проверьте подключение.');
  });

  it('prefers UNAUTHENTICATED among several errors, else the first coded one', () => {
    const errors = [
      { message: 'a' },
      { message: 'b', extensions: { code: 'FORBIDDEN' } },
      { message: 'c', extensions: { code: 'UNAUTHENTICATED' } },
    ];
    expect(apiErrorFromGraphQL(errors).code).toBe('UNAUTHENTICATED');
    expect(apiErrorFromGraphQL(errors.slice(0, 2)).code).toBe('FORBIDDEN');
  });

  it('maps HTTP statuses when the body has no GraphQL errors', () => {
    expect(codeFromHttpStatus(401)).toBe('UNAUTHENTICATED');
    expect(codeFromHttpStatus(403)).toBe('FORBIDDEN');
    expect(codeFromHttpStatus(429)).toBe('RATE_LIMITED');
    expect(codeFromHttpStatus(502)).toBe('INTERNAL');
    expect(codeFromHttpStatus(418)).toBe('UNKNOWN');
    expect(errorMessageKey('CONFLICT')).toBe('error.CONFLICT');
  });
});

describe('RATE_LIMITED with retryAfter', () => {
  it('reads extensions.retryAfter and says how long to wait', () => {
    const err = apiErrorFromGraphQL([{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 30 } }]);
    expect(err.retryAfter).toBe(30);
    expect(describeError(err, ru).message).toBe('Слишком много попыток. Повторите через 30 с.');
    expect(describeError(err, en).message).toBe('Too many attempts. Try again in 30 s.');
  });

  it('ignores a missing or malformed retryAfter', () => {
    expect(apiErrorFromGraphQL([{ message: 'x', extensions: { code: 'RATE_LIMITED', retryAfter: '30' } }]).retryAfter).toBeUndefined();
    expect(apiErrorFromGraphQL([{ message: 'x', extensions: { code: 'RATE_LIMITED', retryAfter: -1 } }]).retryAfter).toBeUndefined();
    const plain = apiErrorFromGraphQL([{ message: 'x', extensions: { code: 'RATE_LIMITED' } }]);
    expect(plain.retryAfter).toBeUndefined();
    expect(describeError(plain, en).message).toBe('Too many attempts. Please wait a moment and try again.');
  });
});

describe('server detail', () => {
  it('drops a leading "<field>:" the server puts before the message', () => {
    const err = apiErrorFromGraphQL([
      { message: 'newPassword: the password must not contain your e-mail name', extensions: { code: 'VALIDATION', field: 'newPassword' } },
    ]);
    expect(describeError(err, en).detail).toBe('the password must not contain your e-mail name');
    const other = apiErrorFromGraphQL([{ message: 'email: taken', extensions: { code: 'VALIDATION', field: 'displayName' } }]);
    expect(describeError(other, en).detail).toBe('email: taken'); // only the own field's prefix
  });
});

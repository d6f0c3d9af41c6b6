import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { IdempotentAttempt } from '../../api/ids';
import {
  addRecent,
  checkFailure,
  classifyGuestQuery,
  EMPTY_REDEEM,
  levelChange,
  maskPhone,
  pickLocation,
  prefillRedeem,
  receiptRuleLine,
  validateRedeem,
} from './logic';
import { makeTranslator } from '../../i18n/translate';

describe('classifyGuestQuery', () => {
  it('recognises QR payloads, phone digits, card codes and names', () => {
    expect(classifyGuestQuery('ML1:00112233445566778899aabbccddeeff')).toBe('qr');
    expect(classifyGuestQuery('  ml1:abc ')).toBe('qr');
    expect(classifyGuestQuery('4567')).toBe('phone');
    expect(classifyGuestQuery('+7 (916) 123-45-67')).toBe('phone');
    expect(classifyGuestQuery('7KQM-X2WP')).toBe('card');
    expect(classifyGuestQuery('7kqmx2wp')).toBe('card');
    expect(classifyGuestQuery('7kqm x2wp')).toBe('card');
    expect(classifyGuestQuery('Ан')).toBe('name');
    expect(classifyGuestQuery('Anna')).toBe('name');
  });

  it('does not search with too little to go on', () => {
    expect(classifyGuestQuery('')).toBeNull();
    expect(classifyGuestQuery('   ')).toBeNull();
    expect(classifyGuestQuery('456')).toBeNull();
    expect(classifyGuestQuery('+7')).toBeNull();
    expect(classifyGuestQuery('A')).toBeNull();
    expect(classifyGuestQuery('1234567890123456')).toBeNull(); // longer than any phone
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhone('+79161234567')).toBe('+7 ••• •••-45-67');
    expect(maskPhone('+77011234567')).toBe('+7 ••• •••-45-67');
    expect(maskPhone('+4930123456')).toBe('+4 •••••-34-56');
    expect(maskPhone(null)).toBe('—');
  });
});

describe('points to redeem: prefill and limits', () => {
  it('is prefilled with the max redeemable and follows it until the cashier edits it', () => {
    let field = prefillRedeem(EMPTY_REDEEM, 300);
    expect(field).toEqual({ value: '300', touched: false });
    field = prefillRedeem(field, 150); // the total changed
    expect(field.value).toBe('150');
    field = prefillRedeem(field, null); // the total was cleared
    expect(field.value).toBe('');
    field = prefillRedeem(field, 0); // a guest without points: prefilled with 0
    expect(field.value).toBe('0');
  });

  it('keeps what the cashier typed (also 0) when the limit changes', () => {
    const typed = { value: '0', touched: true };
    expect(prefillRedeem(typed, 300)).toBe(typed);
    const more = { value: '250', touched: true };
    expect(prefillRedeem(more, 100)).toBe(more);
    // …and the new limit then rejects it
    expect(validateRedeem(more.value, { max: 100, available: 500 })).toEqual({ ok: false, error: 'exceedsMax' });
  });

  it('accepts 0 to the max; empty is 0', () => {
    const limits = { max: 300, available: 500 };
    expect(validateRedeem('300', limits)).toEqual({ ok: true, points: 300 });
    expect(validateRedeem('0', limits)).toEqual({ ok: true, points: 0 });
    expect(validateRedeem('', limits)).toEqual({ ok: true, points: 0 });
    expect(validateRedeem(' 1 00 ', limits)).toEqual({ ok: true, points: 100 });
  });

  it('refuses more than the check allows or the guest has, and non-numbers', () => {
    expect(validateRedeem('301', { max: 300, available: 500 })).toEqual({ ok: false, error: 'exceedsMax' });
    expect(validateRedeem('501', { max: 300, available: 500 })).toEqual({ ok: false, error: 'notEnough' });
    expect(validateRedeem('-1', { max: 300, available: 500 })).toEqual({ ok: false, error: 'negative' });
    expect(validateRedeem('1,5', { max: 300, available: 500 })).toEqual({ ok: false, error: 'invalid' });
    expect(validateRedeem('abc', { max: 300, available: 500 })).toEqual({ ok: false, error: 'invalid' });
  });
});

describe('externalId: one per check attempt, reused on retry', () => {
  it('retries a check that failed on the network with the same externalId, then starts a new one', async () => {
    let n = 0;
    const attempt = new IdempotentAttempt(() => `ext-${++n}`);
    const sent: string[] = [];
    const send = vi.fn(async (externalId: string) => {
      sent.push(externalId);
      if (sent.length === 1) throw new ApiError('NETWORK', 'Failed to fetch');
      return { checkId: 'c1', externalId };
    });

    await expect(attempt.run(send)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(checkFailure(new ApiError('NETWORK')).uncertain).toBe(true);
    const receipt = await attempt.run(send); // the cashier presses Enter again
    expect(sent).toEqual(['ext-1', 'ext-1']);
    expect(receipt.externalId).toBe('ext-1');

    // the next check gets a fresh id
    await attempt.run(send);
    expect(sent[2]).toBe('ext-2');
  });

  it('keeps the id after a refused check (nothing was stored) and renews it when the cashier starts over', async () => {
    let n = 0;
    const attempt = new IdempotentAttempt(() => `ext-${++n}`);
    const refuse = async () => {
      throw new ApiError('CONFLICT', 'not enough points: 10 available', { field: 'redeemPoints' });
    };
    await expect(attempt.run(refuse)).rejects.toBeInstanceOf(ApiError);
    expect(attempt.key).toBe('ext-1');
    attempt.renew(); // Esc: a new check
    expect(attempt.key).toBe('ext-2');
  });

  it('does not renew twice if the cashier started over while the request was in flight', async () => {
    let n = 0;
    const attempt = new IdempotentAttempt(() => `ext-${++n}`);
    await attempt.run(async (key) => {
      attempt.renew(); // Esc pressed meanwhile → ext-2
      return key;
    });
    expect(attempt.key).toBe('ext-2');
  });
});

describe('checkFailure', () => {
  it('maps server errors to the cashier’s inputs and messages', () => {
    expect(checkFailure(new ApiError('CONFLICT', 'not enough points', { field: 'redeemPoints' }))).toMatchObject({
      input: 'redeem',
      messageKey: 'cashier.error.notEnoughPoints',
      refreshLimits: true,
    });
    expect(checkFailure(new ApiError('VALIDATION', 'at most 300', { field: 'redeemPoints' }))).toMatchObject({
      input: 'redeem',
      messageKey: 'cashier.error.exceedsMax',
    });
    expect(checkFailure(new ApiError('VALIDATION', 'x', { field: 'input.totalMinor' }))).toMatchObject({ input: 'total' });
    expect(checkFailure(new ApiError('CONFLICT', 'x', { field: 'externalId' }))).toMatchObject({
      messageKey: 'cashier.error.differentCheck',
      uncertain: false,
    });
    expect(checkFailure(new ApiError('INTERNAL')).uncertain).toBe(true);
    expect(checkFailure(new ApiError('FORBIDDEN'))).toMatchObject({ input: null, messageKey: null, uncertain: false });
  });
});

describe('small helpers', () => {
  it('remembers the location only while it exists', () => {
    const locs = [{ id: 'a' }, { id: 'b' }];
    expect(pickLocation('b', locs)).toBe('b');
    expect(pickLocation('gone', locs)).toBe('a');
    expect(pickLocation(null, locs)).toBe('a');
    expect(pickLocation('a', [])).toBeNull();
  });

  it('reports a level change', () => {
    expect(levelChange({ id: '1', name: 'Bronze' }, { id: '2', name: 'Silver' })).toEqual({ from: 'Bronze', to: 'Silver' });
    expect(levelChange({ id: '1', name: 'Bronze' }, { id: '1', name: 'Bronze' })).toBeNull();
    expect(levelChange(null, { id: '1', name: 'Bronze' })).toEqual({ from: null, to: 'Bronze' });
    expect(levelChange(null, null)).toBeNull();
  });

  it('keeps recent checks newest first without duplicates', () => {
    let list = addRecent([], { checkId: 'a' });
    list = addRecent(list, { checkId: 'b' });
    list = addRecent(list, { checkId: 'a' }); // the same receipt again (a replay)
    expect(list.map((r) => r.checkId)).toEqual(['a', 'b']);
    for (let i = 0; i < 20; i++) list = addRecent(list, { checkId: `x${i}` }, 5);
    expect(list).toHaveLength(5);
  });
});

describe('receipt rule lines', () => {
  const ru = makeTranslator('ru');
  it('translates the level cashback and keeps the server text as detail', () => {
    const line = receiptRuleLine({ code: 'level_cashback', description: 'Bronze: 3.00 % cashback', points: 30, promotionId: null, status: 'GRANTED' }, ru);
    expect(line).toMatchObject({ text: 'Кешбэк уровня', detail: 'Bronze: 3.00 % cashback', points: 30, budgetExhausted: false });
  });

  it('shows a multiplier by its name and factor', () => {
    const line = receiptRuleLine({ code: 'promotion_multiplier', description: 'Двойные баллы: ×2', points: 30, promotionId: 'p', status: 'GRANTED' }, ru);
    expect(line).toMatchObject({ text: 'Двойные баллы: ×2', detail: null, points: 30, budgetExhausted: false });
  });

  it('marks a rule refused by the budget and drops the English suffix', () => {
    const line = receiptRuleLine(
      { code: 'promotion_multiplier', description: 'Двойные баллы: ×2 — budget exhausted', points: 0, promotionId: 'p', status: 'BUDGET_EXHAUSTED' },
      ru,
    );
    expect(line).toMatchObject({ text: 'Двойные баллы: ×2', budgetExhausted: true });
  });

  it('translates a referral bonus', () => {
    const line = receiptRuleLine({ code: 'promotion_referral', description: 'Приведи друга: referral bonus', points: 50, promotionId: 'p', status: 'GRANTED' }, ru);
    expect(line.text).toBe('Приведи друга: бонус за приглашение');
    expect(receiptRuleLine({ code: 'something_new', description: '', points: 1, promotionId: null, status: 'GRANTED' }, ru).text).toBe('something_new');
  });
});

// Browser end-to-end test of the guest's Telegram Mini App (/app) against the REAL server binary.
//
//   MAXLOYALTY_BIN=/path/to/maxloyalty npm run e2e      (after `npm run build`)
//
// An owner signs up (GraphQL), sets the business's bot token, and a Telegram-signed initData is
// built here exactly like Telegram does. Context B (a 390×844 phone) opens the Mini App; context A
// (the owner on the cashier screen) processes a 1000 ₽ check for that guest; B shows "+30 баллов"
// and the new balance without a reload. Screenshots: web/test-results/miniapp-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  RESULTS_DIR,
  byTestId,
  createServer,
  expectVisible,
  launchBrowser,
  newPage,
  screenshotter,
  signInitData,
  text,
  waitForText,
} from './harness.mjs';

const run = Date.now().toString(36);
const OWNER = {
  businessName: `E2E Mini App ${run}`,
  locationName: 'Невский, 5',
  displayName: 'Ольга Владелец',
  email: `miniapp-owner-${run}@e2e.example.com`,
  password: 'Owner-Passw0rd!e2e',
};
// A bot token of Telegram's shape: <bot id>:<35 characters>.
const BOT_TOKEN = `1234567890:AA${'x7Kq9ZbT3mWv5NcR1pLd8HsF2jGy4Qe6Ua0'.slice(0, 33)}`;
const TG_USER = { id: 700000000 + Math.floor(Math.random() * 1e6), first_name: 'Анна', last_name: 'Гостева', username: 'anna_guest', language_code: 'ru' };
const THEME = {
  bg_color: '#ffffff',
  text_color: '#222222',
  hint_color: '#8a8f98',
  button_color: '#3390ec',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f2f3f7',
};

/** A calendar day in the business's time (UTC+3, the default) `days` from today: `YYYY-MM-DD`. */
function businessDay(days) {
  return new Date(Date.now() + 3 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

const BOT_USERNAME = 'maxloyalty_e2e_bot';

function launchHash(initData, theme) {
  return `#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=android&tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(theme))}`;
}

const server = createServer();
const shot = screenshotter('miniapp');
let browser;

before(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // only this file's previous screenshots (the panel test's stay)
  for (const f of readdirSync(RESULTS_DIR)) if (f.startsWith('miniapp-')) rmSync(join(RESULTS_DIR, f), { force: true });
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  try {
    await browser?.close();
  } catch {
    // ignore
  }
  await server.stop(join(RESULTS_DIR, 'miniapp-server.log'));
});

test('a guest opens the Mini App, a check is processed at the till, the points arrive live', { timeout: 10 * 60_000 }, async (t) => {
  let pageA;
  let pageB;
  let tenantId;
  let cardCode;
  const passed = new Set();
  let previous = null;
  const step = (name, fn) => {
    const id = name.split('.')[0];
    const needs = previous ? [previous] : [];
    previous = id;
    const missing = needs.filter((n) => !passed.has(n));
    return t.test(name, { skip: missing.length ? `needs step ${missing.join(', ')}` : false }, async () => {
      try {
        await fn();
        passed.add(id);
      } catch (err) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 50);
        await shot(pageA, `FAILED-${slug}-A`);
        await shot(pageB, `FAILED-${slug}-B`);
        throw err;
      }
    });
  };

  await step('1. the owner signs up and sets the business bot token (GraphQL)', async () => {
    const data = await server.gql(
      `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken me { tenant { id } } } }`,
      { input: { ...OWNER, currency: 'RUB', locale: 'RU' } },
    );
    tenantId = data.signUp.me.tenant.id;
    const ownerToken = data.signUp.accessToken;
    const bot = await server.gql(`mutation($token: String!) { setTelegramBot(token: $token) { botId } }`, { token: BOT_TOKEN }, ownerToken);
    assert.equal(bot.setTelegramBot.botId, '1234567890');
    // Promotions the guest will see (none of them changes the first check's +30: the multiplier starts next week).
    const create = `mutation($input: PromotionInput!) { createPromotion(input: $input) { id kind } }`;
    await server.gql(create, { input: { name: 'Бонус на день рождения', rule: { birthday: { points: 300, daysBefore: 3, daysAfter: 3 } } } }, ownerToken);
    await server.gql(create, { input: { name: 'Приведи друга', rule: { referral: { referrerPoints: 100, refereePoints: 50 } } } }, ownerToken);
    await server.gql(
      create,
      { input: { name: 'Двойные выходные', startsOn: businessDay(7), rule: { multiplier: { factorPercent: 200, weekdays: ['SAT', 'SUN'] } } } },
      ownerToken,
    );
  });

  await step('2. context B (phone): the Mini App signs in with Telegram initData and shows balance 0, the card code and the QR', async () => {
    const initData = signInitData(
      { query_id: `AAH${run}`, user: JSON.stringify(TG_USER), auth_date: String(Math.floor(Date.now() / 1000)) },
      BOT_TOKEN,
    );
    pageB = await newPage(browser, 'B', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await pageB.goto(`${server.baseUrl}/app?tenant=${tenantId}${launchHash(initData, THEME)}`);
    await expectVisible(pageB, 'miniapp-card');
    assert.equal(await pageB.evaluate(() => document.documentElement.lang), 'ru', 'language_code "ru" → Russian');
    assert.equal(await text(pageB, 'miniapp-balance'), '0');
    cardCode = await text(pageB, 'miniapp-card-code');
    assert.match(cardCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'the card code XXXX-XXXX under the QR');
    await pageB.locator('[data-testid="miniapp-qr"][data-ready="true"] svg').waitFor();
    await expectVisible(pageB, 'miniapp-level-name');
    await expectVisible(pageB, 'miniapp-history-empty');
    await expectVisible(pageB, 'miniapp-promotions');
    // The promotions: a birthday bonus asking for the birthday, the referral with the card code to share, the announced multiplier.
    const promo = (kind) => pageB.locator(`[data-testid="miniapp-promotion"][data-kind="${kind}"]`);
    await promo('BIRTHDAY').waitFor();
    assert.equal(await byTestId(pageB, 'miniapp-promotion').count(), 3);
    assert.equal(await promo('BIRTHDAY').getByTestId('miniapp-promotion-text').textContent(), '+300 баллов на день рождения.');
    await promo('BIRTHDAY').getByTestId('miniapp-promotion-set-birthday').waitFor();
    assert.match(await promo('REFERRAL').getByTestId('miniapp-promotion-text').textContent(), /^Пригласите друга: \+50 баллов ему и \+100 баллов вам/);
    assert.equal(await promo('REFERRAL').getByTestId('miniapp-share').getAttribute('data-kind'), 'code', 'no bot username in the link: the card code');
    assert.equal((await promo('REFERRAL').getByTestId('miniapp-share-value').textContent()).trim(), cardCode);
    assert.equal(await promo('MULTIPLIER').getByTestId('miniapp-promotion-text').textContent(), 'Больше баллов за покупки: ×2 Сб, Вс.');
    assert.match(await promo('MULTIPLIER').getByTestId('miniapp-promotion-note').first().textContent(), /^Начнётся /);
    // Copy the card code.
    await pageB.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    await promo('REFERRAL').getByTestId('miniapp-share-copy').click();
    await waitForText(pageB, 'miniapp-share-copy', (s) => s === 'Скопировано', 'the copy confirmation');
    assert.equal(await pageB.evaluate(() => navigator.clipboard.readText()), cardCode);
    // "Add my birthday" moves to the profile's birthday input.
    await promo('BIRTHDAY').getByTestId('miniapp-promotion-set-birthday').click();
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'miniapp-birthday');
    await shot(pageB, 'B-promotions');
    // the theme colours became CSS variables
    const button = await pageB.evaluate(() => getComputedStyle(document.querySelector('[data-testid="miniapp"]')).getPropertyValue('--tg-button').trim());
    assert.equal(button, THEME.button_color);
    // live: the subscription is connected before the check is processed
    await pageB.locator('[data-testid="miniapp-live"][data-live="true"]').waitFor();
    // a marker that would vanish on a reload
    await pageB.evaluate(() => {
      window.__noReload = true;
    });
    await shot(pageB, 'B-card-balance-0');
  });

  await step('3. context A: the owner finds the guest by card code on the cashier screen and processes a 1000 ₽ check', async () => {
    pageA = await newPage(browser, 'A');
    await pageA.goto(`${server.baseUrl}/login`);
    await expectVisible(pageA, 'login-page');
    await byTestId(pageA, 'login-email').fill(OWNER.email);
    await byTestId(pageA, 'login-password').fill(OWNER.password);
    await byTestId(pageA, 'login-submit').click();
    await expectVisible(pageA, 'home-page');
    await pageA.goto(`${server.baseUrl}/cashier`);
    await expectVisible(pageA, 'cashier-page');
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-query');
    await pageA.keyboard.type(cardCode);
    await pageA.locator('[data-testid="cashier-result"][aria-selected="true"]').waitFor();
    assert.equal(await byTestId(pageA, 'cashier-result').count(), 1);
    await shot(pageA, 'A-cashier-found-by-card-code');
    await pageA.keyboard.press('Enter');
    await expectVisible(pageA, 'cashier-guest');
    await waitForText(pageA, 'cashier-guest-available', (s) => s === '0', 'the guest with 0 points');
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-total');
    await pageA.keyboard.type('1000');
    await pageA.locator('[data-testid="cashier-max"][data-for-total="100000"]').waitFor();
    await pageA.keyboard.press('Enter'); // total → points
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-redeem');
    await pageA.keyboard.press('Enter'); // confirm
    await expectVisible(pageA, 'cashier-receipt');
    assert.equal(Number(await byTestId(pageA, 'cashier-receipt-earned').getAttribute('data-value')), 30, '3 % of 1000 ₽');
    assert.equal(Number(await byTestId(pageA, 'cashier-receipt-balance').getAttribute('data-value')), 30);
    await shot(pageA, 'A-cashier-receipt');
  });

  await step('4. context B: the toast "+30 баллов" and the new balance 30 arrive without a reload', async () => {
    await expectVisible(pageB, 'miniapp-toast');
    assert.equal(await text(pageB, 'miniapp-toast'), '+30 баллов');
    await waitForText(pageB, 'miniapp-balance', (s) => s === '30', 'the live balance 30');
    await shot(pageB, 'B-toast-and-balance-30');
    assert.equal(await pageB.evaluate(() => window.__noReload === true), true, 'the page was not reloaded');
    // the history shows the accrual, newest first
    await waitForText(pageB, 'miniapp-history-item', (s) => s.includes('Начисление') && s.includes('+30'), 'the accrual in the history');
  });

  await step('5. context B: the guest saves their profile (birthday, consent); a future birthday is refused under the field', async () => {
    await byTestId(pageB, 'miniapp-name').fill('Анна');
    await byTestId(pageB, 'miniapp-birthday').fill('2999-01-01');
    await byTestId(pageB, 'miniapp-save').click();
    await expectVisible(pageB, 'miniapp-birthday-error');
    await byTestId(pageB, 'miniapp-birthday').fill('1990-05-17');
    await byTestId(pageB, 'miniapp-consent').check();
    await byTestId(pageB, 'miniapp-save').click();
    await expectVisible(pageB, 'miniapp-profile-saved');
    assert.equal(await byTestId(pageB, 'miniapp-birthday-error').count(), 0);
    await shot(pageB, 'B-profile-saved');
    // With a birthday the card shows this guest's window (17 May ± 3 days) instead of the prompt.
    const birthday = pageB.locator('[data-testid="miniapp-promotion"][data-kind="BIRTHDAY"]');
    await birthday.getByTestId('miniapp-promotion-set-birthday').waitFor({ state: 'detached' });
    assert.equal(await birthday.getByTestId('miniapp-promotion-note').first().textContent(), 'Бонус действует с 14 мая по 20 мая.');
    await shot(pageB, 'B-promotions-birthday-window');
  });

  await step('6. a tampered initData shows a clear error screen', async () => {
    const good = signInitData(
      { query_id: `AAH${run}x`, user: JSON.stringify(TG_USER), auth_date: String(Math.floor(Date.now() / 1000)) },
      BOT_TOKEN,
    );
    // someone edits the user id after Telegram signed it
    const tampered = good.replace(encodeURIComponent(`"id":${TG_USER.id}`), encodeURIComponent(`"id":${TG_USER.id + 1}`));
    assert.notEqual(tampered, good);
    const page = await newPage(browser, 'C', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${server.baseUrl}/app?tenant=${tenantId}${launchHash(tampered, THEME)}`);
      await expectVisible(page, 'miniapp-error');
      assert.equal(await byTestId(page, 'miniapp-error').getAttribute('data-code'), 'UNAUTHENTICATED');
      assert.match(await text(page, 'miniapp-error-message'), /Telegram/);
      assert.equal(await byTestId(page, 'miniapp-card').count(), 0);
      await shot(page, 'C-tampered-init-data');
    } finally {
      await page.context().close();
    }
  });

  await step('7. with the bot named in the link, the referral card offers the invitation link', async () => {
    const initData = signInitData(
      { query_id: `AAH${run}d`, user: JSON.stringify(TG_USER), auth_date: String(Math.floor(Date.now() / 1000)) },
      BOT_TOKEN,
    );
    const page = await newPage(browser, 'D', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${server.baseUrl}/app?tenant=${tenantId}&bot=${BOT_USERNAME}${launchHash(initData, THEME)}`);
      const referral = page.locator('[data-testid="miniapp-promotion"][data-kind="REFERRAL"]');
      await referral.waitFor();
      assert.equal(await referral.getByTestId('miniapp-share').getAttribute('data-kind'), 'link');
      assert.equal(
        (await referral.getByTestId('miniapp-share-value').textContent()).trim(),
        `https://t.me/${BOT_USERNAME}?startapp=ref_${cardCode.replace('-', '')}`,
      );
      await shot(page, 'D-referral-link');
    } finally {
      await page.context().close();
    }
  });

  await step('8. an English-speaking guest sees the Mini App in English, and their notifications are recorded to be written in English', async () => {
    const user = { id: TG_USER.id + 1, first_name: 'Emma', username: 'emma_guest', language_code: 'en' };
    const initData = signInitData({ query_id: `AAH${run}e`, user: JSON.stringify(user), auth_date: String(Math.floor(Date.now() / 1000)) }, BOT_TOKEN);
    const page = await newPage(browser, 'E', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${server.baseUrl}/app?tenant=${tenantId}${launchHash(initData, THEME)}`);
      await expectVisible(page, 'miniapp-card');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'language_code "en" → English');
      // The same guest, signed in over GraphQL: the language the app recorded.
      const { guestSignIn } = await server.gql(
        'mutation($t: ID!, $d: String!) { guestSignIn(tenantId: $t, initData: $d) { token } }',
        { t: tenantId, d: initData },
      );
      const deadline = Date.now() + 15_000;
      let language = null;
      while (Date.now() < deadline) {
        ({ myNotificationLanguage: language } = await server.gql('{ myNotificationLanguage }', {}, guestSignIn.token));
        if (language === 'EN') break;
        await page.waitForTimeout(200);
      }
      assert.equal(language, 'EN');
      await shot(page, 'E-english-guest');
    } finally {
      await page.context().close();
    }
  });
});

// Browser end-to-end test of live updates and notifications against the REAL server binary.
//
//   MAXLOYALTY_BIN=/path/to/maxloyalty npm run e2e      (after `npm run build`)
//
// An owner signs up (GraphQL), sets the bot token and adds a level with a low threshold. Context G
// (a phone) opens the guest's Mini App with Telegram-signed initData; context A is the owner in the
// panel with two tabs: the cashier screen and the guest's card. The owner processes a check at the
// till → the Mini App shows "+N баллов", the new balance and the new level without a reload, the
// guest card follows live, and (the server's job worker creates notifications within seconds) the
// owner's bell shows the unread GUEST_LEVEL_UP notification, the Mini App lists the guest's own.
// Then the Mini App loses its connection (the websocket is cut and kept down by the test), points
// are added meanwhile, and after the reconnection the card is re-read: toast and balance again.
// Screenshots: web/test-results/realtime-*.png.
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

/** The server's job worker turns events into notifications "within a few seconds". */
const NOTIFICATION_TIMEOUT = 30_000;

const run = Date.now().toString(36);
const OWNER = {
  businessName: `E2E Live ${run}`,
  locationName: 'Литейный, 7',
  displayName: 'Ольга Владелец',
  email: `live-owner-${run}@e2e.example.com`,
  password: 'Owner-Passw0rd!e2e',
};
const BOT_TOKEN = `1234567891:AA${'q8Wm2ZbT3mWv5NcR1pLd8HsF2jGy4Qe6Ua0'.slice(0, 33)}`;
const TG_USER = { id: 710000000 + Math.floor(Math.random() * 1e6), first_name: 'Борис', last_name: 'Гостев', username: 'boris_guest', language_code: 'ru' };
const LEVEL = { name: 'Старт', thresholdMinor: 50_000, cashbackBp: 500, maxRedeemBp: 3000 };


const server = createServer();
const shot = screenshotter('realtime');
let browser;

before(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of readdirSync(RESULTS_DIR)) if (f.startsWith('realtime-')) rmSync(join(RESULTS_DIR, f), { force: true });
  await server.start();
  browser = await launchBrowser();
});

after(async () => {
  try {
    await browser?.close();
  } catch {
    // ignore
  }
  await server.stop(join(RESULTS_DIR, 'realtime-server.log'));
});

/** "+30 баллов", "+21 балл", "+3 балла". */
function pointsRu(n) {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'балл' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'балла' : 'баллов';
  return `+${n} ${word}`;
}

test('a check at the till reaches the Mini App live, the owner is notified, a dropped connection catches up', { timeout: 10 * 60_000 }, async (t) => {
  let pageG; // the guest's Mini App (phone)
  let pageA; // the owner's cashier screen
  let pageA2; // the owner's second tab: the guest's card
  let ownerToken;
  let tenantId;
  let cardCode;
  let guestId;
  let receipt;
  let wsBlocked = false;
  const guestSockets = [];
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
        await shot(pageG, `FAILED-${slug}-G`);
        await shot(pageA, `FAILED-${slug}-A`);
        await shot(pageA2, `FAILED-${slug}-A2`);
        throw err;
      }
    });
  };

  await step('1. the owner signs up, sets the bot token and adds a level from 500 ₽ (GraphQL)', async () => {
    const data = await server.gql(
      `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken me { tenant { id } } } }`,
      { input: { ...OWNER, currency: 'RUB', locale: 'RU' } },
    );
    tenantId = data.signUp.me.tenant.id;
    ownerToken = data.signUp.accessToken;
    await server.gql(`mutation($token: String!) { setTelegramBot(token: $token) { botId } }`, { token: BOT_TOKEN }, ownerToken);
    await server.gql(`mutation($input: LevelInput!) { createLevel(input: $input) { id } }`, { input: LEVEL }, ownerToken);
  });

  await step('2. context G (phone): the Mini App signs in, shows balance 0, is live, has no notifications and three channels', async () => {
    const initData = signInitData({ query_id: `AAL${run}`, user: JSON.stringify(TG_USER), auth_date: String(Math.floor(Date.now() / 1000)) }, BOT_TOKEN);
    pageG = await newPage(browser, 'G', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    // The guest's websocket goes through the test: it can cut it and keep it down (step 7).
    await pageG.routeWebSocket(/\/graphql\/ws$/, (ws) => {
      if (wsBlocked) {
        ws.close({ code: 1012, reason: 'test: server restarting' });
        return;
      }
      ws.connectToServer();
      guestSockets.push(ws);
    });
    // Every toast the Mini App shows, in order (they go away after a few seconds).
    await pageG.addInitScript(() => {
      window.__toasts = [];
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) {
            if (!(node instanceof HTMLElement)) continue;
            for (const el of [node, ...node.querySelectorAll('[data-testid]')]) {
              const id = el.getAttribute('data-testid');
              if (id === 'miniapp-toast' || id === 'miniapp-notification-toast') {
                window.__toasts.push({ id, kind: el.getAttribute('data-kind'), text: el.textContent });
              }
            }
          }
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await pageG.goto(
      `${server.baseUrl}/app?tenant=${tenantId}#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=android`,
    );
    await expectVisible(pageG, 'miniapp-card');
    assert.equal(await text(pageG, 'miniapp-balance'), '0');
    cardCode = await text(pageG, 'miniapp-card-code');
    await pageG.locator('[data-testid="miniapp-live"][data-live="true"]').waitFor();
    await expectVisible(pageG, 'miniapp-notifications-empty');
    for (const c of ['inApp', 'email', 'telegram']) await expectVisible(pageG, `miniapp-pref-${c}`);
    // Telegram off and on again: saved on the server each time.
    await byTestId(pageG, 'miniapp-pref-telegram').uncheck();
    await expectVisible(pageG, 'miniapp-prefs-saved');
    await byTestId(pageG, 'miniapp-pref-telegram').check();
    await expectVisible(pageG, 'miniapp-prefs-saved');
    assert.equal(await byTestId(pageG, 'miniapp-pref-telegram').isChecked(), true);
    // E-mail is on by default but needs consent: the note says so.
    await expectVisible(pageG, 'miniapp-pref-email-blocked');
    await pageG.evaluate(() => {
      window.__noReload = true;
    });
    const found = await server.gql(`query($q: String) { guests(query: $q, first: 1) { nodes { id } } }`, { q: cardCode }, ownerToken);
    guestId = found.guests.nodes[0].id;
    await shot(pageG, 'G-card-live');
  });

  await step('3. context A: the owner logs in; the bell shows nothing unread; tab 2 opens the guest card, live', async () => {
    pageA = await newPage(browser, 'A');
    await pageA.goto(`${server.baseUrl}/login`);
    await byTestId(pageA, 'login-email').fill(OWNER.email);
    await byTestId(pageA, 'login-password').fill(OWNER.password);
    await byTestId(pageA, 'login-submit').click();
    await expectVisible(pageA, 'home-page');
    await expectVisible(pageA, 'notification-bell');
    assert.equal(await byTestId(pageA, 'notification-bell').getAttribute('data-unread'), '0');
    assert.equal(await byTestId(pageA, 'notification-bell-count').count(), 0);
    await pageA.locator('[data-testid="home-live"][data-status="live"]').waitFor();
    assert.equal(await byTestId(pageA, 'home-unread').getAttribute('data-value'), '0');
    await shot(pageA, 'A-home');

    pageA2 = await pageA.context().newPage();
    await pageA2.goto(`${server.baseUrl}/guests/${guestId}`);
    await expectVisible(pageA2, 'guest-points');
    assert.equal(await byTestId(pageA2, 'guest-balance').getAttribute('data-value'), '0');
    await pageA2.locator('[data-testid="guest-live"][data-status="live"]').waitFor();
    await pageA2.evaluate(() => {
      window.__noReload = true;
    });
  });

  await step('4. context A: the owner processes a 1000 ₽ check for the guest on the cashier screen', async () => {
    await pageA.goto(`${server.baseUrl}/cashier`);
    await expectVisible(pageA, 'cashier-page');
    await pageA.locator('[data-testid="cashier-live"][data-status="live"]').waitFor();
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-query');
    await pageA.keyboard.type(cardCode);
    await pageA.locator('[data-testid="cashier-result"][aria-selected="true"]').waitFor();
    await pageA.keyboard.press('Enter');
    await waitForText(pageA, 'cashier-guest-available', (s) => s === '0', 'the guest with 0 points');
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-total');
    await pageA.keyboard.type('1000');
    await pageA.locator('[data-testid="cashier-max"][data-for-total="100000"]').waitFor();
    await pageA.keyboard.press('Enter');
    await pageA.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-redeem');
    await pageA.keyboard.press('Enter');
    await expectVisible(pageA, 'cashier-receipt');
    receipt = {
      earned: Number(await byTestId(pageA, 'cashier-receipt-earned').getAttribute('data-value')),
      balance: Number(await byTestId(pageA, 'cashier-receipt-balance').getAttribute('data-value')),
    };
    assert.ok(receipt.earned > 0, 'points were earned');
    await expectVisible(pageA, 'cashier-receipt-level-up');
    await shot(pageA, 'A-receipt-level-up');
  });

  await step('5. context G: the toast "+N баллов", the new balance and the new level arrive without a reload', async () => {
    await expectVisible(pageG, 'miniapp-toast');
    assert.equal(await text(pageG, 'miniapp-toast'), pointsRu(receipt.earned));
    await waitForText(pageG, 'miniapp-balance', (s) => s === String(receipt.balance), `the live balance ${receipt.balance}`);
    await waitForText(pageG, 'miniapp-level-name', (s) => s === LEVEL.name, 'the new level');
    await shot(pageG, 'G-toast-balance-level');
    assert.equal(await pageG.evaluate(() => window.__noReload === true), true, 'the Mini App was not reloaded');
  });

  await step('6. tab 2: the guest card shows the new balance and level live', async () => {
    await pageA2.locator(`[data-testid="guest-balance"][data-value="${receipt.balance}"]`).waitFor();
    await waitForText(pageA2, 'guest-level', (s) => s === LEVEL.name, 'the new level on the guest card');
    await pageA2.locator('[data-testid="ledger-row"][data-kind="ACCRUAL"]').first().waitFor();
    assert.equal(await pageA2.evaluate(() => window.__noReload === true), true, 'the guest card was not reloaded');
    await shot(pageA2, 'A2-guest-card-live');
  });

  await step('7. context A: the bell counts the GUEST_LEVEL_UP notification (toast too); the dropdown lists it; "mark all read"', async () => {
    await pageA.locator('[data-testid="notification-bell-count"]').waitFor({ timeout: NOTIFICATION_TIMEOUT });
    assert.equal(await text(pageA, 'notification-bell-count'), '1');
    await pageA.locator('[data-testid="notification-toast"][data-kind="GUEST_LEVEL_UP"]').waitFor();
    await shot(pageA, 'A-bell-and-toast');
    await byTestId(pageA, 'notification-bell').click();
    await expectVisible(pageA, 'notification-dropdown');
    const item = pageA.locator('[data-testid="notification-dropdown"] [data-testid="notification-item"][data-kind="GUEST_LEVEL_UP"]');
    await item.waitFor();
    assert.equal(await item.getAttribute('data-unread'), 'true');
    assert.ok(((await item.getByTestId('notification-title').textContent()) ?? '').trim().length > 0, 'the server-rendered title');
    await shot(pageA, 'A-bell-dropdown');
    await byTestId(pageA, 'notification-mark-all').click();
    await byTestId(pageA, 'notification-bell-count').waitFor({ state: 'detached' });
    assert.equal(await item.getAttribute('data-unread'), 'false');
    assert.equal(await byTestId(pageA, 'notification-bell').getAttribute('data-unread'), '0');
    // it leads to the guest's card
    await item.locator('.notification-main').click();
    await pageA.waitForURL(`**/guests/${guestId}`);
    await expectVisible(pageA, 'guest-points');
    // the notification centre lists it; "unread only" is empty now
    await byTestId(pageA, 'notification-bell').click();
    await byTestId(pageA, 'notification-all').click();
    await expectVisible(pageA, 'notifications-page');
    await pageA.locator('[data-testid="notifications-list"] [data-testid="notification-item"][data-kind="GUEST_LEVEL_UP"]').waitFor();
    await byTestId(pageA, 'notifications-unread-only').check();
    await expectVisible(pageA, 'notifications-empty');
    await shot(pageA, 'A-notification-centre');
  });

  await step('8. context G: the guest\'s own notifications are listed (new level, points)', async () => {
    const levelChanged = pageG.locator('[data-testid="miniapp-notification"][data-kind="LEVEL_CHANGED"]');
    await levelChanged.waitFor({ timeout: NOTIFICATION_TIMEOUT });
    assert.equal(await levelChanged.getAttribute('data-unread'), 'true');
    await expectVisible(pageG, 'miniapp-notifications-unread');
    await shot(pageG, 'G-notifications');
    await byTestId(pageG, 'miniapp-notifications-mark-all').click();
    await byTestId(pageG, 'miniapp-notifications-unread').waitFor({ state: 'detached' });
    assert.equal(await levelChanged.getAttribute('data-unread'), 'false');
    // Toasts so far: "+N баллов" from the balance, then the new level; the POINTS_EARNED
    // notification said the same as the balance toast, so it got none of its own.
    const toasts = await pageG.evaluate(() => window.__toasts);
    assert.deepEqual(toasts[0], { id: 'miniapp-toast', kind: null, text: pointsRu(receipt.earned) });
    assert.ok(toasts.some((x) => x.id === 'miniapp-notification-toast' && x.kind === 'LEVEL_CHANGED'), JSON.stringify(toasts));
    assert.ok(!toasts.some((x) => x.kind === 'POINTS_EARNED'), JSON.stringify(toasts));
  });

  await step('9. context G: the connection drops; points added meanwhile show up after the reconnection', async () => {
    const before = Number(await byTestId(pageG, 'miniapp-balance').getAttribute('data-value'));
    // Wait out the previous toast so the next one is the reconnection's.
    await byTestId(pageG, 'miniapp-toast').waitFor({ state: 'detached' });
    wsBlocked = true;
    for (const ws of guestSockets.splice(0)) await ws.close({ code: 1012, reason: 'test: connection lost' });
    await pageG.locator('[data-testid="miniapp-live"][data-live="false"]').waitFor();
    await shot(pageG, 'G-reconnecting');
    await server.gql(
      `mutation($guestId: ID!, $points: Int!, $reason: String!) { adjustPoints(guestId: $guestId, points: $points, reason: $reason) { balance } }`,
      { guestId, points: 100, reason: 'e2e: while offline' },
      ownerToken,
    );
    // Nothing arrives while the socket is down.
    await pageG.waitForTimeout(1500);
    assert.equal(Number(await byTestId(pageG, 'miniapp-balance').getAttribute('data-value')), before);
    wsBlocked = false;
    await pageG.locator('[data-testid="miniapp-live"][data-live="true"]').waitFor();
    await pageG.locator(`[data-testid="miniapp-balance"][data-value="${before + 100}"]`).waitFor();
    assert.equal(await text(pageG, 'miniapp-toast'), '+100 баллов');
    assert.equal(await pageG.evaluate(() => window.__noReload === true), true, 'caught up without a reload');
    await shot(pageG, 'G-caught-up');
  });
});

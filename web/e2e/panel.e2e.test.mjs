// Browser end-to-end test of the web panel against the REAL server binary.
//
//   MAXLOYALTY_BIN=/path/to/maxloyalty npm run e2e      (after `npm run build`)
//
// The test starts the server itself (fresh SQLite database in a temp dir, random port,
// web/dist as the static root), drives Debian's chromium through playwright-core and
// kills the server at the end, also when a step fails. Screenshots and the server log
// go to web/test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const WEB_DIR = resolve(HERE, '..');
const DIST_DIR = join(WEB_DIR, 'dist');
const RESULTS_DIR = join(WEB_DIR, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// The machine is slow: be generous, but always wait for a condition, never for a fixed time.
const SERVER_START_TIMEOUT = 180_000;
const UI_TIMEOUT = 45_000;
const NAV_TIMEOUT = 90_000;
const MAIL_TIMEOUT = 60_000;

const ACCEPT_LINK_RE = /accept-invitation\?token=([A-Za-z0-9_\-]+)/;
const LISTENING_RE = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const REFRESH_TOKEN_KEY = 'maxloyalty.refreshToken';

const run = Date.now().toString(36);
const OWNER = {
  businessName: `E2E Кофейня ${run}`,
  locationName: 'Тверская, 1',
  displayName: 'Ольга Владелец',
  email: `owner-${run}@e2e.example.com`,
  password: 'Owner-Passw0rd!e2e',
};
const CASHIER = {
  displayName: 'Иван Кассир',
  email: `cashier-${run}@e2e.example.com`,
  password: 'Cashier-Passw0rd!e2e',
  // set on the profile page
  newDisplayName: 'Ivan Cashier',
  newPassword: 'Cashier-NewPassw0rd!e2e',
};
// The owner of a second business, invited into the first one with the same account.
const OWNER2 = {
  businessName: `E2E Пекарня ${run}`,
  locationName: 'Арбат, 10',
  displayName: 'Пётр Пекарь',
  email: `baker-${run}@e2e.example.com`,
  password: 'Baker-Passw0rd!e2e',
};
const LOCALE_KEY = 'maxloyalty.locale';

// ---------------------------------------------------------------- server

/** Everything the server wrote to stdout and stderr, in arrival order (ANSI colours removed). */
let serverLog = '';
const logWaiters = new Set();
let server;
let serverExited = null;
let tempDir;
let baseUrl;

const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

function onServerOutput(chunk) {
  serverLog += stripAnsi(chunk.toString('utf8'));
  for (const check of logWaiters) check();
}

/** Decodes the text of every MIME part of an .eml file (base64 and quoted-printable). */
function emlText(raw) {
  const qp = (t) =>
    Buffer.from(
      t.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  const parts = [];
  for (const chunk of raw.split(/\r?\n--[^\r\n]+/)) {
    const sep = chunk.search(/\r?\n\r?\n/);
    if (sep < 0) continue;
    const headers = chunk.slice(0, sep);
    const body = chunk.slice(sep).trim();
    if (/content-transfer-encoding:\s*base64/i.test(headers)) {
      parts.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    } else if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
      parts.push(qp(body));
    } else {
      parts.push(body);
    }
  }
  return parts.join('\n');
}

/**
 * The first match of `re` in the next e-mail the server writes after `fromOffset`
 * (the embedded default writes mails as .eml files and logs each file's path).
 */
async function waitForMail(re, { fromOffset = 0, timeout, what }) {
  const m = await waitForLog(/mail written.*?file=(\S+?\.eml)/, { fromOffset, timeout, what });
  const file = m[1].startsWith('/') ? m[1] : join(tempDir, m[1]); // relative to the server's folder
  const found = re.exec(emlText(readFileSync(file, 'utf8')));
  if (!found) throw new Error(`${what}: ${m[1]} has no match for ${re}`);
  return found;
}

/** Resolves with the first match of `re` in the server log after `fromOffset`. */
function waitForLog(re, { fromOffset = 0, timeout, what }) {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const m = re.exec(serverLog.slice(fromOffset));
      if (m) {
        cleanup();
        resolvePromise(m);
      } else if (serverExited) {
        cleanup();
        reject(new Error(`server exited (${serverExited}) while waiting for ${what}\n--- server log tail ---\n${serverLog.slice(-4000)}`));
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeout} ms waiting for ${what} in the server log\n--- server log tail ---\n${serverLog.slice(-4000)}`));
    }, timeout);
    const cleanup = () => {
      clearTimeout(timer);
      logWaiters.delete(check);
    };
    logWaiters.add(check);
    check();
  });
}

function killServer() {
  iikoCloud.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    try {
      // Negative pid: the whole process group we created (detached), in case the binary forks.
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      try {
        server.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

// A local iikoCloud for step 8g2: one apiLogin, and the orders in IIKO_ORDERS by id.
const IIKO_LOGIN = 'e2e-iiko-api-login';
const IIKO_ORDERS = new Map();
const iikoCloud = createHttpServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    const answer = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body = {};
    try {
      body = JSON.parse(raw || '{}');
    } catch {
      return answer(400, { errorDescription: 'not JSON' });
    }
    if (req.url === '/api/1/access_token') {
      return body.apiLogin === IIKO_LOGIN
        ? answer(200, { correlationId: 'e2e', token: 'e2e-token' })
        : answer(401, { correlationId: 'e2e', errorDescription: 'Login is not authorized' });
    }
    if (req.headers.authorization !== 'Bearer e2e-token') return answer(401, { errorDescription: 'token expired' });
    const orders = (body.orderIds ?? []).map((id) => IIKO_ORDERS.get(id)).filter(Boolean);
    return answer(200, { correlationId: 'e2e', orders });
  });
});

// Last resort if the test runner is interrupted: never leave the server running.
process.on('exit', killServer);

async function startServer() {
  const bin = process.env.MAXLOYALTY_BIN;
  if (!bin) {
    throw new Error(
      'MAXLOYALTY_BIN is not set. Point it at the server binary, e.g.\n' +
        '  MAXLOYALTY_BIN=/root/.cache/maxloyalty/target/debug/maxloyalty npm run e2e',
    );
  }
  if (!existsSync(bin) || !statSync(bin).isFile()) {
    throw new Error(`MAXLOYALTY_BIN=${bin} does not exist (or is not a file). Build the server first.`);
  }
  if (!existsSync(join(DIST_DIR, 'index.html'))) {
    throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build\` before \`npm run e2e\`.`);
  }

  tempDir = mkdtempSync(join(tmpdir(), 'maxloyalty-e2e-'));
  await new Promise((done) => iikoCloud.listen(0, '127.0.0.1', done));
  const env = {
    ...process.env,
    MAXLOYALTY_PORT: '0',
    MAXLOYALTY_HOST: '127.0.0.1',
    DATABASE_URL: `sqlite://${join(tempDir, 'e2e.db')}?mode=rwc`,
    MAXLOYALTY_WEB_DIR: DIST_DIR,
    MAXLOYALTY_ENV: 'development',
    RUST_LOG: 'info',
    NO_COLOR: '1',
    // the job worker processes the POS checks of step 8g and the webhook deliveries of 8j
    MAXLOYALTY_WORKER_ENABLED: 'true',
    // step 8j's receiver listens on 127.0.0.1
    MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE: 'true',
    // step 8g2: iiko orders are confirmed with this local iikoCloud
    MAXLOYALTY_IIKO_API_URL: `http://127.0.0.1:${iikoCloud.address().port}`,
  };
  server = spawn(bin, [], { env, cwd: tempDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  server.stdout.on('data', onServerOutput);
  server.stderr.on('data', onServerOutput);
  server.on('error', (err) => {
    serverExited = `spawn error: ${err.message}`;
    for (const check of logWaiters) check();
  });
  server.on('exit', (code, signal) => {
    serverExited = `code ${code}, signal ${signal}`;
    for (const check of logWaiters) check();
  });

  const m = await waitForLog(LISTENING_RE, { timeout: SERVER_START_TIMEOUT, what: '"listening on http://127.0.0.1:<port>"' });
  baseUrl = `http://127.0.0.1:${m[1]}`;
}

// ---------------------------------------------------------------- browser

let browser;
let shotNo = 0;

async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  // playwright-core creates a fresh temporary --user-data-dir for every launch() and deletes it
  // afterwards (passing --user-data-dir ourselves is rejected by Playwright), so each run starts clean.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: NAV_TIMEOUT,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function newPage(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ru-RU' });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[${name}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[${name}] console error: ${msg.text()}`);
  });
  // A confirm() would block the UI; the flow never needs one, but accept it just in case.
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

async function shot(page, name) {
  if (!page || page.isClosed()) return;
  shotNo += 1;
  const file = join(RESULTS_DIR, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
  } catch (err) {
    console.log(`screenshot ${file} failed: ${err.message}`);
  }
}

const byTestId = (page, id) => page.getByTestId(id);

async function expectVisible(page, id) {
  await byTestId(page, id).first().waitFor({ state: 'visible' });
}

async function login(page, { email, password }) {
  await expectVisible(page, 'login-page');
  await byTestId(page, 'login-email').fill(email);
  await byTestId(page, 'login-password').fill(password);
  await byTestId(page, 'login-submit').click();
  await expectVisible(page, 'home-page');
}

async function logout(page) {
  await byTestId(page, 'logout-button').click();
  await expectVisible(page, 'login-page');
  const stored = await page.evaluate((key) => window.localStorage.getItem(key), REFRESH_TOKEN_KEY);
  assert.equal(stored, null, 'the refresh token must be removed from localStorage on logout');
}

async function storedRefreshToken(page) {
  return page.evaluate((key) => window.localStorage.getItem(key), REFRESH_TOKEN_KEY);
}

async function text(page, id) {
  return ((await byTestId(page, id).first().textContent()) ?? '').trim();
}

/** Waits until the test id's text satisfies `check` (the UI updates asynchronously). */
async function waitForText(page, id, check, what) {
  const deadline = Date.now() + UI_TIMEOUT;
  let last = '';
  while (Date.now() < deadline) {
    last = (await byTestId(page, id).count()) > 0 ? await text(page, id) : '';
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; [data-testid=${id}] text is ${JSON.stringify(last)}`);
}

/** The business shown in the header: the switcher's current choice, or the plain name. */
async function headerTenant(page) {
  // One look at the DOM, no auto-waiting: while the header re-reads the business list it swaps
  // the picker for the plain name and back, and a locator that waits for the element that just
  // went away would hang for the whole UI timeout.
  return page.evaluate(() => {
    const select = document.querySelector('[data-testid="tenant-switch"]');
    if (select instanceof HTMLSelectElement) return select.selectedOptions[0]?.textContent?.trim() ?? '';
    return document.querySelector('[data-testid="layout-tenant"]')?.textContent?.trim() ?? '';
  });
}

async function waitForHeaderTenant(page, name) {
  const deadline = Date.now() + UI_TIMEOUT;
  let last = '';
  while (Date.now() < deadline) {
    last = await headerTenant(page).catch(() => '');
    if (last === name) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`header business is ${JSON.stringify(last)}, expected ${JSON.stringify(name)}`);
}

async function navIds(page) {
  return byTestId(page, 'nav')
    .locator('[data-testid^="nav-"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
}

// ---------------------------------------------------------------- lifecycle

before(async () => {
  // only this run's screenshots; the Mini App test (miniapp-*) cleans its own
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of readdirSync(RESULTS_DIR)) if (!f.startsWith('miniapp-')) rmSync(join(RESULTS_DIR, f), { recursive: true, force: true });
  await startServer();
  browser = await launchBrowser();
});

after(async () => {
  try {
    await browser?.close();
  } catch {
    // ignore
  }
  killServer();
  if (server && serverExited === null) {
    await new Promise((r) => {
      server.once('exit', r);
      setTimeout(r, 5_000);
    });
  }
  if (server) writeFileSync(join(RESULTS_DIR, 'server.log'), serverLog);
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the flow

test('owner signs up, invites a cashier, the cashier accepts and sees only cashier pages', { timeout: 20 * 60_000 }, async (t) => {
  let pageA;
  let pageB;
  let pageC;
  const passed = new Set();
  let previous = null;

  /**
   * Steps run in order. By default a step needs the one before it; after a failure the
   * dependent steps are skipped. A failing step leaves screenshots of both contexts.
   */
  const step = (name, fn, needs = previous ? [previous] : []) => {
    const id = name.split('.')[0];
    previous = id;
    const missing = needs.filter((n) => !passed.has(n));
    return t.test(name, { skip: missing.length ? `needs step ${missing.join(', ')}` : false }, async () => {
      try {
        await fn();
        passed.add(id);
      } catch (err) {
        const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
        await shot(pageA, `FAILED-${slug}-context-A`);
        await shot(pageB, `FAILED-${slug}-context-B`);
        await shot(pageC, `FAILED-${slug}-context-C`);
        throw err;
      }
    });
  };

  await step('1. context A: open /, sign up a business as owner', async () => {
    pageA = await newPage('A');
    await pageA.goto(`${baseUrl}/`);
    await expectVisible(pageA, 'login-page'); // not signed in → the login page
    assert.equal(await pageA.evaluate(() => document.documentElement.lang), 'ru', 'Russian is the default language');
    await shot(pageA, 'A-login');

    await byTestId(pageA, 'to-signup').click();
    await expectVisible(pageA, 'signup-page');
    await byTestId(pageA, 'signup-business-name').fill(OWNER.businessName);
    await byTestId(pageA, 'signup-location-name').fill(OWNER.locationName);
    await byTestId(pageA, 'signup-currency').selectOption('RUB');
    await byTestId(pageA, 'signup-display-name').fill(OWNER.displayName);
    await byTestId(pageA, 'signup-email').fill(OWNER.email);
    await byTestId(pageA, 'signup-password').fill(OWNER.password);
    await shot(pageA, 'A-signup-filled');
    await byTestId(pageA, 'signup-submit').click();

    await expectVisible(pageA, 'home-page');
    assert.equal(await byTestId(pageA, 'home-role').getAttribute('data-role'), 'OWNER');
    assert.equal((await byTestId(pageA, 'home-tenant').textContent())?.trim(), OWNER.businessName);
    assert.deepEqual(await navIds(pageA), [
      'nav-home',
      'nav-cashier',
      'nav-guests',
      'nav-levels',
      'nav-promotions',
      'nav-loyaltySettings',
      'nav-staff',
      'nav-locations',
      'nav-roles',
      'nav-audit',
      'nav-integrations',
      'nav-apiKeys',
      'nav-webhooks',
      'nav-jobs',
    ]);
    await shot(pageA, 'A-owner-home');
  });

  await step('2. context A: log out and log in again with the same credentials', async () => {
    await logout(pageA);
    await login(pageA, OWNER);
    assert.equal(await byTestId(pageA, 'home-role').getAttribute('data-role'), 'OWNER');
    await shot(pageA, 'A-owner-home-after-relogin');
  });

  let inviteLogOffset = 0;
  await step('3. context A: invite a cashier from the staff page', async () => {
    // A full page load of a client route: checks the server's SPA fallback and the session restore.
    await pageA.goto(`${baseUrl}/staff`);
    await expectVisible(pageA, 'staff-page');
    await pageA.locator(`[data-testid="staff-row"][data-email="${OWNER.email}"]`).waitFor();

    await byTestId(pageA, 'invite-email').fill(CASHIER.email);
    await byTestId(pageA, 'invite-role').selectOption('CASHIER');
    inviteLogOffset = serverLog.length;
    await byTestId(pageA, 'invite-submit').click();
    await expectVisible(pageA, 'staff-notice');
    await pageA.locator(`[data-testid="invitation-row"][data-email="${CASHIER.email}"][data-status="PENDING"]`).waitFor();
    await shot(pageA, 'A-cashier-invited');
  });

  let token;
  await step('4. read the invitation token from the e-mail the server wrote', async () => {
    const m = await waitForMail(ACCEPT_LINK_RE, { fromOffset: inviteLogOffset, timeout: MAIL_TIMEOUT, what: 'the invitation email with the accept link' });
    token = m[1];
    assert.ok(token.length >= 16, `token looks too short: ${token}`);
  });

  await step('5. context B: open the accept link, set name and password, accept', async () => {
    pageB = await newPage('B');
    await pageB.goto(`${baseUrl}/accept-invitation?token=${encodeURIComponent(token)}`);
    await expectVisible(pageB, 'accept-preview');
    assert.equal((await byTestId(pageB, 'accept-email').textContent())?.trim(), CASHIER.email);
    assert.equal((await byTestId(pageB, 'accept-tenant').textContent())?.trim(), OWNER.businessName);
    assert.equal(await byTestId(pageB, 'accept-role').getAttribute('data-role'), 'CASHIER');
    await shot(pageB, 'B-invitation-preview');

    await byTestId(pageB, 'accept-display-name').fill(CASHIER.displayName);
    await byTestId(pageB, 'accept-password').fill(CASHIER.password);
    await byTestId(pageB, 'accept-password-confirm').fill(CASHIER.password);
    await byTestId(pageB, 'accept-submit').click();

    await expectVisible(pageB, 'home-page'); // lands signed in
    assert.equal(await byTestId(pageB, 'home-role').getAttribute('data-role'), 'CASHIER');
    assert.equal((await byTestId(pageB, 'home-tenant').textContent())?.trim(), OWNER.businessName);
    await shot(pageB, 'B-cashier-home-after-accept');
  });

  await step('6. context B: log out and log in as the cashier with the new password', async () => {
    await logout(pageB);
    await login(pageB, CASHIER);
    assert.equal(await byTestId(pageB, 'home-role').getAttribute('data-role'), 'CASHIER');
    assert.match((await byTestId(pageB, 'home-welcome').textContent()) ?? '', new RegExp(CASHIER.displayName));
    await shot(pageB, 'B-cashier-home-after-login');
  });

  await step('7. context B: the cashier sees only what a cashier may', async () => {
    const ids = await navIds(pageB);
    for (const forbidden of ['nav-staff', 'nav-roles', 'nav-audit']) {
      assert.ok(!ids.includes(forbidden), `cashier nav must not contain ${forbidden} (got ${ids.join(', ')})`);
    }
    assert.ok(ids.includes('nav-home'), 'home link');
    assert.ok(ids.includes('nav-locations'), 'locations link (read-only)');
    assert.equal(ids[0], 'nav-cashier', `the cashier screen comes first for a cashier (got ${ids.join(', ')})`);
    assert.ok(!ids.includes('nav-levels') && !ids.includes('nav-loyaltySettings'), 'no loyalty configuration for a cashier');
    assert.ok(!ids.includes('nav-promotions'), 'no promotions for a cashier');

    // Typing the address of a forbidden page shows the no-access view (full page load).
    await pageB.goto(`${baseUrl}/staff`);
    await expectVisible(pageB, 'no-access');
    assert.equal(await byTestId(pageB, 'staff-page').count(), 0);
    await shot(pageB, 'B-cashier-staff-no-access');
    assert.ok(!ids.includes('nav-integrations') && !ids.includes('nav-apiKeys') && !ids.includes('nav-jobs'), 'no integration pages for a cashier');
    for (const path of ['/roles', '/audit', '/promotions', '/integrations', '/api-keys', '/webhooks', '/jobs']) {
      await pageB.goto(`${baseUrl}${path}`);
      await expectVisible(pageB, 'no-access');
    }

    // Locations: visible, read-only.
    await byTestId(pageB, 'nav-locations').click();
    await expectVisible(pageB, 'locations-page');
    await pageB.locator(`[data-testid="location-row"][data-name="${OWNER.locationName}"]`).waitFor();
    await expectVisible(pageB, 'locations-read-only');
    assert.equal(await byTestId(pageB, 'location-create-form').count(), 0, 'no create form for a cashier');
    assert.equal(await byTestId(pageB, 'location-rename').count(), 0, 'no rename buttons for a cashier');
    await shot(pageB, 'B-cashier-locations-read-only');
  });

  // Extra checks after the main flow; they only need the steps that created their state.
  await step('8. context A: the owner sees the cashier in the team, the roles matrix and the audit log', async () => {
    await pageA.goto(`${baseUrl}/staff`);
    await expectVisible(pageA, 'staff-page');
    await pageA.locator(`[data-testid="staff-row"][data-email="${CASHIER.email}"][data-role="CASHIER"][data-me="false"]`).waitFor();
    // "(you)" is decided by the user id, not the e-mail
    await pageA.locator(`[data-testid="staff-row"][data-email="${OWNER.email}"][data-me="true"]`).waitFor();
    await pageA.locator(`[data-testid="invitation-row"][data-email="${CASHIER.email}"][data-status="ACCEPTED"]`).waitFor();
    await shot(pageA, 'A-owner-staff-after-accept');

    await byTestId(pageA, 'nav-roles').click();
    await expectVisible(pageA, 'roles-matrix');
    await shot(pageA, 'A-owner-roles');

    await byTestId(pageA, 'nav-audit').click();
    await expectVisible(pageA, 'audit-table');
    await shot(pageA, 'A-owner-audit');
  }, ['5']);

  // ------------------------------------------------------------ guests, points, the cashier screen
  const GUEST = {
    name: 'Мария Гостева',
    // unique per run; the cashier finds the guest by the last 4 digits
    phone: `+7916${String(Date.now() % 10_000_000).padStart(7, '0')}`,
  };
  let guestUrl = '';
  let receiptBalance = null;

  await step('8a. context A: the owner registers a guest on /guests and adds 500 points with a reason', async () => {
    await byTestId(pageA, 'nav-guests').click();
    await expectVisible(pageA, 'guests-page');
    await shot(pageA, 'A-owner-guests-empty');
    await byTestId(pageA, 'guest-new').click();
    await expectVisible(pageA, 'guest-create-form');
    await byTestId(pageA, 'guest-create-phone').fill(GUEST.phone);
    await byTestId(pageA, 'guest-create-name').fill(GUEST.name);
    // An unknown referral code (the inviter's card) is refused under its field; nothing is created.
    await byTestId(pageA, 'guest-create-referral').fill('ABCD-EFGH');
    await byTestId(pageA, 'guest-create-submit').click();
    await expectVisible(pageA, 'guest-create-referral-error');
    assert.equal(await byTestId(pageA, 'guest-create-error').count(), 0);
    await byTestId(pageA, 'guest-create-referral').fill('');
    await shot(pageA, 'A-owner-guest-create-filled');
    await byTestId(pageA, 'guest-create-submit').click();

    await expectVisible(pageA, 'guest-page');
    guestUrl = new URL(pageA.url()).pathname;
    assert.match(guestUrl, /^\/guests\/[0-9a-f-]{36}$/);
    await waitForText(pageA, 'page-title', (s) => s === GUEST.name, 'the guest page of the new guest');
    assert.equal(await text(pageA, 'guest-phone'), GUEST.phone);
    assert.match(await text(pageA, 'guest-card-code'), /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.match(await text(pageA, 'guest-qr-payload'), /^ML1:[0-9a-f]{32}$/);
    await expectVisible(pageA, 'guest-qr'); // the QR image is rendered
    assert.equal(await byTestId(pageA, 'guest-balance').getAttribute('data-value'), '0');
    assert.equal(await text(pageA, 'guest-level'), 'Bronze');

    // The reason is required.
    await byTestId(pageA, 'adjust-points').fill('500');
    await byTestId(pageA, 'adjust-submit').click();
    await expectVisible(pageA, 'adjust-reason-error');

    await byTestId(pageA, 'adjust-sign-plus').check();
    await byTestId(pageA, 'adjust-reason').fill('Приветственный бонус');
    await byTestId(pageA, 'adjust-submit').click();
    await expectVisible(pageA, 'adjust-done');
    await pageA.locator('[data-testid="guest-balance"][data-value="500"]').waitFor();
    await pageA.locator('[data-testid="ledger-row"][data-kind="ADJUSTMENT"][data-amount="500"]').waitFor();
    await shot(pageA, 'A-owner-guest-after-adjustment');
  }, ['1']);

  await step('8b. context B: the cashier finds the guest by 4 digits, redeems the prefilled maximum of a 1000 check, sees the receipt', async () => {
    await pageB.goto(`${baseUrl}/`);
    await expectVisible(pageB, 'home-page');
    assert.equal((await navIds(pageB))[0], 'nav-cashier');
    await byTestId(pageB, 'nav-cashier').click();
    await expectVisible(pageB, 'cashier-page');
    await byTestId(pageB, 'cashier-location').waitFor();
    assert.equal(await byTestId(pageB, 'cashier-location').locator('option:checked').textContent(), OWNER.locationName);
    // The search box has the focus: the cashier just types.
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-query');
    await shot(pageB, 'B-cashier-screen');

    await pageB.keyboard.type(GUEST.phone.slice(-4));
    await pageB.locator('[data-testid="cashier-result"][aria-selected="true"]').waitFor();
    assert.equal(await byTestId(pageB, 'cashier-result').count(), 1);
    await shot(pageB, 'B-cashier-search-result');
    await pageB.keyboard.press('Enter');

    await expectVisible(pageB, 'cashier-guest');
    assert.equal(await text(pageB, 'cashier-guest-name'), GUEST.name);
    assert.match(await text(pageB, 'cashier-guest-phone'), new RegExp(`${GUEST.phone.slice(-4, -2)}-${GUEST.phone.slice(-2)}$`));
    assert.ok(!(await text(pageB, 'cashier-guest-phone')).includes(GUEST.phone.slice(2, 8)), 'the phone is masked');
    await waitForText(pageB, 'cashier-guest-available', (s) => s === '500', 'the guest card with 500 available points');
    assert.equal(await text(pageB, 'cashier-guest-level'), 'Bronze');
    // the total field has the focus now
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-total');
    await pageB.keyboard.type('1000');

    // The most this check allows is shown and prefilled into "points to redeem".
    // (the max for exactly this total: 1000 ₽ = 100000 kopecks, not one for "1", "10" or "100" on the way)
    await pageB.locator('[data-testid="cashier-max"][data-for-total="100000"]').waitFor();
    const max = Number(await byTestId(pageB, 'cashier-max').getAttribute('data-max'));
    // Bronze lets points pay 30 % of a check: 1000 ₽ → 300 points (1 point = 1 ₽), the guest has 500
    assert.equal(max, 300);
    assert.equal(await byTestId(pageB, 'cashier-redeem').inputValue(), String(max));
    await shot(pageB, 'B-cashier-check-prefilled');

    // Meanwhile the owner opens the cashier screen of the same location: its list is live.
    await pageA.goto(`${baseUrl}/cashier`);
    await expectVisible(pageA, 'cashier-page');
    await pageA.locator('[data-testid="cashier-recent"][data-live="true"]').waitFor();

    await pageB.keyboard.press('Enter'); // total → points
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-redeem');
    await pageB.keyboard.press('Enter'); // confirm

    await expectVisible(pageB, 'cashier-receipt');
    const redeemed = Number(await byTestId(pageB, 'cashier-receipt-redeemed').getAttribute('data-value'));
    const earned = Number(await byTestId(pageB, 'cashier-receipt-earned').getAttribute('data-value'));
    receiptBalance = Number(await byTestId(pageB, 'cashier-receipt-balance').getAttribute('data-value'));
    assert.equal(redeemed, max);
    // 3 % cashback on the 700 ₽ paid in money
    assert.equal(earned, 21);
    assert.equal(receiptBalance, 500 - redeemed + earned);
    assert.equal(await text(pageB, 'cashier-receipt-balance'), String(receiptBalance));
    await expectVisible(pageB, 'cashier-receipt-rules');
    assert.equal(await byTestId(pageB, 'cashier-recent-item').count(), 1, 'the check is in the recent list');
    await shot(pageB, 'B-cashier-receipt');

    // The check appears on the owner's screen by itself (checkProcessed subscription), with the guest's name.
    await pageA.locator('[data-testid="cashier-recent-item"]').first().waitFor();
    await waitForText(pageA, 'cashier-recent-item', (s) => s.includes(GUEST.name), 'the live check with the guest name');
    await shot(pageA, 'A-owner-cashier-live-list');

    // Esc starts a new check with the search focused.
    await pageB.keyboard.press('Escape');
    await expectVisible(pageB, 'cashier-search');
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-query');
    assert.equal(await byTestId(pageB, 'cashier-query').inputValue(), '');

    // A guest who is not registered yet: Enter on "not found" opens the registration right here.
    const newPhone = `+7926${String((Date.now() + 4_321_987) % 10_000_000).padStart(7, '0')}`;
    await pageB.keyboard.type(newPhone);
    await expectVisible(pageB, 'cashier-not-found');
    await expectVisible(pageB, 'cashier-register-open');
    await pageB.keyboard.press('Enter');
    await expectVisible(pageB, 'cashier-register');
    assert.equal(await byTestId(pageB, 'cashier-reg-phone').inputValue(), newPhone);
    await byTestId(pageB, 'cashier-reg-name').fill('Пётр Новиков');
    await shot(pageB, 'B-cashier-register-guest');
    await pageB.keyboard.press('Enter');
    await expectVisible(pageB, 'cashier-guest');
    await waitForText(pageB, 'cashier-guest-name', (s) => s === 'Пётр Новиков', 'the new guest on the cashier screen');
    assert.equal(await text(pageB, 'cashier-guest-available'), '0');
    await pageB.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-total');
    await shot(pageB, 'B-cashier-new-guest-card');
    await pageB.keyboard.press('Escape');
    await expectVisible(pageB, 'cashier-search');

    // Back where step 9 expects context B.
    await byTestId(pageB, 'nav-locations').click();
    await expectVisible(pageB, 'locations-page');
  }, ['7', '8a']);

  await step('8c. context A: the owner sees the balance from the receipt on the guest page', async () => {
    await pageA.goto(`${baseUrl}${guestUrl}`);
    await expectVisible(pageA, 'guest-page');
    await pageA.locator(`[data-testid="guest-balance"][data-value="${receiptBalance}"]`).waitFor();
    await pageA.locator('[data-testid="ledger-row"][data-kind="REDEMPTION"]').waitFor();
    await pageA.locator('[data-testid="ledger-row"][data-kind="ACCRUAL"]').waitFor();
    // newest first: the accrual of the check is on top
    assert.equal(await byTestId(pageA, 'ledger-row').first().getAttribute('data-kind'), 'ACCRUAL');
    await shot(pageA, 'A-owner-guest-after-check');
  }, ['8b']);

  await step('8d. context A: levels, points settings and the audit log CSV', async () => {
    await byTestId(pageA, 'nav-levels').click();
    await expectVisible(pageA, 'levels-table');
    const levelNames = await byTestId(pageA, 'level-row').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));
    assert.deepEqual(levelNames, ['Bronze', 'Silver', 'Gold']);
    await shot(pageA, 'A-owner-levels');

    // A field error from the server lands under its input: a second level at threshold 0.
    await byTestId(pageA, 'level-new').click();
    await byTestId(pageA, 'level-name').fill('Platinum');
    await byTestId(pageA, 'level-threshold-input').fill('0');
    await byTestId(pageA, 'level-cashback-input').fill('10');
    await byTestId(pageA, 'level-max-redeem-input').fill('60');
    await byTestId(pageA, 'level-save').click();
    await expectVisible(pageA, 'level-threshold-input-error');
    await shot(pageA, 'A-owner-level-field-error');
    await byTestId(pageA, 'level-threshold-input').fill('100 000');
    await byTestId(pageA, 'level-save').click();
    await pageA.locator('[data-testid="level-row"][data-name="Platinum"]').waitFor();
    await shot(pageA, 'A-owner-levels-added');

    await byTestId(pageA, 'nav-loyaltySettings').click();
    await expectVisible(pageA, 'settings-form');
    assert.equal(await byTestId(pageA, 'settings-point-value').inputValue(), '1');
    await byTestId(pageA, 'settings-hold-ttl').fill('30');
    await byTestId(pageA, 'settings-save').click();
    await expectVisible(pageA, 'settings-hold-ttl-error');
    await byTestId(pageA, 'settings-hold-ttl').fill('900');
    await byTestId(pageA, 'settings-save').click();
    await expectVisible(pageA, 'settings-saved');
    await shot(pageA, 'A-owner-points-settings');

    await byTestId(pageA, 'nav-audit').click();
    await expectVisible(pageA, 'audit-table');
    const [download] = await Promise.all([pageA.waitForEvent('download'), byTestId(pageA, 'audit-export').click()]);
    const file = join(RESULTS_DIR, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
    const csv = bytes.toString('utf8');
    assert.match(csv, /^\uFEFFat;actor_email;actor_id;action;target_type;target_id;ip;details\r\n/);
    for (const action of ['tenant.sign_up', 'guest.create', 'points.adjust', 'check.process', 'loyalty.create_level']) {
      assert.ok(csv.includes(`;${action};`), `the CSV lists ${action}`);
    }
    assert.ok(csv.includes('Приветственный бонус'), 'Cyrillic survives');
    await shot(pageA, 'A-owner-audit-exported');
  }, ['8c']);

  /**
   * The server reads the promotions through its configuration cache (a few seconds), so what a check
   * granted shows up on /promotions shortly after: reload until it does.
   */
  async function reloadUntil(page, locator, what) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.reload();
      await expectVisible(page, 'promotions-table');
      try {
        await locator.waitFor({ timeout: 2_000 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`timed out reloading /promotions for ${what}: ${err.message}`);
      }
    }
  }

  /** Context B (the cashier): a 1000 check for the guest, nothing redeemed; returns the receipt's rules. */
  async function cashierCheckWithoutRedemption(page, phone) {
    if ((await byTestId(page, 'cashier-page').count()) === 0) {
      await byTestId(page, 'nav-cashier').click();
      await expectVisible(page, 'cashier-page');
    }
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-query');
    await page.keyboard.type(phone.slice(-4));
    await page.locator('[data-testid="cashier-result"][aria-selected="true"]').waitFor();
    await page.keyboard.press('Enter');
    await expectVisible(page, 'cashier-guest');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-total');
    await page.keyboard.type('1000');
    await page.locator('[data-testid="cashier-max"][data-for-total="100000"]').waitFor();
    await page.keyboard.press('Enter'); // total → points (selected)
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'cashier-redeem');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter'); // confirm
    await expectVisible(page, 'cashier-receipt');
    return byTestId(page, 'cashier-receipt-rule').evaluateAll((els) =>
      els.map((el) => ({ code: el.dataset.code, status: el.dataset.status, points: Number(el.dataset.points), text: el.textContent.trim() })),
    );
  }

  await step('8e. promotions: the owner creates a ×2 multiplier, the cashier’s receipt shows its bonus, the budget runs out', async () => {
    const NAME = 'Двойные баллы';
    await byTestId(pageA, 'nav-promotions').click();
    await expectVisible(pageA, 'promotions-page');
    await expectVisible(pageA, 'promotions-empty');
    await byTestId(pageA, 'promotion-new').click();
    await expectVisible(pageA, 'promotion-form');
    assert.equal(await byTestId(pageA, 'promotion-kind-select').inputValue(), 'MULTIPLIER');
    await byTestId(pageA, 'promotion-name').fill(NAME);
    // ×1 is no multiplier: refused under the field before anything is sent
    await byTestId(pageA, 'promotion-factor').fill('1');
    await byTestId(pageA, 'promotion-save').click();
    await expectVisible(pageA, 'promotion-factor-error');
    await byTestId(pageA, 'promotion-factor').fill('2');
    await pageA.locator(`[data-testid="promotion-location"][data-name="${OWNER.locationName}"]`).check();
    await byTestId(pageA, 'promotion-budget-input').fill('1000');
    await shot(pageA, 'A-owner-promotion-form');
    await byTestId(pageA, 'promotion-save').click();
    await expectVisible(pageA, 'promotions-notice');
    const row = pageA.locator(`[data-testid="promotion-row"][data-name="${NAME}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-kind'), 'MULTIPLIER');
    assert.equal(await row.getAttribute('data-status'), 'active');
    assert.equal((await row.getByTestId('promotion-rule').textContent()).trim(), `×2 каждый день в точке «${OWNER.locationName}»`);
    assert.equal(await row.getByTestId('promotion-granted').getAttribute('data-value'), '0');
    await shot(pageA, 'A-owner-promotion-created');

    // The cashier: 1000 ₽, nothing redeemed → 3 % = 30, doubled: +30 more.
    const rules = await cashierCheckWithoutRedemption(pageB, GUEST.phone);
    assert.equal(Number(await byTestId(pageB, 'cashier-receipt-earned').getAttribute('data-value')), 60);
    const promo = rules.find((r) => r.code === 'promotion_multiplier');
    assert.ok(promo, `a promotion line in the receipt: ${JSON.stringify(rules)}`);
    assert.equal(promo.status, 'GRANTED');
    assert.equal(promo.points, 30);
    assert.match(promo.text, new RegExp(`^${NAME}: ×2\\s*\\+30$`));
    await shot(pageB, 'B-cashier-receipt-with-promotion');

    // The owner sees what was granted against the budget.
    await reloadUntil(pageA, row.getByTestId('promotion-granted').and(pageA.locator('[data-value="30"]')), 'granted 30');
    assert.equal(await row.getByTestId('promotion-budget-bar').getAttribute('aria-valuenow'), '3');

    // Editing: the kind is fixed; a budget below what was granted is refused by the server, under the budget field.
    await row.getByTestId('promotion-edit').click();
    await expectVisible(pageA, 'promotion-kind-fixed');
    assert.equal(await byTestId(pageA, 'promotion-factor').inputValue(), '2');
    await byTestId(pageA, 'promotion-budget-input').fill('10');
    await byTestId(pageA, 'promotion-save').click();
    await expectVisible(pageA, 'promotion-budget-input-error');
    assert.equal(await byTestId(pageA, 'promotion-error').count(), 0, 'the error is under the field, not at the form');
    await shot(pageA, 'A-owner-promotion-budget-error');
    // Exactly what was granted: the next grant would pass the cap.
    await byTestId(pageA, 'promotion-budget-input').fill('30');
    await byTestId(pageA, 'promotion-save').click();
    await expectVisible(pageA, 'promotions-notice');
    assert.equal(await byTestId(pageA, 'promotion-form').count(), 0);

    // The next check: the multiplier is refused for the budget, the receipt says so.
    await pageB.keyboard.press('Escape');
    await expectVisible(pageB, 'cashier-search');
    const rules2 = await cashierCheckWithoutRedemption(pageB, GUEST.phone);
    assert.equal(Number(await byTestId(pageB, 'cashier-receipt-earned').getAttribute('data-value')), 30);
    const refused = rules2.find((r) => r.code === 'promotion_multiplier');
    assert.ok(refused, `the refused promotion in the receipt: ${JSON.stringify(rules2)}`);
    assert.equal(refused.status, 'BUDGET_EXHAUSTED');
    await expectVisible(pageB, 'cashier-receipt-rule-exhausted');
    await shot(pageB, 'B-cashier-receipt-budget-exhausted');
    await pageB.keyboard.press('Escape');
    await expectVisible(pageB, 'cashier-search');

    await reloadUntil(pageA, row.getByTestId('promotion-budget-exhausted'), 'the "budget exhausted" badge');
    assert.equal(await row.getByTestId('promotion-budget-bar').getAttribute('aria-valuenow'), '100');
    await shot(pageA, 'A-owner-promotion-budget-exhausted');

    // A welcome bonus, archived right away (confirm() is accepted): gone from the list, shown with "show archived".
    await byTestId(pageA, 'promotion-new').click();
    await byTestId(pageA, 'promotion-kind-select').selectOption('WELCOME');
    await byTestId(pageA, 'promotion-name').fill('Добро пожаловать');
    await byTestId(pageA, 'promotion-points').fill('50');
    await byTestId(pageA, 'promotion-save').click();
    const welcome = pageA.locator('[data-testid="promotion-row"][data-name="Добро пожаловать"]');
    await welcome.waitFor();
    assert.equal((await welcome.getByTestId('promotion-rule').textContent()).trim(), '+50 баллов при регистрации');
    await welcome.getByTestId('promotion-archive').click();
    await expectVisible(pageA, 'promotions-notice');
    await welcome.waitFor({ state: 'detached' });
    await byTestId(pageA, 'promotions-show-archived').check();
    await pageA.locator('[data-testid="promotion-row"][data-name="Добро пожаловать"][data-status="archived"]').waitFor();
    assert.equal(await welcome.getByTestId('promotion-edit').count(), 0, 'an archived promotion is not editable');
    await shot(pageA, 'A-owner-promotions-archived');

    // Back where step 9 expects context B.
    await byTestId(pageB, 'nav-locations').click();
    await expectVisible(pageB, 'locations-page');
  }, ['8b']);

  await step('8f. context A: the business time zone (UTC offset) is saved and read back', async () => {
    await pageA.goto(`${baseUrl}/loyalty-settings`);
    await expectVisible(pageA, 'settings-form');
    // Moscow (UTC+3) by default; the select offers UTC−12 … UTC+14.
    assert.equal(await byTestId(pageA, 'settings-utc-offset').inputValue(), '180');
    assert.match(await byTestId(pageA, 'settings-utc-offset').locator('option:checked').textContent(), /^UTC\+3 — Москва/);
    await byTestId(pageA, 'settings-utc-offset').selectOption('300');
    await byTestId(pageA, 'settings-save').click();
    await expectVisible(pageA, 'settings-saved');
    assert.equal(await byTestId(pageA, 'settings-utc-offset').inputValue(), '300');
    await shot(pageA, 'A-owner-settings-utc-offset');
    // Stored: a reload reads it back.
    await pageA.reload();
    await expectVisible(pageA, 'settings-form');
    assert.equal(await byTestId(pageA, 'settings-utc-offset').inputValue(), '300', 'utcOffsetMinutes saved by updateLoyaltySettings is read back by loyaltySettings');
  }, ['1']);

  // ------------------------------------------------------------ integrations, API keys, job queue
  /** Signs a body like a POS: `X-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`. */
  const signedPost = (url, secret, body, t = Math.floor(Date.now() / 1000)) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` },
      body,
    });
  /** Ticks "I saved it", closes the once-only dialog and checks the secret is gone from the page. */
  const closeSecretDialog = async (page, secret) => {
    assert.ok(await byTestId(page, 'secret-dialog-close').isDisabled(), 'the dialog stays until the secret is copied or "saved" is ticked');
    await byTestId(page, 'secret-dialog-ack').check();
    await byTestId(page, 'secret-dialog-close').click();
    await byTestId(page, 'secret-dialog').waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(secret), 'the secret is not in the page after the dialog is closed');
  };

  /** Presses the delivery log's Refresh until `locator` shows up (deliveries run in the worker). */
  const reloadLogUntil = async (page, locator) => {
    const deadline = Date.now() + UI_TIMEOUT;
    while (Date.now() < deadline) {
      if ((await locator.count()) > 0) return;
      await page.waitForTimeout(500);
      await byTestId(page, 'webhook-log-refresh').click();
    }
    await locator.first().waitFor({ timeout: 1 });
  };

  await step('8g. integrations: the owner creates a POS integration, a script sends a signed check, the event log shows it PROCESSED and the cashier screen shows it live', async () => {
    await byTestId(pageA, 'nav-integrations').click();
    await expectVisible(pageA, 'integrations-page');
    await expectVisible(pageA, 'integrations-empty');
    await byTestId(pageA, 'integration-kind').selectOption('POS');
    await byTestId(pageA, 'integration-location').selectOption({ label: OWNER.locationName });
    await byTestId(pageA, 'integration-name').fill('Касса 1');
    await byTestId(pageA, 'integration-create-submit').click();

    // The URL and the secret, shown once.
    await expectVisible(pageA, 'secret-dialog');
    assert.equal(await byTestId(pageA, 'secret-dialog').getAttribute('data-reason'), 'created');
    await expectVisible(pageA, 'secret-dialog-once');
    const url = await text(pageA, 'secret-dialog-url');
    const secret = await text(pageA, 'secret-dialog-secret');
    assert.match(new URL(url).pathname, /^\/webhooks\/pos\/[0-9a-f-]{36}$/);
    assert.ok(secret.length >= 16, `a secret: ${secret}`);
    await shot(pageA, 'A-owner-integration-secret-dialog');
    await closeSecretDialog(pageA, secret);
    const row = pageA.locator('[data-testid="integration-row"][data-name="Касса 1"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-active'), 'true');
    assert.equal(await row.getByTestId('integration-url').textContent(), url);
    // The event log of the new integration is open (and empty).
    await expectVisible(pageA, 'integration-events-empty');
    // The help has a curl example for this URL.
    await byTestId(pageA, 'integration-help').locator('summary').click();
    assert.ok((await text(pageA, 'integration-help-curl')).includes(url));

    // The cashier's screen at the same location, live.
    await pageB.goto(`${baseUrl}/cashier`);
    await expectVisible(pageB, 'cashier-page');
    await pageB.locator('[data-testid="cashier-recent"][data-live="true"]').waitFor();
    const before = await byTestId(pageB, 'cashier-recent-item').count();

    // A wrong signature is refused (and logged as rejected).
    const externalId = `E2E-${run}`;
    const body = JSON.stringify({
      type: 'check.closed',
      externalId,
      guest: { phone: GUEST.phone },
      totalMinor: 50000,
      payments: [{ method: 'card', amountMinor: 50000 }],
    });
    const refused = await signedPost(url, `${secret}x`, body);
    assert.equal(refused.status, 401);
    // The signed check: accepted at once, processed by the worker.
    const res = await signedPost(url, secret, body);
    const answer = await res.json();
    assert.equal(res.status, 202, JSON.stringify(answer));
    assert.equal(answer.status, 'accepted');
    // The same delivery again: a duplicate, nothing happens twice.
    const again = await signedPost(url, secret, body);
    assert.equal(again.status, 200);
    assert.equal((await again.json()).status, 'duplicate');

    const event = pageA.locator(`[data-testid="integration-event-row"][data-external-id="${externalId}"][data-status="PROCESSED"]`);
    await event.waitFor(); // the log re-reads itself while open
    assert.match(await event.getAttribute('data-check-id'), /^[0-9a-f-]{36}$/);
    await expectVisible(pageA, 'integration-event-check');
    await event.getByTestId('integration-event-payload-toggle').click();
    assert.ok((await text(pageA, 'integration-event-payload')).includes(externalId));
    await pageA.locator('[data-testid="integration-event-row"][data-status="REJECTED"]').waitFor();
    // Only rejected ones.
    await byTestId(pageA, 'integration-events-status').selectOption('REJECTED');
    await event.waitFor({ state: 'detached' });
    await pageA.locator('[data-testid="integration-event-row"][data-status="REJECTED"]').first().waitFor();
    assert.equal(await pageA.locator('[data-testid="integration-event-row"]:not([data-status="REJECTED"])').count(), 0);
    await byTestId(pageA, 'integration-events-status').selectOption('');
    await event.waitFor();
    await shot(pageA, 'A-owner-integration-event-log');

    // The check shows up on the cashier screen by itself, with the guest's name.
    await pageB.waitForFunction(
      ({ n, name }) => {
        const items = [...document.querySelectorAll('[data-testid="cashier-recent-item"]')];
        return items.length > n && items.some((el) => el.textContent.includes(name));
      },
      { n: before, name: GUEST.name },
    );
    await shot(pageB, 'B-cashier-live-pos-check');

    // Rotation: a new secret, once; the old one still works during the overlap.
    await row.getByTestId('integration-rotate').click();
    await pageA.locator('[data-testid="secret-dialog"][data-reason="rotated"]').waitFor();
    await expectVisible(pageA, 'secret-dialog-overlap');
    const secret2 = await text(pageA, 'secret-dialog-secret');
    assert.notEqual(secret2, secret);
    await closeSecretDialog(pageA, secret2);
    await row.getByTestId('integration-previous-valid').waitFor();
    const old = await signedPost(url, secret, JSON.stringify({ type: 'guest.lookup', guest: { phone: GUEST.phone }, totalMinor: 10000 }));
    assert.equal(old.status, 200, 'the previous secret is accepted during the overlap');

    // Disabled: the POS is refused with 403; enabled again.
    await row.getByTestId('integration-disable').click();
    await pageA.locator('[data-testid="integration-row"][data-name="Касса 1"][data-active="false"]').waitFor();
    const disabled = await signedPost(url, secret2, JSON.stringify({ ...JSON.parse(body), externalId: `${externalId}-2` }));
    assert.equal(disabled.status, 403);
    await row.getByTestId('integration-enable').click();
    await pageA.locator('[data-testid="integration-row"][data-name="Касса 1"][data-active="true"]').waitFor();
    await shot(pageA, 'A-owner-integrations');

    // Back where step 9 expects context B.
    await byTestId(pageB, 'nav-locations').click();
    await expectVisible(pageB, 'locations-page');
  }, ['8b']);

  await step('8g2. iiko: the owner creates an iiko integration, is told its iikoCloud login is missing, a wrong login is refused by iikoCloud, the right one is saved, and a closed order accrues what iikoCloud says', async () => {
    await byTestId(pageA, 'integration-kind').selectOption('IIKO');
    await byTestId(pageA, 'integration-location').selectOption({ label: OWNER.locationName });
    await byTestId(pageA, 'integration-name').fill('iiko Доставка');
    await byTestId(pageA, 'integration-create-submit').click();
    await expectVisible(pageA, 'secret-dialog-iiko');
    const url = await text(pageA, 'secret-dialog-url');
    const token = await text(pageA, 'secret-dialog-secret');
    assert.match(new URL(url).pathname, /^\/webhooks\/iiko\/[0-9a-f-]{36}$/);
    await closeSecretDialog(pageA, token);
    const row = pageA.locator('[data-testid="integration-row"][data-name="iiko Доставка"]');
    await row.getByTestId('integration-iiko-login-missing').waitFor();
    // The new integration is selected: its iikoCloud card says no login yet.
    await pageA.locator('[data-testid="iiko-login-state"][data-set="false"]').waitFor();
    await byTestId(pageA, 'iiko-login-input').fill('not-the-login');
    await byTestId(pageA, 'iiko-login-save').click();
    await waitForText(pageA, 'iiko-login-input-error', (v) => v.includes('iikoCloud'), 'iikoCloud refusing the wrong login');
    await byTestId(pageA, 'iiko-login-input').fill(IIKO_LOGIN);
    await byTestId(pageA, 'iiko-login-save').click();
    await expectVisible(pageA, 'iiko-login-notice');
    await pageA.locator('[data-testid="iiko-login-state"][data-set="true"]').waitFor();
    await row.getByTestId('integration-iiko-login-missing').waitFor({ state: 'detached' });
    assert.equal(await byTestId(pageA, 'iiko-login-input').inputValue(), '', 'the login is not kept on screen');
    await shot(pageA, 'A-owner-iiko-login');

    // iiko posts a closed order for 2 000.00; iikoCloud has it at 1 000.00: the event is processed from iikoCloud's sum.
    const org = '7bc05553-4b68-44e8-b7bc-37be63c6d9e9';
    const orderId = `e2e00000-0000-4000-8000-${String(Date.now()).slice(-12)}`;
    const order = (sum) => ({ number: 7, status: 'Closed', sum, phone: GUEST.phone });
    IIKO_ORDERS.set(orderId, { id: orderId, organizationId: org, creationStatus: 'Success', errorInfo: null, order: order(1000) });
    const delivery = [{ eventType: 'DeliveryOrderUpdate', eventTime: '2026-11-21 10:00:00.000', organizationId: org, correlationId: 'e2e', eventInfo: { id: orderId, organizationId: org, creationStatus: 'Success', order: order(2000) } }];
    const res = await fetch(url.replace(/^https?:\/\/[^/]+/, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(delivery),
    });
    assert.equal(res.status, 200);
    const event = pageA.locator(`[data-testid="integration-event-row"][data-external-id="${org}:${orderId}"][data-status="PROCESSED"]`);
    await event.waitFor();
    await event.getByTestId('integration-event-check').waitFor();
    await shot(pageA, 'A-owner-iiko-event-processed');
    await byTestId(pageA, 'nav-integrations').click();
    await expectVisible(pageA, 'integrations-page');
  }, ['8g']);

  await step('8h. API keys: the owner creates a key with a scope (shown once), the key works, then it is revoked', async () => {
    await byTestId(pageA, 'nav-apiKeys').click();
    await expectVisible(pageA, 'api-keys-page');
    await expectVisible(pageA, 'api-keys-empty');
    // staff:manage and roles:manage are never offered
    assert.equal(await pageA.locator('[data-testid="api-key-scope-option"][data-scope="staff:manage"]').count(), 0);
    assert.equal(await pageA.locator('[data-testid="api-key-scope-option"][data-scope="roles:manage"]').count(), 0);
    await byTestId(pageA, 'api-key-name').fill('CRM');
    await byTestId(pageA, 'api-key-create-submit').click();
    await expectVisible(pageA, 'api-key-scopes-error'); // a scope is needed
    await pageA.locator('[data-testid="api-key-scope-option"][data-scope="guests:read"]').check();
    await byTestId(pageA, 'api-key-create-submit').click();
    await pageA.locator('[data-testid="secret-dialog"][data-what="apiKey"]').waitFor();
    const key = await text(pageA, 'secret-dialog-secret');
    await shot(pageA, 'A-owner-api-key-dialog');
    await closeSecretDialog(pageA, key);
    const row = pageA.locator('[data-testid="api-key-row"][data-name="CRM"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-active'), 'true');
    const prefix = (await row.getByTestId('api-key-prefix').textContent()).replace(/…$/, '');
    assert.ok(key.startsWith(prefix), `the key ${key.slice(0, 12)}… starts with the listed prefix ${prefix}`);
    assert.deepEqual(await row.getByTestId('api-key-scope').allTextContents(), ['guests:read']);

    const asPartner = async () => {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ guests(first: 1) { totalCount } }' }),
      });
      return res.json();
    };
    const ok = await asPartner();
    assert.ok(ok.data?.guests?.totalCount >= 1, `the key reads guests: ${JSON.stringify(ok)}`);

    await row.getByTestId('api-key-revoke').click(); // confirm() is accepted
    await pageA.locator('[data-testid="api-key-row"][data-name="CRM"][data-active="false"]').waitFor();
    assert.equal(await row.getByTestId('api-key-revoke').count(), 0);
    const refused = await asPartner();
    assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(refused));
    await shot(pageA, 'A-owner-api-key-revoked');
  }, ['8b']);

  await step('8i. the job queue page shows the counters and the dead letters', async () => {
    await byTestId(pageA, 'nav-jobs').click();
    await expectVisible(pageA, 'jobs-page');
    await expectVisible(pageA, 'jobs-stats');
    assert.match(await byTestId(pageA, 'jobs-stat-dead').getAttribute('data-value'), /^\d+$/);
    await pageA.locator('[data-testid="dead-jobs-empty"], [data-testid="dead-jobs-table"]').first().waitFor();
    await shot(pageA, 'A-owner-jobs');
  }, ['1']);

  await step('8j. webhooks: the owner adds an endpoint (secret once), sends a test ping, sees it delivered, redelivers it, disables the endpoint', async () => {
    // A local receiver that checks the Standard Webhooks signature with node:crypto.
    const received = [];
    let whsec = '';
    const receiver = createHttpServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const id = req.headers['webhook-id'];
        const ts = req.headers['webhook-timestamp'];
        const key = Buffer.from(whsec.replace(/^whsec_/, ''), 'base64');
        const expected = createHmac('sha256', key).update(`${id}.${ts}.${raw}`).digest('base64');
        const valid = String(req.headers['webhook-signature'] ?? '')
          .split(' ')
          .some((sig) => sig === `v1,${expected}`);
        received.push({ id, valid, body: raw });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('thanks');
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
    try {
      await byTestId(pageA, 'nav-webhooks').click();
      await expectVisible(pageA, 'webhooks-page');
      await expectVisible(pageA, 'webhooks-empty');
      await byTestId(pageA, 'webhook-url').fill(hookUrl);
      await byTestId(pageA, 'webhook-create-submit').click();
      await expectVisible(pageA, 'webhook-event-types-error'); // an event type is needed
      await pageA.locator('[data-testid="webhook-event-type"][data-type="check.processed"]').check();
      await byTestId(pageA, 'webhook-description').fill('CRM');
      await byTestId(pageA, 'webhook-create-submit').click();
      await pageA.locator('[data-testid="secret-dialog"][data-what="webhook"]').waitFor();
      whsec = await text(pageA, 'secret-dialog-secret');
      assert.match(whsec, /^whsec_/);
      await closeSecretDialog(pageA, whsec);
      const row = pageA.locator(`[data-testid="webhook-row"][data-url="${hookUrl}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('data-enabled'), 'true');

      await row.getByTestId('webhook-test').click();
      await expectVisible(pageA, 'webhook-delivery-log');
      const delivered = pageA.locator('[data-testid="webhook-delivery-row"][data-event-type="webhook.test"][data-status="SUCCEEDED"]');
      await reloadLogUntil(pageA, delivered);
      assert.ok(received.length >= 1 && received.every((r) => r.valid), `signed deliveries: ${JSON.stringify(received.map((r) => r.valid))}`);
      await delivered.first().getByTestId('webhook-delivery-toggle').click();
      await expectVisible(pageA, 'webhook-attempts');
      assert.ok((await text(pageA, 'webhook-attempts')).includes('200'));
      await shot(pageA, 'A-owner-webhook-delivered');

      // Redeliver: the same webhook-id again.
      const firstId = received[0].id;
      await delivered.first().getByTestId('webhook-redeliver').click();
      await expectVisible(pageA, 'webhook-log-notice');
      const deadline = Date.now() + UI_TIMEOUT;
      while (received.filter((r) => r.id === firstId).length < 2 && Date.now() < deadline) await pageA.waitForTimeout(200);
      assert.equal(received.filter((r) => r.id === firstId).length, 2, 'redelivered with the same webhook-id');

      await row.getByTestId('webhook-disable').click();
      await pageA.locator(`[data-testid="webhook-row"][data-url="${hookUrl}"][data-enabled="false"]`).waitFor();
      await shot(pageA, 'A-owner-webhooks');
    } finally {
      receiver.close();
    }
  }, ['1']);

  await step('9. context B: switching to English is applied and survives a reload', async () => {
    await byTestId(pageB, 'lang-en').click();
    assert.equal((await byTestId(pageB, 'nav-home').textContent())?.trim(), 'Home');
    await pageB.reload();
    await expectVisible(pageB, 'locations-page');
    assert.equal((await byTestId(pageB, 'nav-home').textContent())?.trim(), 'Home');
    assert.equal(await pageB.evaluate(() => document.documentElement.lang), 'en');
    await shot(pageB, 'B-cashier-english');
  }, ['7']);

  await step('10. context B: the cashier renames themselves and saves English as their language on the profile page', async () => {
    // Back to Russian first, so that the switch to English below is the profile's doing.
    await byTestId(pageB, 'lang-ru').click();
    assert.equal(await text(pageB, 'nav-home'), 'Главная');

    await byTestId(pageB, 'layout-user').click(); // the user's name in the header opens the profile
    await expectVisible(pageB, 'profile-page');
    assert.equal(new URL(pageB.url()).pathname, '/profile');
    assert.equal(await text(pageB, 'page-title'), 'Профиль');
    assert.equal(await text(pageB, 'profile-email'), CASHIER.email);
    assert.equal(await byTestId(pageB, 'profile-display-name').inputValue(), CASHIER.displayName);
    assert.equal(await byTestId(pageB, 'profile-locale').inputValue(), 'RU');
    await shot(pageB, 'B-cashier-profile');

    await byTestId(pageB, 'profile-display-name').fill(CASHIER.newDisplayName);
    await byTestId(pageB, 'profile-locale').selectOption('EN');
    await byTestId(pageB, 'profile-submit').click();
    await expectVisible(pageB, 'profile-saved');

    // The UI follows the saved language, the header shows the new name.
    assert.equal(await text(pageB, 'nav-home'), 'Home');
    assert.equal(await text(pageB, 'page-title'), 'Profile');
    assert.equal(await pageB.evaluate(() => document.documentElement.lang), 'en');
    assert.match(await text(pageB, 'layout-user'), new RegExp(`^${CASHIER.newDisplayName} · Cashier$`));
    await shot(pageB, 'B-cashier-profile-saved-english');

    // Saved on the server: a reload (session restore) shows the same.
    await pageB.reload();
    await expectVisible(pageB, 'profile-page');
    assert.equal(await byTestId(pageB, 'profile-display-name').inputValue(), CASHIER.newDisplayName);
    assert.equal(await byTestId(pageB, 'profile-locale').inputValue(), 'EN');
    assert.equal(await text(pageB, 'nav-home'), 'Home');
  }, ['9']);

  await step('11. context B: the cashier changes the password (wrong current one first, then a weak one, then right)', async () => {
    const before = await storedRefreshToken(pageB);
    assert.ok(before, 'signed in with a stored refresh token');

    // Client-side check: the repeat must match.
    await byTestId(pageB, 'password-current').fill(CASHIER.password);
    await byTestId(pageB, 'password-new').fill(CASHIER.newPassword);
    await byTestId(pageB, 'password-repeat').fill(`${CASHIER.newPassword}x`);
    await byTestId(pageB, 'password-submit').click();
    assert.equal(await text(pageB, 'password-repeat-error'), 'Passwords do not match.');

    // Wrong current password: the server's field error under "Current password".
    await byTestId(pageB, 'password-current').fill('Wrong-Passw0rd!e2e');
    await byTestId(pageB, 'password-repeat').fill(CASHIER.newPassword);
    await byTestId(pageB, 'password-submit').click();
    await expectVisible(pageB, 'password-current-error');
    assert.equal(await text(pageB, 'password-current-error'), 'The current password is wrong.');
    assert.equal(await byTestId(pageB, 'password-current').getAttribute('aria-invalid'), 'true');
    assert.equal(await byTestId(pageB, 'password-new-error').count(), 0);
    await shot(pageB, 'B-cashier-password-wrong-current');

    // Right current password, but the new one contains the e-mail name: the error goes under "New password".
    const weak = `Xx-${CASHIER.email.split('@')[0]}-9`;
    await byTestId(pageB, 'password-current').fill(CASHIER.password);
    await byTestId(pageB, 'password-new').fill(weak);
    await byTestId(pageB, 'password-repeat').fill(weak);
    await byTestId(pageB, 'password-submit').click();
    await expectVisible(pageB, 'password-new-error');
    assert.match(await text(pageB, 'password-new-error'), /^This password cannot be used: /);
    assert.equal(await byTestId(pageB, 'password-current-error').count(), 0);
    await shot(pageB, 'B-cashier-password-rejected-new');

    // Now right.
    await byTestId(pageB, 'password-new').fill(CASHIER.newPassword);
    await byTestId(pageB, 'password-repeat').fill(CASHIER.newPassword);
    await byTestId(pageB, 'password-submit').click();
    await expectVisible(pageB, 'password-changed');
    assert.equal(await byTestId(pageB, 'password-current').inputValue(), '', 'the form is cleared');
    const after = await storedRefreshToken(pageB);
    assert.ok(after && after !== before, 'the fresh session returned by changePassword is stored');
    await shot(pageB, 'B-cashier-password-changed');

    // The stored (new) refresh token restores the session; the old one would not.
    await pageB.reload();
    await expectVisible(pageB, 'profile-page');
  }, ['10']);

  await step('12. context B: log out; the old password is refused, the new one works', async () => {
    await logout(pageB);
    await byTestId(pageB, 'login-email').fill(CASHIER.email);
    await byTestId(pageB, 'login-password').fill(CASHIER.password);
    await byTestId(pageB, 'login-submit').click();
    await expectVisible(pageB, 'login-error');
    assert.equal(await byTestId(pageB, 'login-error').getAttribute('data-code'), 'UNAUTHENTICATED');

    await byTestId(pageB, 'login-password').fill(CASHIER.newPassword);
    await byTestId(pageB, 'login-submit').click();
    await expectVisible(pageB, 'home-page');
    assert.equal(await byTestId(pageB, 'home-role').getAttribute('data-role'), 'CASHIER');
    assert.equal(await text(pageB, 'home-welcome'), `Welcome, ${CASHIER.newDisplayName}!`);
    await shot(pageB, 'B-cashier-home-new-password');
  }, ['11']);

  await step('13. a fresh browser without a language choice opens in the cashier’s saved language (English)', async () => {
    const pageD = await newPage('D');
    try {
      await pageD.goto(`${baseUrl}/login`);
      await expectVisible(pageD, 'login-page');
      assert.equal(await pageD.evaluate(() => document.documentElement.lang), 'ru', 'Russian before sign-in');
      await login(pageD, { email: CASHIER.email, password: CASHIER.newPassword });
      await waitForText(pageD, 'nav-home', (s) => s === 'Home', 'the UI in English');
      assert.equal(await pageD.evaluate(() => document.documentElement.lang), 'en');
      // Adopted, not remembered as this browser's own choice.
      assert.equal(await pageD.evaluate((key) => window.localStorage.getItem(key), LOCALE_KEY), null);
      await shot(pageD, 'D-cashier-fresh-browser-english');
    } finally {
      await pageD.context().close();
    }
  }, ['12']);

  await step('14. context C: a second business signs up (its owner will also join the first one)', async () => {
    pageC = await newPage('C');
    await pageC.goto(`${baseUrl}/signup`);
    await expectVisible(pageC, 'signup-page');
    await byTestId(pageC, 'signup-business-name').fill(OWNER2.businessName);
    await byTestId(pageC, 'signup-location-name').fill(OWNER2.locationName);
    await byTestId(pageC, 'signup-currency').selectOption('KZT');
    await byTestId(pageC, 'signup-display-name').fill(OWNER2.displayName);
    await byTestId(pageC, 'signup-email').fill(OWNER2.email);
    await byTestId(pageC, 'signup-password').fill(OWNER2.password);
    await byTestId(pageC, 'signup-submit').click();
    await expectVisible(pageC, 'home-page');
    assert.equal(await text(pageC, 'home-tenant'), OWNER2.businessName);
    // One business: just its name, no switcher.
    await expectVisible(pageC, 'layout-tenant');
    assert.equal(await text(pageC, 'layout-tenant'), OWNER2.businessName);
    assert.equal(await byTestId(pageC, 'tenant-switch').count(), 0);
    await shot(pageC, 'C-owner2-home');
  }, []);

  let inviteOwner2Offset = 0;
  await step('15. context A: the first owner invites the second business’s owner as an admin', async () => {
    await pageA.goto(`${baseUrl}/staff`);
    await expectVisible(pageA, 'invite-form');
    await byTestId(pageA, 'invite-email').fill(OWNER2.email);
    await byTestId(pageA, 'invite-role').selectOption('ADMIN');
    inviteOwner2Offset = serverLog.length;
    await byTestId(pageA, 'invite-submit').click();
    await pageA.locator(`[data-testid="invitation-row"][data-email="${OWNER2.email}"][data-status="PENDING"]`).waitFor();
  }, ['3', '14']);

  await step('16. context C: the second owner accepts with their existing password and gets the business switcher', async () => {
    const m = await waitForMail(ACCEPT_LINK_RE, { fromOffset: inviteOwner2Offset, timeout: MAIL_TIMEOUT, what: 'the second invitation email' });
    await pageC.goto(`${baseUrl}/accept-invitation?token=${encodeURIComponent(m[1])}`);
    await expectVisible(pageC, 'accept-preview');
    assert.equal(await text(pageC, 'accept-email'), OWNER2.email);
    // Signed in here as the invited person: "I already have an account" is preselected, no name/repeat fields.
    // (the session is restored in parallel with the preview: wait for it)
    await pageC.locator('[data-testid="accept-existing"]:checked').waitFor();
    assert.equal(await byTestId(pageC, 'accept-display-name').count(), 0);
    assert.equal(await byTestId(pageC, 'accept-password-confirm').count(), 0);

    // A wrong password for the existing account is explained.
    await byTestId(pageC, 'accept-password').fill('Not-The-Passw0rd!');
    await byTestId(pageC, 'accept-submit').click();
    await expectVisible(pageC, 'accept-error');
    assert.equal(await byTestId(pageC, 'accept-error').getAttribute('data-code'), 'UNAUTHENTICATED');
    await shot(pageC, 'C-owner2-accept-existing-account');

    await byTestId(pageC, 'accept-password').fill(OWNER2.password);
    await byTestId(pageC, 'accept-submit').click();
    await expectVisible(pageC, 'home-page');
    assert.equal(await text(pageC, 'home-tenant'), OWNER.businessName, 'lands in the business that invited them');
    assert.equal(await byTestId(pageC, 'home-role').getAttribute('data-role'), 'ADMIN');
    assert.equal(await text(pageC, 'home-welcome'), `Добро пожаловать, ${OWNER2.displayName}!`, 'the existing name is kept');

    await expectVisible(pageC, 'tenant-switch');
    await waitForHeaderTenant(pageC, OWNER.businessName);
    const options = await byTestId(pageC, 'tenant-switch')
      .locator('option')
      .evaluateAll((els) => els.map((el) => el.textContent?.trim()).sort());
    assert.deepEqual(options, [OWNER.businessName, OWNER2.businessName].sort());
    await shot(pageC, 'C-owner2-in-first-business-with-switcher');
  }, ['15']);

  await step('17. context C: the switcher moves between the two businesses', async () => {
    const before = await storedRefreshToken(pageC);
    await byTestId(pageC, 'nav-staff').click(); // switching always lands on home
    await expectVisible(pageC, 'staff-page');

    await byTestId(pageC, 'tenant-switch').selectOption({ label: OWNER2.businessName });
    await waitForHeaderTenant(pageC, OWNER2.businessName);
    await expectVisible(pageC, 'home-page');
    assert.equal(new URL(pageC.url()).pathname, '/');
    await waitForText(pageC, 'home-tenant', (s) => s === OWNER2.businessName, 'home showing the second business');
    assert.equal(await byTestId(pageC, 'home-role').getAttribute('data-role'), 'OWNER');
    const after = await storedRefreshToken(pageC);
    assert.ok(after && after !== before, 'the new session’s refresh token is stored');
    await shot(pageC, 'C-owner2-switched-to-own-business');

    // The stored session is the new business's: a reload stays there.
    await pageC.reload();
    await expectVisible(pageC, 'home-page');
    await waitForHeaderTenant(pageC, OWNER2.businessName);
    assert.equal(await text(pageC, 'home-tenant'), OWNER2.businessName);

    // And back.
    await byTestId(pageC, 'tenant-switch').selectOption({ label: OWNER.businessName });
    await waitForHeaderTenant(pageC, OWNER.businessName);
    await waitForText(pageC, 'home-tenant', (s) => s === OWNER.businessName, 'home showing the first business');
    assert.equal(await byTestId(pageC, 'home-role').getAttribute('data-role'), 'ADMIN');
    await shot(pageC, 'C-owner2-switched-back');
  }, ['16']);

  await step('18. context C: header with the switcher and the profile page on a phone-sized screen', async () => {
    await pageC.setViewportSize({ width: 390, height: 844 });
    try {
      await expectVisible(pageC, 'tenant-switch');
      await shot(pageC, 'C-narrow-home');
      await byTestId(pageC, 'layout-user').click();
      await expectVisible(pageC, 'profile-page');
      // nothing wider than the screen
      const overflow = await pageC.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await shot(pageC, 'C-narrow-profile');

      // The cashier screen on a phone: one column, nothing wider than the screen.
      await byTestId(pageC, 'nav-cashier').click();
      await expectVisible(pageC, 'cashier-query');
      const cashierOverflow = await pageC.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(cashierOverflow <= 0, `the cashier screen scrolls sideways by ${cashierOverflow}px`);
      await shot(pageC, 'C-narrow-cashier');
    } finally {
      await pageC.setViewportSize({ width: 1280, height: 860 });
    }
  }, ['17']);
});

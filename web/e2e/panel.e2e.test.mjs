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
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
};

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
  const env = {
    ...process.env,
    MAXLOYALTY_PORT: '0',
    MAXLOYALTY_HOST: '127.0.0.1',
    DATABASE_URL: `sqlite://${join(tempDir, 'e2e.db')}?mode=rwc`,
    MAXLOYALTY_WEB_DIR: DIST_DIR,
    MAXLOYALTY_ENV: 'development',
    RUST_LOG: 'info',
    NO_COLOR: '1',
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

async function navIds(page) {
  return byTestId(page, 'nav')
    .locator('[data-testid^="nav-"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
}

// ---------------------------------------------------------------- lifecycle

before(async () => {
  rmSync(RESULTS_DIR, { recursive: true, force: true }); // only this run's screenshots
  mkdirSync(RESULTS_DIR, { recursive: true });
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
    assert.deepEqual(await navIds(pageA), ['nav-home', 'nav-staff', 'nav-locations', 'nav-roles', 'nav-audit']);
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
  await step('4. read the invitation token from the server log', async () => {
    const m = await waitForLog(ACCEPT_LINK_RE, { fromOffset: inviteLogOffset, timeout: MAIL_TIMEOUT, what: 'the invitation email with the accept link' });
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

    // Typing the address of a forbidden page shows the no-access view (full page load).
    await pageB.goto(`${baseUrl}/staff`);
    await expectVisible(pageB, 'no-access');
    assert.equal(await byTestId(pageB, 'staff-page').count(), 0);
    await shot(pageB, 'B-cashier-staff-no-access');
    for (const path of ['/roles', '/audit']) {
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
    await pageA.locator(`[data-testid="staff-row"][data-email="${CASHIER.email}"][data-role="CASHIER"]`).waitFor();
    await pageA.locator(`[data-testid="invitation-row"][data-email="${CASHIER.email}"][data-status="ACCEPTED"]`).waitFor();
    await shot(pageA, 'A-owner-staff-after-accept');

    await byTestId(pageA, 'nav-roles').click();
    await expectVisible(pageA, 'roles-matrix');
    await shot(pageA, 'A-owner-roles');

    await byTestId(pageA, 'nav-audit').click();
    await expectVisible(pageA, 'audit-table');
    await shot(pageA, 'A-owner-audit');
  }, ['5']);

  await step('9. context B: switching to English is applied and survives a reload', async () => {
    await byTestId(pageB, 'lang-en').click();
    assert.equal((await byTestId(pageB, 'nav-home').textContent())?.trim(), 'Home');
    await pageB.reload();
    await expectVisible(pageB, 'locations-page');
    assert.equal((await byTestId(pageB, 'nav-home').textContent())?.trim(), 'Home');
    assert.equal(await pageB.evaluate(() => document.documentElement.lang), 'en');
    await shot(pageB, 'B-cashier-english');
  }, ['7']);
});

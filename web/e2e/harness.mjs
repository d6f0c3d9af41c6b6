// Shared helpers for the browser tests: start the REAL server binary (fresh SQLite database in a
// temp dir, random port, web/dist as the static root), drive Debian's chromium through
// playwright-core, talk GraphQL over fetch. Extracted from panel.e2e.test.mjs for miniapp.e2e.test.mjs.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(HERE, '..');
export const DIST_DIR = join(WEB_DIR, 'dist');
export const RESULTS_DIR = join(WEB_DIR, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const SERVER_START_TIMEOUT = 180_000;
export const UI_TIMEOUT = 45_000;
export const NAV_TIMEOUT = 90_000;
const LISTENING_RE = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** The server process: `start()`, `baseUrl`, `log`, `waitForLog()`, `stop(logFile)`. */
export function createServer() {
  const self = { log: '', baseUrl: null, exited: null };
  const waiters = new Set();
  let proc;
  let tempDir;

  const notify = () => {
    for (const check of waiters) check();
  };

  self.waitForLog = (re, { fromOffset = 0, timeout, what }) =>
    new Promise((resolvePromise, reject) => {
      const check = () => {
        const m = re.exec(self.log.slice(fromOffset));
        if (m) {
          cleanup();
          resolvePromise(m);
        } else if (self.exited) {
          cleanup();
          reject(new Error(`server exited (${self.exited}) while waiting for ${what}\n--- server log tail ---\n${self.log.slice(-4000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeout} ms waiting for ${what}\n--- server log tail ---\n${self.log.slice(-4000)}`));
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  self.kill = () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-proc.pid, 'SIGKILL'); // the process group we created (detached)
      } catch {
        try {
          proc.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };

  self.start = async () => {
    const bin = process.env.MAXLOYALTY_BIN;
    if (!bin) throw new Error('MAXLOYALTY_BIN is not set, e.g. MAXLOYALTY_BIN=/root/.cache/maxloyalty/target/debug/maxloyalty npm run e2e');
    if (!existsSync(bin) || !statSync(bin).isFile()) throw new Error(`MAXLOYALTY_BIN=${bin} does not exist. Build the server first.`);
    if (!existsSync(join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html is missing: run \`npm run build\` first.`);
    process.on('exit', self.kill);
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
    proc = spawn(bin, [], { env, cwd: tempDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const onOutput = (chunk) => {
      self.log += stripAnsi(chunk.toString('utf8'));
      notify();
    };
    proc.stdout.on('data', onOutput);
    proc.stderr.on('data', onOutput);
    proc.on('error', (err) => {
      self.exited = `spawn error: ${err.message}`;
      notify();
    });
    proc.on('exit', (code, signal) => {
      self.exited = `code ${code}, signal ${signal}`;
      notify();
    });
    const m = await self.waitForLog(LISTENING_RE, { timeout: SERVER_START_TIMEOUT, what: '"listening on http://127.0.0.1:<port>"' });
    self.baseUrl = `http://127.0.0.1:${m[1]}`;
  };

  self.stop = async (logFile) => {
    self.kill();
    if (proc && self.exited === null) {
      await new Promise((r) => {
        proc.once('exit', r);
        setTimeout(r, 5_000);
      });
    }
    if (proc && logFile) writeFileSync(logFile, self.log);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };

  /** POST a GraphQL operation; throws on `errors` (with `.code` = extensions.code). */
  self.gql = async (query, variables = {}, token = null) => {
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${self.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await res.json();
    if (body.errors?.length) {
      const err = new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
      err.code = body.errors[0]?.extensions?.code;
      throw err;
    }
    return body.data;
  };

  return self;
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: NAV_TIMEOUT,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new context + page that logs page errors; `contextOptions` e.g. a mobile viewport. */
export async function newPage(browser, name, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'ru-RU', ...contextOptions });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[${name}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`[${name}] console error: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => void dialog.accept());
  return page;
}

/** Full-page screenshots numbered within one test file: `<prefix>-NN-<name>.png`. */
export function screenshotter(prefix) {
  let n = 0;
  return async (page, name) => {
    if (!page || page.isClosed()) return;
    n += 1;
    const file = join(RESULTS_DIR, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
    } catch (err) {
      console.log(`screenshot ${file} failed: ${err.message}`);
    }
  };
}

export const byTestId = (page, id) => page.getByTestId(id);

export async function expectVisible(page, id) {
  await byTestId(page, id).first().waitFor({ state: 'visible' });
}

export async function text(page, id) {
  return ((await byTestId(page, id).first().textContent()) ?? '').trim();
}

/** Waits until the test id's text satisfies `check`. */
export async function waitForText(page, id, check, what) {
  const deadline = Date.now() + UI_TIMEOUT;
  let last = '';
  while (Date.now() < deadline) {
    last = (await byTestId(page, id).count()) > 0 ? await text(page, id) : '';
    if (check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; [data-testid=${id}] text is ${JSON.stringify(last)}`);
}

/** Telegram Mini App initData signed like Telegram: HMAC_SHA256(HMAC_SHA256("WebAppData", token), data_check_string). */
export function signInitData(fields, botToken) {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(dataCheckString).digest('hex');
  return Object.entries({ ...fields, hash })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
}

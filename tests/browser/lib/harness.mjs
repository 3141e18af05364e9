// Shared set-up for the browser tests: start `redflag serve` on a free loopback port with a
// throw-away SQLite database and token, launch Debian's headless Chromium, and save screenshots.
//
// Nothing here builds anything: the server binary comes from REDFLAG_BIN (default
// target/debug/redflag, relative paths taken from the repository root) and the browser from
// CHROMIUM_PATH (default /usr/bin/chromium).

import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'target', 'browser-screenshots');

/** The fixture file's text. */
export function fixture(path) {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

/** The `[[case]]` tables of tests/fixtures/expected.toml (only the flat string keys we need). */
export function expectedCases() {
  const cases = [];
  let current = null;
  for (const raw of fixture('expected.toml').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '[[case]]') {
      current = {};
      cases.push(current);
    } else if (current) {
      const m = /^(\w+)\s*=\s*"([^"]*)"$/.exec(line);
      if (m) current[m[1]] = m[2];
    }
  }
  return cases;
}

/** The first fixture in `dir` (e.g. "sms", "email") whose expected verdict is `verdict`. */
export function fixtureWithVerdict(dir, verdict, { prefer } = {}) {
  const cases = expectedCases().filter(
    (c) => c.file?.startsWith(`${dir}/`) && c.verdict === verdict,
  );
  const pick = (prefer && cases.find((c) => c.file === prefer)) || cases[0];
  if (!pick) throw new Error(`no ${dir} fixture with expected verdict ${verdict} in expected.toml`);
  return pick;
}

function serverBinary() {
  const bin = process.env.REDFLAG_BIN || 'target/debug/redflag';
  const path = isAbsolute(bin) ? bin : join(REPO_ROOT, bin);
  if (!existsSync(path)) {
    throw new Error(
      `redflag binary not found at ${path}: build it first (cargo build -p redflag-cli) or set REDFLAG_BIN`,
    );
  }
  return path;
}

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Start `redflag serve` and wait until GET / answers. Returns
 * { baseURL, token, dbPath, pid, stop(), log() }.
 */
export async function startServer({ extraArgs = [] } = {}) {
  const bin = serverBinary();
  const dir = mkdtempSync(join(tmpdir(), 'redflag-browser-'));
  const dbPath = join(dir, 'redflag.sqlite');
  // Hex: a base64url token can start with '-' and be read as an option.
  const token = randomBytes(18).toString('hex');
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  const args = ['serve', '--addr', addr, '--db', dbPath, '--token', token, '--rate-limit', '0', ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitedPromise = new Promise((ok) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      ok(exited);
    }),
  );

  const baseURL = `http://${addr}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redflag serve exited early (${JSON.stringify(exited)}):\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redflag serve did not answer on ${baseURL} within 60 s:\n${output}`);
    }
    await sleep(100);
  }

  return {
    baseURL,
    token,
    dbPath,
    pid: child.pid,
    log: () => output,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
      return exited;
    },
  };
}

/** Launch Debian's Chromium headless (playwright-core never downloads a browser). */
/**
 * One server and one browser for a test file: registers node:test `before` and `after` hooks
 * and returns an object whose `server` and `browser` are set once `before` has run. At the
 * end the browser closes and the server gets SIGTERM; an unclean exit prints its log.
 */
export function serverAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    const exit = await env.server?.stop();
    if (exit && exit.signal !== 'SIGTERM' && exit.code !== 0) {
      console.log(`redflag serve exited with ${JSON.stringify(exit)}; its log:\n${env.server.log()}`);
    }
  });
  return env;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    // This machine has no network but the package registries: keep Chromium from trying
    // (Google lookups, component updates, sync), which otherwise refuses many connections.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    headless: true,
  });
}

/**
 * A fresh context and page that records what a person would not see: dialogs, page errors,
 * console errors, and every request that leaves the server's origin.
 */
export async function openPage(browser, baseURL, contextOptions = {}) {
  const context = await browser.newContext({
    baseURL,
    acceptDownloads: true,
    viewport: { width: 1000, height: 800 },
    ...contextOptions,
  });
  const page = await context.newPage();
  const seen = { dialogs: [], pageErrors: [], consoleErrors: [], foreignRequests: [] };
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  const origin = new URL(baseURL).origin;
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
      seen.foreignRequests.push(url);
    }
  });
  return { context, page, seen };
}

/** Save a full-page screenshot to target/browser-screenshots/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Click the check button and wait for the result page (or the form again with an error). */
export async function submitCheck(page) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#check-button')]);
  await page.waitForSelector('#verdict, #form-error');
}

/** Digits only, for comparing phone numbers whatever their formatting. */
export function digits(s) {
  return String(s).replace(/\D+/g, '');
}

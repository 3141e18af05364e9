// `redflag scan --out report.html` (issue 14): the report opens from disk in headless Debian
// Chromium, shows its charts (inline SVG) and a link from every flagged message to its red
// flags, runs no script, loads nothing, and a hostile subject or sender shows as text.
//
// Nothing here starts a server: the binary (REDFLAG_BIN) writes the report into a temporary
// folder and the page is opened with file://.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, REPO_ROOT, fixture, launchBrowser, screenshot } from './lib/harness.mjs';

/** A subject and a sender that would run script if the report did not escape them. */
const HOSTILE_SUBJECT =
  '<script>window.__pwned = "subject"; alert(1)</script><img src=x onerror="window.__pwned=\'img\'"> Your account is locked';
const HOSTILE_NAME = "</title><script>window.__pwned = 'sender'</script><svg onload=window.__pwned='svg'>";

function redflagBin() {
  const bin = process.env.REDFLAG_BIN || 'target/debug/redflag';
  const path = isAbsolute(bin) ? bin : join(REPO_ROOT, bin);
  if (!existsSync(path)) {
    throw new Error(`redflag binary not found at ${path}: build it (cargo build -p redflag-cli) or set REDFLAG_BIN`);
  }
  return path;
}

/** The account-locked scam with the hostile subject and sender name. */
function hostileEml() {
  return fixture('email/scam-account-locked.eml')
    .split(/\r?\n/)
    .map((line) => {
      if (line.startsWith('Subject:')) return `Subject: ${HOSTILE_SUBJECT}`;
      if (line.startsWith('From:')) return `From: "${HOSTILE_NAME}" <account-update@amazon-accounts-secure.com>`;
      return line;
    })
    .join('\r\n');
}

const env = { dir: undefined, report: undefined, run: undefined, browser: undefined };

before(async () => {
  env.dir = mkdtempSync(join(tmpdir(), 'redflag-scan-browser-'));
  const extra = join(env.dir, 'hostile');
  mkdirSync(extra);
  writeFileSync(join(extra, 'hostile.eml'), hostileEml());
  env.report = join(env.dir, 'report.html');
  env.run = spawnSync(redflagBin(), ['scan', '--quiet', FIXTURES, extra, '--out', env.report], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  if (env.dir) rmSync(env.dir, { recursive: true, force: true });
});

/** Opens the report from disk; records dialogs, page errors and every request. */
async function openReport(contextOptions = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const seen = { dialogs: [], pageErrors: [], requests: [] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('request', (r) => seen.requests.push(r.url()));
  await page.goto(pathToFileURL(env.report).href, { waitUntil: 'load' });
  return { context, page, seen };
}

describe('redflag scan --out report.html', () => {
  test('the scan exits 1 (messages flagged) and writes the report', () => {
    assert.equal(env.run.error, undefined, String(env.run.error));
    assert.equal(env.run.status, 1, `exit ${env.run.status}\n${env.run.stdout}\n${env.run.stderr}`);
    assert.match(env.run.stdout, /Verdicts/);
    assert.ok(existsSync(env.report));
    const html = readFileSync(env.report, 'utf8');
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/,
    );
    assert.doesNotMatch(html, /<script/i, 'the report has a script element');
    assert.doesNotMatch(html, /<link\b|<iframe|<object|<embed|@import|url\(/i, 'the report loads something');
  });

  test('charts, counts and a link from every flagged message to its red flags', async () => {
    const { context, page, seen } = await openReport();
    try {
      for (const id of ['#verdict-chart', '#scenario-chart', '#rule-chart', '#time-chart']) {
        const svg = page.locator(`${id} svg`);
        assert.equal(await svg.count(), 1, `${id} has no chart`);
        const box = await svg.boundingBox();
        assert.ok(box && box.width > 300 && box.height > 40, `${id} is not drawn: ${JSON.stringify(box)}`);
        assert.ok((await page.locator(`${id} svg rect`).count()) > 1, `${id} has no bars`);
        assert.ok((await page.locator(`${id} svg text`).count()) > 1, `${id} has no labels`);
      }
      const flagged = Number(await page.textContent('#count-flagged'));
      assert.ok(flagged >= 20, `only ${flagged} flagged`);
      const scam = Number(await page.textContent('#count-scam'));
      const suspicious = Number(await page.textContent('#count-suspicious'));
      assert.equal(scam + suspicious, flagged);
      const links = page.locator('a.flagged-link');
      assert.equal(await links.count(), flagged);
      // Every link leads to a section listing red flags with their rule IDs.
      const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of targets) {
        assert.match(href, /^#m-\d+$/);
        const rules = await page.locator(`${href} li[data-rule]`).count();
        assert.ok(rules >= 1, `${href} has no red flags`);
      }
      // Following a link scrolls to its message.
      await links.nth(3).click();
      assert.equal(new URL(page.url()).hash, targets[3]);
      assert.ok(await page.locator(targets[3]).isVisible());
      const inView = await page.locator(targets[3]).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= -1 && r.top < window.innerHeight;
      });
      assert.ok(inView, 'the link did not scroll to the message');
      await page.evaluate(() => window.scrollTo(0, 0));
      const path = await screenshot(page, 'scan-report');
      assert.ok(existsSync(path));
      assert.deepEqual(seen.pageErrors, []);
      const foreign = seen.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'));
      assert.deepEqual(foreign, [], 'the report loaded something');
    } finally {
      await context.close();
    }
  });

  for (const bypassCSP of [false, true]) {
    test(`a hostile subject and sender stay text (CSP ${bypassCSP ? 'bypassed: escaping alone' : 'enforced'})`, async () => {
      const { context, page, seen } = await openReport({ bypassCSP });
      try {
        await page.waitForTimeout(300);
        assert.equal(await page.evaluate(() => window.__pwned), undefined, 'a hostile payload ran');
        assert.deepEqual(seen.dialogs, []);
        assert.equal(await page.locator('script').count(), 0);
        assert.equal(await page.locator('img').count(), 0);
        assert.equal(await page.locator('[onerror], [onload]').count(), 0);
        // The payload is shown as the text it is, in the list and in the message's section.
        const cell = page.locator('#flagged-table td', { hasText: '<script>window.__pwned = "subject"' });
        assert.equal(await cell.count(), 1, 'the hostile subject is not shown as text');
        const section = page.locator('section.message', { hasText: HOSTILE_SUBJECT });
        assert.equal(await section.count(), 1);
        assert.ok((await section.textContent()).includes(HOSTILE_NAME));
        assert.equal(await page.title(), 'redflag scan report');
        const foreign = seen.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'));
        assert.deepEqual(foreign, []);
      } finally {
        await context.close();
      }
    });
  }
});

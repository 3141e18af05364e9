// The check page as a person uses it, in headless Debian Chromium: paste or upload a message,
// read the verdict, the red flags and the advice, download the report for Amazon. Also what a
// hostile message must not do to the page, the page without JavaScript, and with the keyboard.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  FIXTURES,
  fixture,
  expectedCases,
  fixtureWithVerdict,
  openPage,
  screenshot,
  serverAndBrowser,
  submitCheck,
} from './lib/harness.mjs';

const env = serverAndBrowser();

/** The script directive of a Content-Security-Policy header, or null. */
function scriptDirective(csp) {
  const directives = Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
  return directives['script-src'] ?? directives['default-src'] ?? null;
}

function assertStrictCsp(response, what) {
  const csp = response.headers()['content-security-policy'];
  assert.ok(csp, `${what}: no Content-Security-Policy header`);
  const script = scriptDirective(csp);
  assert.ok(script, `${what}: CSP has neither script-src nor default-src: ${csp}`);
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
    assert.ok(!script.includes(bad), `${what}: CSP script sources allow ${bad}: ${csp}`);
  }
}

/** No inline script, no inline event handlers, no javascript: URLs in the current page. */
async function assertNoInlineScript(page, what) {
  const found = await page.evaluate(() => {
    const out = [];
    for (const s of document.querySelectorAll('script')) {
      if (!s.src) out.push(`inline <script>: ${s.textContent.slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) out.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
        const isUrl = ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name.toLowerCase());
        if (isUrl && /^\s*javascript:/i.test(a.value)) out.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
      }
    }
    return out;
  });
  assert.deepEqual(found, [], `${what}: inline script in the page`);
}

/** What the verdict box says: { verdict, role, label }. */
async function verdictOf(page) {
  return page.$eval('#verdict', (el) => ({
    verdict: el.dataset.verdict,
    role: el.getAttribute('role'),
    label: el.innerText.trim(),
  }));
}

/** Element descendants of #message-text other than <mark>. */
async function nonMarkElementsInMessage(page) {
  return page.$eval('#message-text', (pre) =>
    Array.from(pre.querySelectorAll('*'))
      .filter((el) => el.tagName !== 'MARK')
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

function assertNoSurprises(seen, what) {
  assert.deepEqual(seen.dialogs, [], `${what}: a dialog opened`);
  assert.deepEqual(seen.pageErrors, [], `${what}: page errors`);
  assert.deepEqual(seen.foreignRequests, [], `${what}: requests left the server (external assets)`);
}

describe('check page', () => {
  test('the form has every field of the page contract, a strict CSP and no external assets', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      const res = await page.goto('/');
      assert.equal(res.status(), 200);
      assertStrictCsp(res, 'GET /');
      await screenshot(page, 'form');

      const form = await page.$eval('#check-form', (f) => ({
        method: f.getAttribute('method')?.toLowerCase(),
        action: new URL(f.action).pathname,
        enctype: f.enctype,
      }));
      assert.deepEqual(form, { method: 'post', action: '/check', enctype: 'multipart/form-data' });

      const fields = {
        '#message': 'message',
        '#file': 'file',
        '#sender': 'sender',
        '#orders-file': 'orders_file',
        '#order-numbers': 'order_numbers',
      };
      for (const [sel, name] of Object.entries(fields)) {
        assert.equal(await page.getAttribute(sel, 'name'), name, `${sel} name`);
      }
      assert.equal(await page.getAttribute('#file', 'type'), 'file');
      assert.equal(await page.getAttribute('#orders-file', 'type'), 'file');

      for (const [id, value] of [
        ['channel-auto', 'auto'],
        ['channel-email', 'email'],
        ['channel-sms', 'sms'],
        ['channel-chat', 'chat'],
        ['channel-call', 'call'],
      ]) {
        const radio = await page.$eval(`#${id}`, (r) => ({ type: r.type, name: r.name, value: r.value }));
        assert.deepEqual(radio, { type: 'radio', name: 'channel', value }, `#${id}`);
      }
      assert.equal(await page.isChecked('#channel-auto'), true, 'auto is the default channel');

      const button = await page.$eval('#check-button', (b) => ({ type: b.type, text: b.innerText.trim() }));
      assert.deepEqual(button, { type: 'submit', text: 'Check this message' });

      await assertNoInlineScript(page, 'GET /');
      assertNoSurprises(seen, 'GET /');
    } finally {
      await context.close();
    }
  });

  test('a pasted scam SMS is a scam, with red flags, highlights, advice and what to do if you already answered', async () => {
    const sms = fixtureWithVerdict('sms', 'scam', { prefer: 'sms/scam-account-suspended-call.txt' });
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.fill('#message', fixture(sms.file));
      await page.check('#channel-sms');
      if (sms.from) await page.fill('#sender', sms.from);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        submitCheck(page),
      ]);
      assertStrictCsp(res, 'POST /check');
      await screenshot(page, 'scam-sms');

      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      const v = await verdictOf(page);
      assert.equal(v.verdict, 'scam', `verdict for ${sms.file}`);
      assert.equal(v.role, 'status');
      assert.match(v.label, /\bScam\b/);

      const findings = await page.$$eval('#findings li.finding', (lis) => lis.map((li) => li.dataset.rule));
      assert.ok(findings.length >= 1, 'no li.finding');
      assert.ok(findings.every((r) => /^[A-Z]{3}\d{3}$/.test(r)), `finding rule ids: ${findings}`);

      const marks = await page.$$eval('#message-text mark', (ms) => ms.map((m) => m.dataset.rule));
      assert.ok(marks.length >= 1, 'no <mark> in #message-text');
      assert.ok(marks.every((r) => findings.includes(r)), `marks ${marks} name rules not in findings ${findings}`);
      assert.deepEqual(await nonMarkElementsInMessage(page), []);

      assert.ok((await page.innerText('#advice')).trim().length > 20, '#advice is empty');
      assert.ok((await page.innerText('#already')).trim().length > 20, '#already is empty');
      assert.equal(await page.$('#orders-check'), null, '#orders-check without an order history');
      assert.equal(await page.$('#save-case'), null, '#save-case shown to someone not logged in');

      // The reports a person sends themselves.
      assert.ok(await page.$('#reports #report-amazon'), 'no #report-amazon form');
      const ftc = await page.$eval('#report-ftc-text', (t) => ({ readOnly: t.readOnly, value: t.value }));
      assert.ok(ftc.readOnly, '#report-ftc-text is not readonly');
      assert.ok(ftc.value.trim().length > 20, '#report-ftc-text is empty');
      assert.ok(await page.$('#copy-ftc'), 'no #copy-ftc button');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.baseURL });
      await page.click('#copy-ftc');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied.trim(), ftc.value.trim(), '#copy-ftc did not copy the FTC text');
      assert.ok(await page.$('#report-sms7726'), 'no #report-sms7726');
      assert.ok(await page.$('#report-hotline'), 'no #report-hotline');

      await assertNoInlineScript(page, 'result page');
      assertNoSurprises(seen, 'scam SMS');
    } finally {
      await context.close();
    }
  });

  test('a Japanese scam text gets its verdict, advice and reporting bodies in Japanese, for Japan', async () => {
    const { context, page } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.fill(
        '#message',
        '【Amazon】お客様のアカウントは一時的に停止されました。24時間以内に以下のURLから情報を更新してください。https://amazon-jp-verify.xyz/login',
      );
      await page.check('#channel-sms');
      await submitCheck(page);
      await screenshot(page, 'scam-sms-ja');
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      const v = await verdictOf(page);
      assert.equal(v.verdict, 'scam');
      assert.match(v.label, /詐欺/);
      const steps = await page.$$eval('#advice li', (lis) => lis.map((li) => li.textContent));
      assert.ok(steps.some((s) => s.includes('電話')), `advice not in Japanese: ${steps}`);
      assert.equal(await page.getAttribute('#local-reports', 'data-country'), 'JP');
      const to = await page.$$eval('#local-reports li.local-report', (lis) => lis.map((li) => li.dataset.to));
      assert.ok(to.includes('amazon'), `reports: ${to}`);
      assert.equal(await page.$('#report-ftc-text'), null, 'a US report on a Japanese page');
      const text = await page.textContent('#local-reports');
      assert.ok(text.includes('188'), 'the national consumer hotline 188 is listed');
    } finally {
      await context.close();
    }
  });

  test('an uploaded scam email is a scam, highlighted, and the Amazon report downloads an .eml', async () => {
    const eml = 'email/scam-account-locked.eml';
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.setInputFiles('#file', join(FIXTURES, eml));
      await submitCheck(page);
      await screenshot(page, 'scam-email');

      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      const v = await verdictOf(page);
      assert.equal(v.verdict, 'scam');
      assert.match(v.label, /\bScam\b/);
      const findings = await page.$$eval('#findings li.finding', (lis) => lis.map((li) => li.dataset.rule));
      const must = expectedCases().find((c) => c.file === eml);
      assert.ok(must, `${eml} is not in expected.toml`);
      // The clear rules of this fixture (expected.toml `must`) show up as findings.
      for (const rule of ['SND002', 'LNK001']) {
        assert.ok(findings.includes(rule), `${rule} not among findings ${findings}`);
      }
      assert.ok((await page.$$('#message-text mark')).length >= 1, 'no highlights');
      assert.deepEqual(await nonMarkElementsInMessage(page), []);
      assert.equal(await page.$('#message-text a'), null, 'a link in the message is clickable');

      const button = await page.$('#report-amazon [type=submit], #report-amazon button');
      assert.ok(button, 'no submit button in #report-amazon');
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const name = download.suggestedFilename();
      assert.match(name, /\.eml$/, `downloaded file name ${name}`);
      const path = await download.path();
      const body = readFileSync(path, 'utf8');
      assert.match(body, /stop-spoofing@amazon\.com/i, 'the report is not addressed to stop-spoofing@amazon.com');
      assert.match(body, /message\/rfc822/i, 'the original email is not attached as message/rfc822');
      assert.match(body, /amazon-accounts-secure\.com/, 'the attached original is not the uploaded email');

      assertNoSurprises(seen, 'scam email');
    } finally {
      await context.close();
    }
  });

  test('with order numbers from Your Orders, the result checks the order the message names', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.setInputFiles('#file', join(FIXTURES, 'email/scam-account-locked.eml'));
      // Not the order the scam names (112-4938201-5528917): that order is not in the history.
      await page.fill('#order-numbers', '113-2046810-1357913\n114-9876543-2109876');
      await submitCheck(page);
      await screenshot(page, 'orders-check');
      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      assert.ok(await page.$('#orders-check'), 'no #orders-check although order numbers were given');
      const text = await page.innerText('#orders-check');
      assert.ok(text.trim().length > 10, '#orders-check is empty');
      assert.match(text, /112-4938201-5528917/, '#orders-check does not name the order from the message');
      assertNoSurprises(seen, 'orders check');
    } finally {
      await context.close();
    }
  });

  test('a genuine Amazon email shows "No red flags found" and the signs that it is genuine', async () => {
    const clean = expectedCases().find(
      (c) => c.file?.startsWith('email/') && /amazon/.test(c.file) && c.verdict === 'clean',
    );
    assert.ok(clean, 'no genuine Amazon email with verdict clean in expected.toml');
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.setInputFiles('#file', join(FIXTURES, clean.file));
      await submitCheck(page);
      await screenshot(page, 'clean-email');

      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      const v = await verdictOf(page);
      assert.equal(v.verdict, 'clean', `verdict for ${clean.file}`);
      assert.match(v.label, /No red flags found/i);
      assert.doesNotMatch(v.label, /\bsafe\b/i, 'redflag never calls a message safe');
      assert.deepEqual(await nonMarkElementsInMessage(page), [], 'the email HTML was rendered');
      assert.equal(await page.$('#message-text a'), null, 'a link in the message is clickable');
      // What speaks for the message is shown in words, each sign with its rule.
      const signs = await page.$$eval('#genuine-signs li.genuine-sign', (lis) =>
        lis.map((li) => ({ rule: li.dataset.rule, text: li.innerText })),
      );
      assert.ok(signs.length >= 1, 'no #genuine-signs li.genuine-sign for a genuine email');
      assert.ok(signs.every((s) => /^GEN\d{3}$/.test(s.rule)), `sign rule ids: ${signs.map((s) => s.rule)}`);
      assert.ok(
        signs.some((s) => /links go only to amazon\.com/.test(s.text)),
        `no "links go only to amazon.com" in ${JSON.stringify(signs)}`,
      );
      assertNoSurprises(seen, 'clean email');
    } finally {
      await context.close();
    }
  });

  test('a message full of script, event handlers and javascript: links runs nothing and shows as text', async () => {
    const payloads = [
      '<script>window.__pwned=1</script>',
      '<img src=x onerror="window.__pwned=1">',
      '<a href="javascript:window.__pwned=1">verify your account</a>',
      'javascript:window.__pwned=1',
      '"><svg onload=window.__pwned=1>',
      "'><script>alert(document.domain)</script>",
      '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    ];
    const message =
      'Amazon Security: your account is locked. Call 1-888-555-0199 now or verify at ' +
      'http://amazon-verify-login.top/x ' +
      payloads.join(' ');
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.fill('#message', message);
      await page.fill('#sender', '"><svg onload=window.__pwned=1>');
      await submitCheck(page);
      await page.waitForTimeout(300); // let any onerror/onload that slipped through fire
      await screenshot(page, 'injection');

      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'the payload ran');
      assert.deepEqual(seen.dialogs, [], 'a dialog opened');
      assert.deepEqual(await nonMarkElementsInMessage(page), [], '#message-text has elements besides <mark>');
      const shown = await page.innerText('#message-text');
      for (const p of payloads) {
        assert.ok(shown.includes(p), `payload not shown as text: ${p}`);
      }
      const injected = await page.evaluate(() => ({
        imgX: document.querySelectorAll('img[src="x"]').length,
        svgOnload: document.querySelectorAll('svg[onload]').length,
        iframes: document.querySelectorAll('iframe').length,
        jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
      }));
      assert.deepEqual(injected, { imgX: 0, svgOnload: 0, iframes: 0, jsLinks: 0 });
      await assertNoInlineScript(page, 'result page for the injection');
      assertNoSurprises(seen, 'injection');
    } finally {
      await context.close();
    }
  });

  test('a hostile HTML email (script, onload, hidden text) is shown as text, not rendered', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      await page.setInputFiles('#file', join(FIXTURES, 'email/hostile-html.eml'));
      await submitCheck(page);
      await page.waitForTimeout(300);
      await screenshot(page, 'hostile-html-email');

      assert.equal((await verdictOf(page)).verdict, 'scam');
      assert.deepEqual(seen.dialogs, [], 'alert(1) in the email opened a dialog');
      assert.deepEqual(await nonMarkElementsInMessage(page), [], 'the email HTML was rendered');
      assert.equal(await page.$('#message-text a'), null, 'a link in the message is clickable');
      await assertNoInlineScript(page, 'result page for hostile-html.eml');
      assertNoSurprises(seen, 'hostile HTML email');
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the check still works', async () => {
    const sms = fixtureWithVerdict('sms', 'scam', { prefer: 'sms/scam-package-fee.txt' });
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL, { javaScriptEnabled: false });
    try {
      await page.goto('/');
      await page.fill('#message', fixture(sms.file));
      await page.check('#channel-sms');
      if (sms.from) await page.fill('#sender', sms.from);
      await submitCheck(page);
      await screenshot(page, 'no-javascript');

      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      const v = await verdictOf(page);
      assert.equal(v.verdict, 'scam');
      assert.match(v.label, /\bScam\b/);
      assert.ok((await page.$$('#findings li.finding')).length >= 1, 'no findings');
      assert.ok((await page.$$('#message-text mark')).length >= 1, 'no highlights');
      assert.ok((await page.innerText('#advice')).trim().length > 20, '#advice is empty');
      // The FTC text is there to select and copy by hand even when the copy button cannot work.
      assert.ok((await page.inputValue('#report-ftc-text')).trim().length > 20, '#report-ftc-text is empty');
      assertNoSurprises(seen, 'no JavaScript');
    } finally {
      await context.close();
    }
  });

  test('an empty check re-shows the form with an error', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      // Skip the browser's own required-field check, if the form has one, to see the server's.
      await page.$eval('#check-form', (f) => {
        f.noValidate = true;
      });
      await submitCheck(page);
      await screenshot(page, 'form-error');
      const error = await page.$('#form-error');
      assert.ok(error, 'no #form-error');
      assert.equal(await error.getAttribute('role'), 'alert');
      assert.ok((await error.innerText()).trim().length > 0, '#form-error is empty');
      assert.ok(await page.$('#check-form'), 'the form is not shown again');
      assert.equal(await page.$('#verdict'), null);
      assertNoSurprises(seen, 'empty check');
    } finally {
      await context.close();
    }
  });

  test('keyboard and screen reader: labelled fields, Tab reaches the button, verdict is a status', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await page.goto('/');
      const unlabelled = await page.$$eval('input, textarea, select', (els) =>
        els
          .filter((el) => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
          .filter((el) => {
            const labelText = Array.from(el.labels ?? [])
              .map((l) => l.innerText.trim())
              .join('');
            const aria = (el.getAttribute('aria-label') ?? '').trim();
            const by = (el.getAttribute('aria-labelledby') ?? '')
              .split(/\s+/)
              .map((id) => document.getElementById(id)?.innerText.trim() ?? '')
              .join('');
            return !labelText && !aria && !by;
          })
          .map((el) => el.id || el.name || el.outerHTML.slice(0, 80)),
      );
      assert.deepEqual(unlabelled, [], 'fields without a label or aria-label');

      // Type the message with the keyboard only: Tab to the message box, type, Tab on to the button.
      let reachedMessage = false;
      let reachedButton = false;
      const order = [];
      for (let i = 0; i < 40 && !reachedButton; i++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
        order.push(id);
        if (id === 'message' && !reachedMessage) {
          reachedMessage = true;
          await page.keyboard.type(fixture('sms/scam-otp-request.txt'));
        }
        if (id === 'check-button') reachedButton = true;
      }
      assert.ok(reachedMessage, `Tab never reached #message (order: ${order.join(' > ')})`);
      assert.ok(reachedButton, `Tab never reached #check-button (order: ${order.join(' > ')})`);
      await screenshot(page, 'keyboard-focus');

      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      await page.waitForSelector('#verdict, #form-error');
      await screenshot(page, 'keyboard-result');
      assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
      const v = await verdictOf(page);
      assert.equal(v.role, 'status', '#verdict is not role=status');
      assert.ok(['scam', 'suspicious'].includes(v.verdict), `verdict ${v.verdict} for an OTP request`);

      const lang = await page.getAttribute('html', 'lang');
      assert.ok(lang, '<html> has no lang');
      assert.ok((await page.title()).trim(), 'the result page has no <title>');
      assertNoSurprises(seen, 'keyboard');
    } finally {
      await context.close();
    }
  });
});

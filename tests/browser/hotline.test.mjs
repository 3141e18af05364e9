// The fraud hotline's view: log in with the token, save a checked message as a case (only with
// the caller's consent), and find the case and its phone number and domain in the tables.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  digits,
  fixture,
  openPage,
  screenshot,
  serverAndBrowser,
  submitCheck,
} from './lib/harness.mjs';

const env = serverAndBrowser();

/** Fill the login form on /hotline with `token` and submit it. */
async function logIn(page, token) {
  await page.goto('/hotline');
  const field = await page.$('#token');
  assert.ok(field, 'no #token field on /hotline');
  assert.equal(await field.getAttribute('type'), 'password', '#token is not a password field');
  await page.fill('#token', token);
  const button = await page.$(
    'form:has(#token) button[type=submit], form:has(#token) input[type=submit], form:has(#token) button:not([type])',
  );
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    button ? button.click() : page.press('#token', 'Enter'),
  ]);
}

/** Check `text` as an SMS from `from` and return once the result page is shown. */
async function checkSms(page, text, from) {
  await page.goto('/');
  await page.fill('#message', text);
  await page.check('#channel-sms');
  await page.fill('#sender', from);
  await submitCheck(page);
  assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
  assert.equal(await page.$eval('#verdict', (el) => el.dataset.verdict), 'scam');
}

/** Tick consent and submit #save-case, after checking it cannot be sent without consent. */
async function saveCase(page) {
  const form = await page.$('#save-case');
  assert.ok(form, 'no #save-case form for a logged-in hotline worker');
  const consent = await page.$('#save-case #consent');
  assert.ok(consent, 'no #consent checkbox in #save-case');
  assert.equal(await consent.getAttribute('type'), 'checkbox');
  assert.ok(await consent.evaluate((c) => c.required), '#consent is not required');
  assert.equal(await form.evaluate((f) => f.checkValidity()), false, 'the case can be saved without consent');
  await consent.check();
  const button = await form.$('button[type=submit], input[type=submit], button:not([type])');
  assert.ok(button, 'no submit button in #save-case');
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  const status = res?.status() ?? 0;
  if (status >= 400) {
    const text = (await page.innerText('main').catch(() => page.innerText('body'))).trim();
    assert.fail(`saving the case answered HTTP ${status}: ${text.slice(0, 300)}`);
  }
}

describe('hotline view', () => {
  test('without the token: a login form, no cases, and a wrong token does not get in', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      const res = await page.goto('/hotline');
      assert.ok(res.headers()['content-security-policy'], 'no CSP on /hotline');
      await screenshot(page, 'hotline-login');
      assert.equal(await page.$('#cases'), null, '#cases shown without logging in');
      assert.equal(await page.$('#indicators'), null, '#indicators shown without logging in');

      await logIn(page, `${env.server.token}-wrong`);
      await screenshot(page, 'hotline-wrong-token');
      assert.equal(await page.$('#cases'), null, 'a wrong token got in');

      // Nobody logged in: the result page offers no saving.
      await checkSms(page, fixture('sms/scam-prize.txt'), '+16025550118');
      assert.equal(await page.$('#save-case'), null, '#save-case shown without logging in');
      assert.deepEqual(seen.dialogs, []);
      assert.deepEqual(seen.foreignRequests, []);
    } finally {
      await context.close();
    }
  });

  test('log in, save cases with consent, see them and their phone number and domain', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      await logIn(page, env.server.token);
      await screenshot(page, 'hotline-empty');
      assert.ok(await page.$('#cases'), 'no #cases after logging in');
      assert.ok(await page.$('#indicators'), 'no #indicators after logging in');

      // A callback-number scam: its phone number should become an indicator.
      await checkSms(page, fixture('sms/scam-account-suspended-call.txt'), 'amz.security.notice@icloud.com');
      await screenshot(page, 'hotline-result-save-case');
      await saveCase(page);

      // A phony-link scam: its domain should become an indicator.
      await checkSms(page, fixture('sms/scam-package-fee.txt'), '+13055550147');
      await saveCase(page);

      await page.goto('/hotline');
      await screenshot(page, 'hotline-cases');
      const caseRows = await page.$$eval('#cases tbody tr', (rows) => rows.map((r) => r.innerText));
      assert.equal(caseRows.length, 2, `expected 2 cases, got:\n${caseRows.join('\n')}`);
      const indicators = await page.innerText('#indicators');
      assert.ok(
        digits(indicators).includes('8775550121'),
        `the phone number 1-877-555-0121 is not among the indicators:\n${indicators}`,
      );
      assert.match(indicators, /amazon-redelivery\.top/, 'the domain amazon-redelivery.top is not an indicator');
      assert.deepEqual(seen.dialogs, []);
      assert.deepEqual(seen.pageErrors, []);
      assert.deepEqual(seen.foreignRequests, []);
    } finally {
      await context.close();
    }
  });
});

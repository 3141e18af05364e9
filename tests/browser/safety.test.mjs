// Browser safety (issue 12, part 5): messages full of hostile content, put through the page as
// a person would (pasted with each channel choice and a hostile sender, uploaded as an .eml
// with a hostile HTML part, echoed back by the form's error page, saved as a hotline case),
// must run no script, load nothing from another host, make no link clickable, and still get
// their verdict with the evidence marked as text. The payloads are in lib/hostile.mjs.
//
// The hostile pages are checked with the page's Content-Security-Policy (the headers are right
// and the browser enforces them) and with CSP bypassed, so that escaping alone has to keep
// every payload inert. A control test injects a payload on purpose to prove the detectors fire.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, screenshot, serverAndBrowser, submitCheck } from './lib/harness.mjs';
import { EVIL_HOSTS, JS, PAYLOADS, SENDERS, hostileEml, hostileMessage } from './lib/hostile.mjs';

const env = serverAndBrowser();

// ---------------------------------------------------------------- what the page may contain

/** Containers whose content comes from the message (text only, in the page's own markup). */
const MESSAGE_REGIONS = {
  '#message-text': ['MARK'],
  '#findings': ['LI', 'P', 'Q'],
  '#genuine-signs': ['LI', 'P', 'Q'],
  '#notes': ['LI'],
  '#orders-check': ['H2', 'P', 'UL', 'LI', 'Q'],
};

/** Every element the page's templates use. */
const PAGE_TAGS = new Set(
  ('HTML HEAD META TITLE LINK SCRIPT BODY A HEADER MAIN FOOTER P H1 H2 H3 DIV SECTION UL OL LI Q PRE ' +
    'MARK DETAILS SUMMARY FORM INPUT BUTTON LABEL TEXTAREA SPAN STRONG FIELDSET LEGEND DL DT DD TABLE ' +
    'THEAD TBODY TR TH TD CODE').split(' '),
);

/** Every attribute the page's templates use (plus aria-*). */
const PAGE_ATTRS = new Set(
  ('id class href src rel type name value action method enctype for lang charset content role hidden ' +
    'readonly rows required maxlength accept autocomplete spellcheck checked defer download scope ' +
    'data-rule data-verdict data-key data-to data-country data-copy data-case data-kind').split(' '),
);

/** Where the page's own forms go. */
const PAGE_FORM_ACTIONS = ['/check', '/report/amazon', '/report/hotline', '/hotline/cases', '/hotline/login', '/hotline/logout'];

/** Hosts that occur in the hostile messages: no link may point there. */
const MESSAGE_HOSTS = [...EVIL_HOSTS, 'amazon-verify-login.top'];

/** Characters that reorder text; highlight.rs shows them as [U+202E]-style tags. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The display text as #message-text must show it: escaped, bidi controls as tags. */
function shownAs(text) {
  return text
    .replace(/\r/g, '')
    .replace(BIDI, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '\uFFFD');
}

// ---------------------------------------------------------------- CSP

function cspDirectives(csp) {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

/** The CSP header forbids inline and foreign script, plugins, <base>, framing and foreign forms. */
function assertCspHeaders(response, what) {
  const h = response.headers();
  const csp = h['content-security-policy'];
  assert.ok(csp, `${what}: no Content-Security-Policy header`);
  const d = cspDirectives(csp);
  const script = d['script-src'] ?? d['default-src'];
  assert.ok(script, `${what}: CSP has neither script-src nor default-src: ${csp}`);
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", '*', 'http:', 'https:', 'data:', 'blob:']) {
    assert.ok(!script.includes(bad), `${what}: CSP script sources allow ${bad}: ${csp}`);
  }
  assert.deepEqual(d['default-src'], ["'none'"], `${what}: default-src is not 'none': ${csp}`);
  for (const [name, allowed] of [
    ['style-src', ["'self'"]],
    ['img-src', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
    ['base-uri', ["'none'", "'self'"]],
  ]) {
    assert.ok(d[name], `${what}: CSP has no ${name}: ${csp}`);
    for (const v of d[name]) assert.ok(allowed.includes(v), `${what}: CSP ${name} allows ${v}: ${csp}`);
  }
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
}

// ---------------------------------------------------------------- a page that records everything

/**
 * A fresh context and page that records dialogs, page errors, every console message, every
 * request (and fails, and counts, every one that leaves the server's origin), popups, new
 * pages, downloads, frame navigations and CSP violations.
 */
async function guardedPage(baseURL, { bypassCSP = false } = {}) {
  const context = await env.browser.newContext({
    baseURL,
    bypassCSP,
    acceptDownloads: true,
    viewport: { width: 1000, height: 800 },
  });
  const origin = new URL(baseURL).origin;
  const ours = (url) => url === origin || url.startsWith(`${origin}/`);
  const rec = {
    dialogs: [],
    pageErrors: [],
    console: [],
    requests: [],
    foreignRequests: [],
    blockedByRoute: [],
    popups: [],
    downloads: [],
    frames: [],
    websockets: [],
  };
  // Anything not to our own origin fails and is counted: the closed network would refuse it
  // anyway, so attempts are what matter.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (ours(url)) return route.continue();
    rec.blockedByRoute.push(url);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`.trim()),
      true,
    );
  });
  const page = await context.newPage();
  context.on('page', (p) => p !== page && rec.popups.push(`new page ${p.url()}`));
  page.on('popup', (p) => rec.popups.push(`popup ${p.url()}`));
  page.on('dialog', (d) => {
    rec.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => rec.pageErrors.push(String(e)));
  page.on('console', (m) => rec.console.push(`${m.type()}: ${m.text()}`));
  page.on('download', (d) => rec.downloads.push(d.suggestedFilename()));
  page.on('websocket', (w) => rec.websockets.push(w.url()));
  page.on('request', (r) => {
    const url = r.url();
    rec.requests.push(`${r.method()} ${url}`);
    if (!ours(url)) rec.foreignRequests.push(url);
  });
  page.on('framenavigated', (f) => {
    if (f !== page.mainFrame()) rec.frames.push(`frame navigated to ${f.url()}`);
  });
  page.on('frameattached', (f) => rec.frames.push(`frame attached ${f.url()}`));
  return { context, page, rec };
}

/** Nothing ran, nothing loaded from elsewhere, nothing opened. */
async function assertNothingHappened(page, rec, what) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    parentPwned: window.parent.__pwned ?? null,
    title: document.title,
    violations: window.__cspViolations ?? [],
  }));
  assert.equal(state.pwned, null, `${what}: a payload ran (window.__pwned = ${state.pwned})`);
  assert.equal(state.parentPwned, null, `${what}: a payload ran in a frame`);
  assert.doesNotMatch(state.title, /PWNED/, `${what}: a payload changed document.title`);
  assert.match(state.title, /\| redflag$/, `${what}: the title is not the page's own: ${state.title}`);
  assert.deepEqual(rec.dialogs, [], `${what}: a dialog opened`);
  assert.deepEqual(rec.pageErrors, [], `${what}: page errors (a payload that ran and threw?)`);
  assert.deepEqual(
    rec.console.filter((m) => /PWNED|^error:/i.test(m)),
    [],
    `${what}: console errors or PWNED (CSP reports a blocked inline script as an error)`,
  );
  assert.deepEqual(state.violations, [], `${what}: CSP violations (something tried to run or load)`);
  assert.deepEqual(rec.foreignRequests, [], `${what}: requests to other origins`);
  assert.equal(rec.blockedByRoute.length, 0, `${what}: ${rec.blockedByRoute.length} requests left the origin: ${rec.blockedByRoute.join(', ')}`);
  assert.deepEqual(rec.popups, [], `${what}: a popup or new page opened`);
  assert.deepEqual(rec.downloads, [], `${what}: a download started`);
  assert.deepEqual(rec.frames, [], `${what}: a frame appeared`);
  assert.deepEqual(rec.websockets, [], `${what}: a WebSocket opened`);
}

/**
 * Everything wrong with the page's DOM: elements or attributes the templates never make,
 * event handlers, links, forms or fields in message content, foreign scripts, styles or meta,
 * shadow roots, and reordering characters outside the fields that carry the message back.
 */
async function domProblems(page) {
  return page.evaluate(
    ({ regions, tags, attrs, actions, hosts, bidi }) => {
      const problems = [];
      const bidiRe = new RegExp(bidi);
      const show = (el) => el.outerHTML.slice(0, 140);
      const regionSel = Object.keys(regions).join(', ');
      for (const el of document.querySelectorAll('*')) {
        const tag = el.tagName.toUpperCase();
        if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`foreign-namespace element: ${show(el)}`);
        if (!tags.includes(tag)) problems.push(`element the page never makes: ${show(el)}`);
        if (el.shadowRoot) problems.push(`shadow root on ${show(el)}`);
        for (const a of el.attributes) {
          const n = a.name.toLowerCase();
          if (n.startsWith('on')) problems.push(`event handler ${n}: ${show(el)}`);
          else if (!attrs.includes(n) && !n.startsWith('aria-')) problems.push(`attribute ${n}: ${show(el)}`);
          if (['href', 'src', 'action'].includes(n) && /^\s*(javascript|data|vbscript):/i.test(a.value)) {
            problems.push(`script or data URL: ${show(el)}`);
          }
        }
        const region = el.parentElement?.closest(regionSel);
        if (region) {
          const key = Object.keys(regions).find((k) => region.matches(k));
          if (!regions[key].includes(tag)) problems.push(`<${tag.toLowerCase()}> inside ${key}: ${show(el)}`);
        }
        if (['A', 'FORM', 'INPUT', 'BUTTON', 'TEXTAREA', 'LABEL', 'DETAILS'].includes(tag) && el.closest(regionSel)) {
          problems.push(`interactive element inside message content: ${show(el)}`);
        }
      }
      for (const [sel, allowed] of Object.entries(regions)) {
        for (const el of document.querySelectorAll(`${sel} *`)) {
          if (sel === '#message-text' && (el.attributes.length !== 1 || !/^[A-Z]{3}\d{3}$/.test(el.dataset.rule ?? ''))) {
            problems.push(`a <mark> with other attributes than a rule: ${show(el)}`);
          }
          if (!allowed.includes(el.tagName)) problems.push(`<${el.tagName.toLowerCase()}> in ${sel}`);
        }
      }
      const scripts = Array.from(document.scripts, (s) => s.getAttribute('src') ?? `inline: ${s.textContent.slice(0, 60)}`);
      if (JSON.stringify(scripts) !== JSON.stringify(['/static/redflag.js'])) problems.push(`scripts: ${JSON.stringify(scripts)}`);
      const links = Array.from(document.querySelectorAll('link'), (l) => `${l.rel} ${l.getAttribute('href')}`);
      const expectedLinks = ['stylesheet /static/redflag.css', 'manifest /manifest.webmanifest'];
      if (JSON.stringify(links) !== JSON.stringify(expectedLinks)) problems.push(`<link>s: ${JSON.stringify(links)}`);
      for (const m of document.querySelectorAll('meta')) {
        const name = m.getAttribute('name');
        if (!(m.hasAttribute('charset') || ['viewport', 'referrer'].includes(name))) problems.push(`meta: ${show(m)}`);
      }
      for (const a of document.querySelectorAll('a, area')) {
        const href = a.getAttribute('href') ?? '';
        const fixed = /^(\/(?!\/)|#main$|mailto:[^\s<>"]+$|tel:\+?[\d#]+$|https:\/\/)/.test(href);
        if (!fixed) problems.push(`link to ${href}: ${show(a)}`);
        let host = '';
        try {
          host = new URL(href, document.baseURI).hostname;
        } catch {}
        if (hosts.some((h) => host === h || host.endsWith(`.${h}`) || href.includes(h))) {
          problems.push(`link to a host from the message: ${show(a)}`);
        }
      }
      for (const f of document.querySelectorAll('form')) {
        const action = new URL(f.action, location.href);
        if (action.origin !== location.origin || !actions.includes(action.pathname)) problems.push(`form to ${f.action}`);
      }
      if (document.baseURI !== location.href) problems.push(`base URI changed to ${document.baseURI}`);
      for (const el of document.querySelectorAll('input')) {
        if (!['hidden', 'checkbox', 'radio', 'file', 'text', 'password'].includes(el.type)) problems.push(`input: ${show(el)}`);
      }
      // Text a person reads must not be reordered by control characters from the message.
      // Textareas and hidden fields carry the message as it came (to copy or send back).
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement?.closest('textarea')) continue;
        if (bidiRe.test(n.data)) {
          problems.push(`reordering character shown in <${n.parentElement.tagName.toLowerCase()} class="${n.parentElement.className}">: ${JSON.stringify(n.data.slice(0, 80))}`);
        }
      }
      return problems;
    },
    {
      regions: MESSAGE_REGIONS,
      tags: [...PAGE_TAGS],
      attrs: [...PAGE_ATTRS],
      actions: PAGE_FORM_ACTIONS,
      hosts: MESSAGE_HOSTS,
      bidi: BIDI.source,
    },
  );
}

// ---------------------------------------------------------------- poking every element

const SYNTHETIC_EVENTS = (
  'mouseover mouseenter mousemove mousedown mouseup mouseout mouseleave pointerover pointerenter ' +
  'pointerdown pointerup focus focusin blur focusout error load animationstart animationend ' +
  'transitionend toggle beginEvent input change keydown keyup wheel scroll copy dragstart drop ' +
  'contextmenu dblclick auxclick'
).split(' ');

/**
 * Fire every kind of event at every element (inline handlers run for synthetic events too),
 * focus each one, hover and click every element of the message content with the real mouse,
 * click, ctrl-click and middle-click on every link written in the message, and Tab through
 * the page. Returns the page's URL, which must not change.
 */
async function pokeEverything(page, rec) {
  const url = page.url();
  await page.evaluate(
    ({ events, regionSel }) => {
      for (const el of document.querySelectorAll('body *')) {
        for (const type of events) {
          try {
            el.dispatchEvent(new Event(type, { bubbles: false, cancelable: true }));
          } catch {}
        }
        try {
          el.focus({ preventScroll: true });
        } catch {}
        // Clicks only inside message content: elsewhere are the page's own links and buttons.
        if (el.closest(regionSel)) el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      }
      document.activeElement?.blur();
    },
    { events: SYNTHETIC_EVENTS, regionSel: Object.keys(MESSAGE_REGIONS).join(', ') },
  );

  // The real mouse on each element of the message content (capped: the quotes repeat).
  const handles = await page.$$(
    Object.keys(MESSAGE_REGIONS)
      .map((s) => `${s}, ${s} *`)
      .join(', '),
  );
  for (const h of handles.slice(0, 120)) {
    await h.hover({ force: true, timeout: 2_000 }).catch(() => {});
    await h.click({ force: true, timeout: 2_000, noWaitAfter: true }).catch(() => {});
  }

  // Where the message shows a link (or something a browser could take for one), click on it.
  const spots = await page.evaluate(() => {
    const pre = document.querySelector('#message-text');
    if (!pre) return [];
    const out = [];
    const re = /(?:https?:|javascript:|data:|\/\/)[^\s<>"]{2,}|\b[a-z0-9-]+\.(?:example|top|com)\b/gi;
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.length < 60; n = walker.nextNode()) {
      for (const m of n.data.matchAll(re)) {
        out.push({ id: out.length, text: m[0].slice(0, 60) });
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, Math.min(n.data.length, m.index + Math.min(m[0].length, 12)));
        (window.__spots ??= []).push(r);
        if (out.length >= 60) break;
      }
    }
    return out;
  });
  for (const s of spots) {
    const box = await page.evaluate((i) => {
      const r = window.__spots[i];
      const at = () => r.getClientRects()[0] ?? r.getBoundingClientRect();
      window.scrollBy(0, at().top - window.innerHeight / 2);
      const rect = at();
      return { x: rect.left + Math.min(rect.width / 2, 20), y: rect.top + rect.height / 2 };
    }, s.id);
    await page.mouse.move(box.x, box.y);
    await page.mouse.click(box.x, box.y);
    await page.keyboard.down('Control');
    await page.mouse.click(box.x, box.y);
    await page.keyboard.up('Control');
    await page.mouse.click(box.x, box.y, { button: 'middle' });
    assert.equal(page.url(), url, `clicking on ${JSON.stringify(s.text)} in the message navigated`);
  }
  await page.evaluate(() => delete window.__spots);

  // Tab through every focusable element (autofocus/onfocus payloads would fire here).
  const focusables = await page.$$eval('a, button, input, textarea, select, summary, [tabindex]', (els) => els.length);
  await page.mouse.click(5, 5);
  for (let i = 0; i < focusables + 3; i++) await page.keyboard.press('Tab');
  await page.waitForTimeout(300); // anything delayed (timers, animations, refresh) gets its chance
  assert.equal(page.url(), url, 'the page navigated while being poked');
  assert.ok(spots.length >= 3, `found only ${spots.length} links in the shown message`);
  return spots.length;
}

// ---------------------------------------------------------------- the checks on a result page

/**
 * The result page shows the verdict, marks the evidence as text, shows exactly the display
 * text, and passes every safety check, before and after poking everything.
 */
async function assertSafeResult(page, rec, { what, expectedText, marksWithMarkup = false, bidiInQuotes = false }) {
  assert.equal(await page.$('#form-error'), null, `${what}: the form came back with an error`);
  const verdict = await page.$eval('#verdict', (el) => el.dataset.verdict);
  assert.equal(verdict, 'scam', `${what}: verdict`);
  assert.match(await page.innerText('#verdict'), /\bScam\b/, `${what}: verdict label`);

  const marks = await page.$$eval('#message-text mark', (ms) => ms.map((m) => ({ rule: m.dataset.rule, text: m.textContent })));
  assert.ok(marks.some((m) => m.rule === 'PHN001' && m.text === '1-888-555-0199'), `${what}: the phone number is not marked`);
  assert.ok(marks.some((m) => /^LNK/.test(m.rule)), `${what}: no link evidence marked`);
  if (marksWithMarkup) {
    assert.ok(
      marks.some((m) => /<(script|img)\b/.test(m.text)),
      `${what}: no evidence containing markup is marked (as text)`,
    );
  }
  // Exactly the display text, as text: nothing of it became markup, nothing was lost.
  const shown = await page.$eval('#message-text', (pre) => pre.textContent);
  const expected = shownAs(expectedText).replace(/^\n/, '');
  if (shown !== expected) {
    let i = 0;
    while (i < shown.length && shown[i] === expected[i]) i++;
    assert.fail(
      `${what}: #message-text differs from the display text at ${i}: ` +
        `${JSON.stringify(shown.slice(Math.max(0, i - 40), i + 60))} vs ${JSON.stringify(expected.slice(Math.max(0, i - 40), i + 60))}`,
    );
  }
  // Evidence quotes are text too.
  const quotes = await page.$$eval('#findings q', (qs) => qs.map((q) => ({ kids: q.childElementCount, text: q.textContent })));
  assert.ok(quotes.length >= 3, `${what}: evidence quotes`);
  assert.ok(quotes.every((q) => q.kids === 0), `${what}: an evidence quote holds elements`);
  if (bidiInQuotes) {
    // Evidence that has a reordering character in it shows the character as a tag.
    assert.ok(quotes.some((q) => q.text.includes('[U+202E]')), `${what}: no evidence quote shows [U+202E]`);
  }

  assert.deepEqual(await domProblems(page), [], `${what}: the DOM has things the page never makes`);
  await assertNothingHappened(page, rec, `${what} (as loaded)`);

  const clicked = await pokeEverything(page, rec);
  assert.deepEqual(await domProblems(page), [], `${what}: the DOM changed when poked`);
  await assertNothingHappened(page, rec, `${what} (after hovering, focusing and clicking everything, ${clicked} link spots)`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${what}: long strings push the page ${overflow}px sideways`);
}

/** The display text the server makes of this input (the JSON API, the same engine). */
async function displayText(body) {
  const res = await fetch(`${env.server.baseURL}/api/v1/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `API check: ${res.status}`);
  const report = await res.json();
  return report.text;
}

/** Paste `message` (and `sender`), choose `channel`, submit; returns the POST response. */
async function pasteAndCheck(page, { message, sender, channel }) {
  const first = await page.goto('/');
  await page.fill('#message', message);
  await page.check(`#channel-${channel}`);
  if (sender !== undefined) await page.fill('#sender', sender);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/check'),
    submitCheck(page),
  ]);
  return { first, res };
}

// ---------------------------------------------------------------- the tests

describe('browser safety: hostile messages through the page', () => {
  const cases = [
    { channel: 'auto', sender: SENDERS[0], long: true, csp: true },
    { channel: 'sms', sender: SENDERS[1], long: false, csp: true },
    { channel: 'chat', sender: SENDERS[2], long: false, csp: false },
    { channel: 'email', sender: SENDERS[3], long: false, csp: false },
    { channel: 'call', sender: SENDERS[0], long: false, csp: false },
    { channel: 'auto', sender: SENDERS[2], long: true, csp: false },
  ];
  for (const c of cases) {
    const mode = c.csp ? 'with its CSP' : 'with CSP bypassed (escaping alone)';
    test(`pasted as ${c.channel}, hostile sender${c.long ? ', very long strings' : ''}, ${mode}: nothing runs, loads or links`, async () => {
      const message = hostileMessage({ long: c.long });
      const { context, page, rec } = await guardedPage(env.server.baseURL, { bypassCSP: !c.csp });
      try {
        const { first, res } = await pasteAndCheck(page, { message, sender: c.sender, channel: c.channel });
        if (c.csp) {
          assertCspHeaders(first, 'GET /');
          assertCspHeaders(res, 'POST /check');
        }

        const expectedText = await displayText({
          text: message.replace(/\r?\n/g, '\r\n'),
          sender: c.sender.trim(),
          ...(c.channel === 'auto' ? {} : { channel: c.channel }),
        });
        // Every payload is on the page, as the text it is.
        const shown = await page.$eval('#message-text', (pre) => pre.textContent);
        for (const p of Object.values(PAYLOADS).flat()) {
          assert.ok(shown.includes(shownAs(p)), `payload not shown as text: ${JSON.stringify(p)}`);
        }
        assert.ok(shown.includes(shownAs(c.sender.trim())), 'the sender is not shown as text');
        await assertSafeResult(page, rec, { what: `${c.channel} ${mode}`, expectedText, bidiInQuotes: true });
        if (c.csp) await assertCspEnforced(page, rec);
      } finally {
        const name = `safety-paste-${c.channel}${c.csp ? '' : '-nocsp'}${c.long ? '-long' : ''}`;
        await shot(page, name, { full: c.channel === 'sms' });
        await context.close();
      }
    });
  }

  for (const csp of [true, false]) {
    const mode = csp ? 'with its CSP' : 'with CSP bypassed (escaping alone)';
    test(`an uploaded .eml with a hostile HTML part, subject, From name and attachment name, ${mode}`, async () => {
      const eml = hostileEml();
      const { context, page, rec } = await guardedPage(env.server.baseURL, { bypassCSP: !csp });
      try {
        await page.goto('/');
        await page.setInputFiles('#file', { name: 'account-locked.eml', mimeType: 'message/rfc822', buffer: eml });
        const [res] = await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/check'),
          submitCheck(page),
        ]);
        if (csp) assertCspHeaders(res, 'POST /check (file)');
        const expectedText = await displayText({ email_base64: eml.toString('base64') });
        const shown = await page.$eval('#message-text', (pre) => pre.textContent);
        for (const s of [`Amazon <script>${JS}</script>`, `<img src=x onerror=${JS}>`, '[U+202E]txt.exe', '//evil.example/pr']) {
          assert.ok(shown.includes(s), `not shown as text: ${s}`);
        }
        await assertSafeResult(page, rec, { what: `.eml ${mode}`, expectedText, marksWithMarkup: true });
        if (csp) await assertCspEnforced(page, rec);
      } finally {
        await shot(page, `safety-eml${csp ? '' : '-nocsp'}`, { full: csp });
        await context.close();
      }
    });
  }

  test('the form shown again with an error keeps the hostile message and sender as text', async () => {
    const message = hostileMessage({ long: false });
    const sender = SENDERS[0];
    const { context, page, rec } = await guardedPage(env.server.baseURL, { bypassCSP: true });
    try {
      await page.goto('/');
      await page.fill('#message', message);
      await page.fill('#sender', sender);
      // Pasted text and a file: the server refuses both and shows the form again, filled in.
      await page.setInputFiles('#file', { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        submitCheck(page),
      ]);
      assertCspHeaders(res, 'POST /check (error)');
      assert.ok(await page.$('#form-error'), 'no #form-error');
      assert.equal((await page.inputValue('#message')).replace(/\r/g, ''), message.replace(/\r/g, ''), 'the message came back changed');
      assert.equal(await page.inputValue('#sender'), sender, 'the sender came back changed');
      assert.deepEqual(await domProblems(page), [], 'the error page has things the page never makes');
      // Chromium logs the 400 of the page itself as a console error.
      const own400 = /^error: Failed to load resource: the server responded with a status of 400/;
      assert.equal(rec.console.filter((m) => own400.test(m)).length, 1, `console: ${rec.console}`);
      rec.console = rec.console.filter((m) => !own400.test(m));
      await assertNothingHappened(page, rec, 'form error');
      await page.evaluate(
        (events) => {
          for (const el of document.querySelectorAll('body *')) {
            for (const type of events) el.dispatchEvent(new Event(type));
          }
        },
        SYNTHETIC_EVENTS,
      );
      const focusables = await page.$$eval('a, button, input, textarea', (els) => els.length);
      for (let i = 0; i < focusables + 2; i++) await page.keyboard.press('Tab');
      await page.waitForTimeout(200);
      assert.deepEqual(await domProblems(page), [], 'the error page changed when poked');
      await assertNothingHappened(page, rec, 'form error, poked');
    } finally {
      await shot(page, 'safety-form-error', { full: true });
      await context.close();
    }
  });

  test('the hotline view: a saved hostile case, its page and the tables, with CSP bypassed', async () => {
    const { context, page, rec } = await guardedPage(env.server.baseURL, { bypassCSP: true });
    try {
      await page.goto('/hotline');
      await page.fill('#token', env.server.token);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#login-button')]);
      assert.ok(await page.$('#cases'), 'could not sign in to the hotline view');

      const message = hostileMessage({ long: false });
      const sender = SENDERS[0];
      await pasteAndCheck(page, { message, sender, channel: 'sms' });
      assert.equal(await page.$eval('#verdict', (el) => el.dataset.verdict), 'scam');
      await page.check('#save-case #consent');
      await page.fill('#case-note', `caller said: <script>${JS}</script> \u202Eeton`);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#save-case-button')]);
      assert.match(new URL(page.url()).pathname, /^\/hotline\/cases\/\d+$/, `not on a case page: ${page.url()}`);
      const facts = await page.innerText('.case-facts');
      assert.ok(facts.includes(`caller said: <script>${JS}</script> [U+202E]eton`), `the note is not shown as text: ${facts}`);
      assert.ok(facts.includes(sender.trim()), `the sender is not shown as text: ${facts}`);
      assert.equal(await page.$eval('#verdict', (el) => el.dataset.verdict), 'scam');
      const marks = await page.$$eval('#message-text mark', (ms) => ms.length);
      assert.ok(marks >= 1, 'the case page marks no evidence');
      assert.deepEqual(await domProblems(page), [], 'the case page has things the page never makes');
      await assertNothingHappened(page, rec, 'case page');
      await pokeEverything(page, rec);
      assert.deepEqual(await domProblems(page), [], 'the case page changed when poked');
      await assertNothingHappened(page, rec, 'case page, poked');
      await shot(page, 'safety-hotline-case', { full: false });

      await page.goto('/hotline');
      const indicators = await page.$$eval('#indicators .indicator-value', (tds) => tds.map((td) => td.textContent));
      assert.ok(indicators.some((v) => v.includes('evil.example')), `indicators: ${indicators}`);
      assert.deepEqual(await domProblems(page), [], 'the hotline view has things the page never makes');
      await page.evaluate(
        (events) => {
          for (const el of document.querySelectorAll('#cases *, #indicators *')) {
            for (const type of events) el.dispatchEvent(new Event(type));
          }
        },
        SYNTHETIC_EVENTS,
      );
      await page.waitForTimeout(200);
      await assertNothingHappened(page, rec, 'hotline view');
    } finally {
      await context.close();
    }
  });

  test('control: the detectors catch a payload that does get in', async () => {
    // Proves this file would fail on a hole: the same checks, on a page where markup was put
    // into the message area on purpose (CSP bypassed, as if escaping had failed).
    const { context, page, rec } = await guardedPage(env.server.baseURL, { bypassCSP: true });
    try {
      await pasteAndCheck(page, { message: hostileMessage({ long: false }), sender: '', channel: 'sms' });
      assert.deepEqual(await domProblems(page), []);
      await page.$eval('#message-text', (pre, js) => {
        pre.insertAdjacentHTML(
          'beforeend',
          `<img src=x onerror="${js}"><img src="http://evil.example/control.png"><a href="http://evil.example/">http://evil.example/</a>`,
        );
      }, JS);
      await page.waitForTimeout(500);
      const problems = await domProblems(page);
      assert.ok(problems.some((p) => /event handler onerror/.test(p)), `DOM check missed onerror: ${problems}`);
      assert.ok(problems.some((p) => /<a> inside #message-text/.test(p)), `DOM check missed the link: ${problems}`);
      await assert.rejects(assertNothingHappened(page, rec, 'control'), /a payload ran/);
      assert.ok(rec.dialogs.length >= 1, 'the dialog detector missed alert()');
      assert.ok(rec.console.some((m) => m.includes('PWNED')), 'the console detector missed console.log');
      assert.ok(
        rec.blockedByRoute.some((u) => u.includes('evil.example')),
        `the request detector missed http://evil.example/control.png: ${rec.blockedByRoute}`,
      );
      await assert.rejects(pokeEverything(page, rec), 'clicking the injected link did not count as navigating');
      assert.ok(rec.blockedByRoute.includes('http://evil.example/'), `the click on the injected link went unseen: ${rec.blockedByRoute}`);
    } finally {
      await context.close();
    }
  });
});

/** With the CSP on, the browser refuses inline script and inline handlers on this page. */
async function assertCspEnforced(page, rec) {
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = 1';
    document.body.append(s);
    const b = document.createElement('button');
    b.setAttribute('onclick', 'window.__handlerRan = 1');
    document.body.append(b);
    b.click();
    b.remove();
    s.remove();
    await new Promise((r) => setTimeout(r, 50));
    const violations = window.__cspViolations.splice(0);
    return { inline: window.__inlineRan ?? null, handler: window.__handlerRan ?? null, violations };
  });
  assert.equal(ran.inline, null, 'an inline <script> ran despite the CSP');
  assert.equal(ran.handler, null, 'an inline onclick ran despite the CSP');
  assert.ok(ran.violations.some((v) => v.startsWith('script-src')), `no CSP violation reported: ${ran.violations}`);
  // The probe's own refusals are logged as console errors: forget them.
  rec.console = rec.console.filter((m) => !/Content Security Policy/.test(m));
}

/**
 * A screenshot into target/browser-screenshots/ from the top of the page: the whole page for
 * a few (the hostile pages are very tall), the first screen for the rest. Taken last in each
 * test: Playwright's screenshot leaves style="" on form fields, which the DOM check refuses.
 */
async function shot(page, name, { full }) {
  try {
    await page.evaluate(() => window.scrollTo(0, 0));
    if (full) {
      await screenshot(page, name);
    } else {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    }
  } catch (e) {
    console.log(`screenshot ${name} failed: ${e}`);
  }
}

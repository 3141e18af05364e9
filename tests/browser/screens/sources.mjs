// Reading the repository's own messages for the screenshot set: SMS fixtures, .eml files (a
// small MIME reader: headers, multipart, quoted-printable/base64, RFC 2047 words, HTML to text),
// pasted emails, index rows of eval/genuine and eval/field, and the pop-up texts of
// tests/fixtures/screen. Nothing here touches the network or the shared corpus.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a repository file as text. */
export function repoText(root, path) {
  return readFileSync(join(root, path), 'utf8');
}

/** The rows of a JSON-lines index (blank lines skipped). */
export function readIndex(root, path) {
  return repoText(root, path)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The `[[case]]` tables of tests/fixtures/expected.toml (flat string keys only), by file. */
export function expectedCases(root) {
  const byFile = new Map();
  let cur = null;
  for (const raw of repoText(root, 'tests/fixtures/expected.toml').split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '[[case]]') {
      cur = {};
    } else if (cur) {
      const m = /^(\w+)\s*=\s*"([^"]*)"$/.exec(line);
      if (m) {
        cur[m[1]] = m[2];
        if (m[1] === 'file') byFile.set(m[2], cur);
      }
    }
  }
  return byFile;
}

// ---------------------------------------------------------------------------------- MIME

function splitHead(s) {
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return [s, ''];
  return [s.slice(0, m.index), s.slice(m.index + m[0].length)];
}

function parseHeaders(block) {
  const out = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1][1] += ' ' + line.trim();
    else {
      const i = line.indexOf(':');
      if (i > 0) out.push([line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim()]);
    }
  }
  return out;
}

function header(headers, name) {
  const h = headers.find(([k]) => k === name);
  return h ? h[1] : '';
}

function param(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : '';
}

function decodeBytes(latin1, charset) {
  const bytes = Buffer.from(latin1, 'latin1');
  let cs = (charset || 'utf-8').toLowerCase();
  if (cs === 'us-ascii' || cs === 'ascii') cs = 'utf-8';
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function qpDecode(s) {
  return s
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

/** RFC 2047 encoded words, and raw UTF-8 bytes, in a header value read as latin1. */
function decodeHeader(v) {
  const raw = decodeBytes(v, 'utf-8');
  return raw
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, cs, enc, text) => {
      const latin1 =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64').toString('latin1')
          : qpDecode(text.replace(/_/g, ' '));
      return decodeBytes(latin1, cs);
    });
}

function leaves(headers, body, out) {
  const ctype = header(headers, 'content-type') || 'text/plain';
  const type = ctype.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const b = param(ctype, 'boundary');
    if (!b) return;
    const parts = body.split(new RegExp(`^--${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?$`, 'm'));
    for (const p of parts.slice(1)) {
      const part = p.replace(/^\r?\n/, '');
      if (!part.trim()) continue;
      const [h, bd] = splitHead(part);
      leaves(parseHeaders(h), bd, out);
    }
    return;
  }
  const cte = header(headers, 'content-transfer-encoding').toLowerCase();
  const disp = header(headers, 'content-disposition').toLowerCase();
  let data = body;
  if (cte === 'quoted-printable') data = qpDecode(body);
  else if (cte === 'base64') data = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1');
  out.push({
    type,
    attachment: disp.startsWith('attachment') || /;\s*name=/i.test(ctype),
    text: decodeBytes(data, param(ctype, 'charset')),
  });
}

const ENTITIES = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®',
  trade: '™', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', mdash: '—', ndash: '–',
  hellip: '…', bull: '•', middot: '·', pound: '£', euro: '€', zwnj: '', zwj: '', shy: '',
};

/** HTML to the text a mail client would show (roughly): blocks on their own lines. */
export function htmlToText(html) {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(div|span|td|p|table)\b[^>]*display\s*:\s*none[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|tr|h[1-6]|li|table|ul|ol|center|blockquote)\s*>/gi, '\n')
    .replace(/<(p|div|tr|h[1-6]|table|center)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&([a-z]+);/gi, (m, n) => ENTITIES[n.toLowerCase()] ?? m);
  s = s.replace(/[\u200b-\u200d\u2060\ufeff\u034f\u00ad]/g, '');
  return tidy(s);
}

/** Plain text as a mail client keeps it: line ends trimmed, runs of blank lines made one. */
export function tidyPlain(s) {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .split('\n')
    .map((l) => l.replace(/\t/g, '    ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\s+$/g, '');
}

/** Trims lines, turns runs of spaces into one and runs of blank lines into one. */
export function tidy(s) {
  return s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function splitAddress(from) {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (m) return { name: m[1].trim() || m[2].trim(), address: m[2].trim() };
  return { name: from.trim(), address: from.includes('@') ? from.trim() : '' };
}

/** An .eml file: { fromName, fromAddress, to, subject, date, body }. */
export function readEml(root, path) {
  const raw = readFileSync(join(root, path)).toString('latin1');
  const [h, body] = splitHead(raw);
  const headers = parseHeaders(h);
  const parts = [];
  leaves(headers, body, parts);
  const plain = parts.find((p) => p.type === 'text/plain' && !p.attachment);
  const html = parts.find((p) => p.type === 'text/html' && !p.attachment);
  const text = plain ? tidyPlain(plain.text) : html ? htmlToText(html.text) : '';
  const from = splitAddress(decodeHeader(header(headers, 'from')));
  return {
    fromName: from.name,
    fromAddress: from.address,
    to: decodeHeader(header(headers, 'to')),
    subject: decodeHeader(header(headers, 'subject')),
    date: header(headers, 'date'),
    body: text,
  };
}

/**
 * A pasted email (.txt): leading `From:`/`Subject:`/`To:`/`Date:` lines, when present, are
 * taken as headers; the rest is the body.
 */
export function readPasted(root, path) {
  const lines = repoText(root, path).replace(/\r\n?/g, '\n').split('\n');
  const out = { fromName: '', fromAddress: '', to: '', subject: '', date: '', body: '' };
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^(From|Subject|To|Date):\s*(.*)$/i.exec(lines[i]);
    if (!m) break;
    const k = m[1].toLowerCase();
    if (k === 'from') Object.assign(out, (({ name, address }) => ({ fromName: name, fromAddress: address }))(splitAddress(m[2])));
    else out[k] = m[2];
  }
  out.body = tidyPlain(lines.slice(i).join('\n'));
  return out;
}

/** An SMS text file: a leading `From: X` line is the sender as the phone shows it. */
export function readSms(root, path) {
  const text = repoText(root, path).replace(/\r\n?/g, '\n').trim();
  const m = /^From:\s*(.+)\n+/.exec(text);
  if (m) return { sender: m[1].trim(), text: text.slice(m[0].length).trim() };
  return { sender: '', text };
}

/** A pop-up / page text of tests/fixtures/screen: optional `Title:` line, then the body. */
export function readScreen(root, path) {
  const text = repoText(root, path).replace(/\r\n?/g, '\n').trim();
  const m = /^Title:\s*(.+)\n+/.exec(text);
  return m ? { title: m[1].trim(), body: text.slice(m[0].length).trim() } : { title: '', body: text };
}

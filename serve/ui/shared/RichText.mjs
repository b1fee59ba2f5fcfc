// A message body as text, with http(s) links made clickable and nothing else: every
// other string stays text (htm renders text nodes; no HTML is ever parsed).
import { html } from 'htm/preact';

const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}。，；：！？）]+$/;

export function parts(text) {
  const out = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let url = match[0];
    const trailing = url.match(TRAILING)?.[0] || '';
    url = url.slice(0, url.length - trailing.length);
    if (match.index > last) out.push({ text: text.slice(last, match.index) });
    out.push(safeUrl(url) ? { url } : { text: url });
    last = match.index + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

export function RichText({ text }) {
  return html`${parts(text || '').map((part) => (part.url
    ? html`<a href=${part.url} target="_blank" rel="noopener noreferrer nofollow">${part.url}</a>`
    : part.text))}`;
}

// Message text as parts to render: plain text, and http(s) links. Nothing else ever
// becomes a link (no javascript:, data: or relative URLs); htm renders every part as
// text, so markup in a message shows as what it is.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}'"。，；：！？）】」]+$/;

export function linkParts(body) {
  const parts = [];
  let last = 0;
  for (const match of String(body || '').matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = url.match(TRAILING)?.[0] || '';
    url = url.slice(0, url.length - trailing.length);
    if (!safeHttpUrl(url)) continue;
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    parts.push({ href: url, text: url });
    last = match.index + url.length;
  }
  if (last < String(body || '').length) parts.push({ text: String(body).slice(last) });
  return parts;
}

export function safeHttpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// An attachment's address from the center: same-origin paths or http(s) only.
export function safeAttachmentUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  return safeHttpUrl(value);
}

export function formatBytes(size) {
  if (!Number.isFinite(size)) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

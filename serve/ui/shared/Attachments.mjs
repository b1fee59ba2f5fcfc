// A message's files: images as thumbnails linking to the full picture, videos inline,
// anything else as a download link named by its (text-rendered) file name.
import { html } from 'htm/preact';
import { formatNumber, t } from 'kefu/i18n.mjs';

function sameOrigin(url) {
  try { return new URL(url, location.href).origin === location.origin; } catch { return false; }
}

function size(bytes) {
  if (bytes >= 1048576) return t('file.mb', { n: formatNumber(Math.round(bytes / 104857.6) / 10) });
  return t('file.kb', { n: formatNumber(Math.max(1, Math.round(bytes / 1024))) });
}

export function Attachments({ items }) {
  if (!items?.length) return null;
  return html`<div class="attachments">
    ${items.map((a) => {
      if (typeof a !== 'object' || !sameOrigin(a.url)) return null;
      if (a.content_type?.startsWith('image/')) {
        return html`<a class="thumb" href=${a.url} target="_blank" rel="noopener noreferrer">
          <img src=${a.thumbnail_url || a.url} alt=${a.name} loading="lazy" /></a>`;
      }
      if (a.content_type?.startsWith('video/')) {
        return html`<video class="thumb" src=${a.url} controls preload="metadata" aria-label=${a.name}></video>`;
      }
      return html`<a class="file" href=${a.url} download=${a.name} rel="noopener noreferrer">
        <span aria-hidden="true">📄</span> ${a.name} <span class="soft">(${size(a.size || 0)})</span></a>`;
    })}
  </div>`;
}

// GET /api/v1/reports/{conversations|agents}: JSON for the page, CSV/XLSX as a download
// (fetched with the token, then saved from a blob URL: a plain link carries no token).
import { bearer, request, ApiError } from 'kefu/http.mjs';

function query(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString();
}

export function report(kind, params) {
  return request('GET', `/api/v1/reports/${kind}?${query(params)}`);
}

export async function download(kind, params, format) {
  const response = await fetch(`/api/v1/reports/${kind}?${query({ ...params, format })}`, {
    headers: { Authorization: `Bearer ${bearer()}` }, credentials: 'same-origin',
  });
  if (!response.ok) {
    let body = {};
    try { body = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, body?.error?.code || `http_${response.status}`, body?.error?.message);
  }
  const disposition = response.headers.get('content-disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || `${kind}.${format}`;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

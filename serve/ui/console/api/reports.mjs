// GET /api/v1/reports/{conversations|agents}: JSON for the page, CSV/XLSX as a download
// (fetched with the token, then saved from a blob URL: a plain link carries no token).
import { download as saveFile, request } from 'kefu/http.mjs';

function query(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString();
}

export function report(kind, params) {
  return request('GET', `/api/v1/reports/${kind}?${query(params)}`);
}

export async function download(kind, params, format) {
  return (await saveFile(`/api/v1/reports/${kind}?${query({ ...params, format })}`, `${kind}.${format}`)).name;
}

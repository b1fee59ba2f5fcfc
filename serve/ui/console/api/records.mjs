// Chat records (会话记录): the search, its downloads, one conversation, its messages and
// its visitor (profile: trail, device, region, earlier conversations).
import { download as saveFile, optional, request } from 'kefu/http.mjs';

const query = (filters) => new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '' && v != null));

export function search(filters, offset = 0) {
  const params = query(filters);
  params.set('limit', '50');
  params.set('offset', String(offset));
  return request('GET', `/api/v1/conversations?${params}`);
}

// Every match as CSV or XLSX (the server streams it; at most 100,000 rows), fetched with
// the token and saved from a blob URL: a plain link carries no token.
export async function download(filters, format, lang) {
  const { name, response } = await saveFile(`/api/v1/conversations?${query({ ...filters, format, lang })}`,
                                            `records.${format}`);
  return { name, truncated: response.headers.get('x-kefu-truncated') === 'true' };
}

export const conversation = (id) => request('GET', `/api/v1/conversations/${encodeURIComponent(id)}`);

export const messages = async (id) =>
  (await request('GET', `/api/v1/conversations/${encodeURIComponent(id)}/messages`)).messages;

// null when the visitor is out of the caller's departments (404).
export const visitorProfile = (visitorId) =>
  optional('GET', `/api/v1/visitors/${encodeURIComponent(visitorId)}/profile`);

export const directory = () => request('GET', '/api/v1/directory');

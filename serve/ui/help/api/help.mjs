// The public help API (no token: published public articles of the center only).
import { request } from 'kefu/http.mjs';

const open = (path) => request('GET', path, undefined, { authorized: false });

export const categories = async () => (await open('/api/v1/help/categories')).categories;

export async function articles({ categoryId, q } = {}) {
  const query = new URLSearchParams();
  if (categoryId) query.set('category_id', categoryId);
  if (q) query.set('q', q);
  const answer = await open(`/api/v1/help/articles${query.toString() ? `?${query}` : ''}`);
  return answer.articles || answer.results || [];
}

export const article = (id) => open(`/api/v1/help/articles/${encodeURIComponent(id)}`);

// The knowledge base's staff API (README "Knowledge base"): categories, articles with
// their workflow and versions, the review queue, the center's dictionary.
import { request } from 'kefu/http.mjs';

const BASE = '/api/v1/knowledge';
const id = (value) => encodeURIComponent(value);

export const categories = async () => (await request('GET', `${BASE}/categories`)).categories;
export const createCategory = (body) => request('POST', `${BASE}/categories`, body);
export const changeCategory = (categoryId, body) => request('PATCH', `${BASE}/categories/${id(categoryId)}`, body);
export const removeCategory = (categoryId) => request('DELETE', `${BASE}/categories/${id(categoryId)}`);

export async function articles({ status, categoryId } = {}) {
  const out = [];
  let cursor = null;
  for (let page = 0; page < 20; page += 1) {
    const query = new URLSearchParams({ limit: '100' });
    if (status) query.set('status', status);
    if (categoryId) query.set('category_id', categoryId);
    if (cursor) query.set('cursor', cursor);
    const answer = await request('GET', `${BASE}/articles?${query}`);
    out.push(...answer.articles);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export const article = (articleId) => request('GET', `${BASE}/articles/${id(articleId)}`);
export const createArticle = (body) => request('POST', `${BASE}/articles`, body);
export const changeArticle = (articleId, body) => request('PATCH', `${BASE}/articles/${id(articleId)}`, body);
// submit | approve | reject | archive | restore
export const transition = (articleId, action, comment) =>
  request('POST', `${BASE}/articles/${id(articleId)}/${action}`, comment ? { comment } : {});
export const versions = async (articleId) => (await request('GET', `${BASE}/articles/${id(articleId)}/versions`)).versions;
export const version = (articleId, n) => request('GET', `${BASE}/articles/${id(articleId)}/versions/${n}`);
export const reviewQueue = async () => (await request('GET', `${BASE}/review`)).articles;

export const dictionary = async () => (await request('GET', `${BASE}/dictionary`)).entries;
export const addDictionaryEntry = (body) => request('POST', `${BASE}/dictionary`, body);
export const removeDictionaryEntry = (entryId) => request('DELETE', `${BASE}/dictionary/${id(entryId)}`);

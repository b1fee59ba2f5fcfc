// Knowledge for the reply composer: an article's text the agent chose to insert, handed
// to the composer of that conversation (which owns its draft), and the promote action.
import { signal } from '@preact/signals';
import { t } from 'kefu/i18n.mjs';
import { markupText } from 'kefu/ServerHtml.mjs';
import * as api from '../api/knowledge.mjs';
import { errorText } from '../errors.mjs';
import { tell } from './session.mjs';

// {conversationId, text, n}: n changes on every insert, so the same text can go twice.
export const insertion = signal(null);
let inserted = 0;

// What visitors are told: the published version's text (an edit waiting for review is
// not). The search result carries it when the center gives it; else it is read.
async function publishedText(hit) {
  if (hit.body_text) return hit.body_text;
  const article = await api.article(hit.article_id);
  const live = article.published_version && article.published_version !== article.version
    ? await api.version(hit.article_id, article.published_version) : article;
  return markupText(live.body_html) || live.title;
}

export async function insertArticle(conversationId, hit) {
  try {
    const text = await publishedText(hit);
    inserted += 1;
    insertion.value = { conversationId, text, n: inserted };
  } catch (error) {
    tell('error', errorText(error.code, error.message));
  }
}

// The conversation (or left message) made into a draft article for the knowledge base.
export async function promote(conversationId) {
  try {
    const draft = await api.promote(conversationId);
    tell('info', t('desk.kb.promoted', { title: draft.title }));
    return draft;
  } catch (error) {
    tell('error', errorText(error.code, error.message));
    return null;
  }
}

// One knowledge article: its fields, the rich-text body, the workflow buttons the
// signed-in role may use for its status, and its history (workflow and versions).
// Every save sends the version it was made from: a stale one is refused (409
// version_conflict) so nobody overwrites a colleague's edit.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/knowledge.mjs';
import { errorText } from '../errors.mjs';
import { go } from '../state/route.mjs';
import { me, tell } from '../state/session.mjs';
import { ArticleHistory } from './ArticleHistory.mjs';
import { categoryName, categoryOrder } from './categoryTree.mjs';
import { RichEditor } from './RichEditor.mjs';
import { TagInput } from './TagInput.mjs';
import { attempt } from './useLoad.mjs';

const FIELDS = ['title', 'category_id', 'visibility', 'body_html', 'keywords', 'synonyms', 'questions'];
const REVIEWER_ACTIONS = { in_review: ['approve', 'reject'], published: ['archive'], archived: ['restore'] };

function formOf(article, defaultCategory, categories) {
  return {
    title: article?.title || '', category_id: article?.category_id ?? defaultCategory ?? categories[0]?.id ?? null,
    visibility: article?.visibility || 'internal', body_html: article?.body_html || '',
    keywords: article?.keywords || [], synonyms: article?.synonyms || [], questions: article?.questions || [],
  };
}

function Workflow({ article, dirty, onDone }) {
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');
  const reviewer = ['admin', 'supervisor'].includes(me.value?.role);
  const actions = [...(article.status === 'draft' ? ['submit'] : []),
    ...(reviewer ? REVIEWER_ACTIONS[article.status] || [] : [])];
  const act = async (action, text) => {
    const done = await attempt(() => api.transition(article.id, action, text), { done: t(`console.kb.done.${action}`) });
    if (done) { setRejecting(false); setComment(''); onDone(done); }
  };
  return html`
    <div class="workflow" aria-label=${t('console.kb.workflow')}>
      <span class=${`tag status-${article.status}`}>${t(`console.kb.status.${article.status}`)}</span>
      ${article.published_version && article.published_version !== article.version && html`
        <span class="soft small">${t('console.kb.publishedVersion', { n: article.published_version })}</span>`}
      ${actions.map((action) => html`
        <button class=${action === 'approve' ? 'primary' : action === 'archive' ? 'danger' : ''} data-action=${action}
                disabled=${dirty} onClick=${() => (action === 'reject' ? setRejecting(true) : act(action))}>
          ${t(`console.kb.action.${action}`)}</button>`)}
      ${dirty && actions.length > 0 && html`<span class="soft small">${t('console.kb.saveFirst')}</span>`}
      ${rejecting && html`
        <form class="reject-form" onSubmit=${(e) => { e.preventDefault(); act('reject', comment.trim()); }}>
          <input name="comment" required maxlength="500" aria-label=${t('console.kb.rejectComment')}
                 placeholder=${t('console.kb.rejectComment')} value=${comment} onInput=${(e) => setComment(e.target.value)} />
          <button class="danger" type="submit">${t('console.kb.action.reject')}</button>
          <button type="button" onClick=${() => setRejecting(false)}>${t('console.cancel')}</button>
        </form>`}
    </div>`;
}

export function ArticleEditor({ articleId, categories, defaultCategory, onSaved }) {
  const [article, setArticle] = useState(articleId ? null : {});
  const [form, setForm] = useState(formOf(null, defaultCategory, categories));
  const [dirty, setDirty] = useState(false);
  const [loaded, setLoaded] = useState(0); // keys the body editor: a new article/version reloads it
  const [conflict, setConflict] = useState(false); // a colleague saved a newer version meanwhile
  function show(value) {
    setArticle(value); setForm(formOf(value, defaultCategory, categories)); setDirty(false); setConflict(false);
    setLoaded((n) => n + 1);
  }
  const load = () => attempt(() => api.article(articleId)).then((a) => a && show(a));
  useEffect(() => { if (articleId) load(); }, [articleId]);
  if (!article) return html`<p class="empty">${t('console.loading')}</p>`;
  const set = (key) => (value) => { setForm({ ...form, [key]: value }); setDirty(true); };
  const archived = article.status === 'archived';

  async function save(event) {
    event.preventDefault();
    const body = Object.fromEntries(FIELDS.map((key) => [key, form[key]]));
    if (!article.id) {
      const created = await attempt(() => api.createArticle(body), { done: t('console.kb.created') });
      if (created) { onSaved?.(); go('knowledge', created.id); }
      return;
    }
    try {
      const saved = await api.changeArticle(article.id, { ...body, version: article.version });
      tell('info', t('console.saved'));
      show(saved);
      onSaved?.();
    } catch (error) {
      tell('error', errorText(error.code, error.message));
      if (error.code === 'version_conflict') setConflict(true);
    }
  }
  return html`
    <section class="article-editor" aria-labelledby="article-title">
      <div class="page-head">
        <h2 id="article-title">${article.id ? article.title : t('console.kb.newArticle')}</h2>
        ${article.id && html`<span class="soft small">${t('console.kb.versionN', { n: article.version })}</span>`}
        <span class="spacer"></span>
        <a href="#/knowledge">${t('console.kb.backToList')}</a>
      </div>
      ${article.id && html`<${Workflow} article=${article} dirty=${dirty} onDone=${show} />`}
      ${conflict && html`<p class="conflict" role="alert">${t('console.kb.conflict')}
        <button class="small" onClick=${load}>${t('console.kb.loadNewest')}</button></p>`}
      ${article.source?.conversation_id && html`<p class="soft small">${t('console.kb.promotedFrom', { id: article.source.conversation_id })}</p>`}
      <form class="article-form" onSubmit=${save} aria-label=${t('console.kb.articleForm')}>
        <fieldset disabled=${archived}>
          <label>${t('console.kb.title')}<input name="title" required maxlength="200" value=${form.title}
                 onInput=${(e) => set('title')(e.target.value)} /></label>
          <div class="row">
            <label>${t('console.kb.category')}<select name="category_id" value=${form.category_id ?? ''}
                   onChange=${(e) => set('category_id')(Number(e.target.value))}>
              ${categoryOrder(categories).map((c) => html`<option value=${c.id}>${'\u00a0\u00a0'.repeat(c.depth)}${categoryName(c)}</option>`)}
            </select></label>
            <label>${t('console.kb.visibility')}<select name="visibility" value=${form.visibility}
                   onChange=${(e) => set('visibility')(e.target.value)}>
              <option value="internal">${t('console.kb.visibility.internal')}</option>
              <option value="public">${t('console.kb.visibility.public')}</option>
            </select></label>
          </div>
          <${TagInput} label=${t('console.kb.keywords')} name="keywords" value=${form.keywords} onChange=${set('keywords')} />
          <${TagInput} label=${t('console.kb.synonyms')} name="synonyms" value=${form.synonyms} onChange=${set('synonyms')} />
          <${TagInput} label=${t('console.kb.questions')} name="questions" value=${form.questions} onChange=${set('questions')} commas=${false} />
          <div class="body-field"><span class="tag-label">${t('console.kb.body')}</span>
            <${RichEditor} key=${loaded} initial=${form.body_html} label=${t('console.kb.body')} onChange=${set('body_html')} /></div>
          <div class="row"><button class="primary" type="submit" disabled=${article.id && !dirty}>${t('console.save')}</button></div>
        </fieldset>
        ${archived && html`<p class="soft small">${t('console.kb.archivedNote')}</p>`}
      </form>
      ${article.id && html`<${ArticleHistory} key=${article.version + article.status} article=${article} />`}
    </section>`;
}

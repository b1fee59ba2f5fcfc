// The knowledge categories as a tree on the left of the Knowledge page: choosing one
// filters the articles; admins add a category (under the chosen one) and remove an
// empty one (the server refuses a non-empty one: category_not_empty).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/knowledge.mjs';
import { me } from '../state/session.mjs';
import { categoryName, categoryOrder } from './categoryTree.mjs';
import { attempt } from './useLoad.mjs';

function NewCategory({ parentId, onDone }) {
  const [form, setForm] = useState({ name: '', name_zh: '' });
  async function save(event) {
    event.preventDefault();
    const body = { name: form.name.trim(), ...(form.name_zh.trim() ? { name_zh: form.name_zh.trim() } : {}),
      ...(parentId ? { parent_id: parentId } : {}) };
    if (await attempt(() => api.createCategory(body), { done: t('console.kb.categoryAdded') })) onDone(true);
  }
  return html`
    <form class="category-form" onSubmit=${save} aria-label=${t('console.kb.newCategory')}>
      <input name="name" required maxlength="100" placeholder=${t('console.kb.categoryName')} aria-label=${t('console.kb.categoryName')}
             value=${form.name} onInput=${(e) => setForm({ ...form, name: e.target.value })} />
      <input name="name_zh" maxlength="100" placeholder=${t('console.kb.categoryNameZh')} aria-label=${t('console.kb.categoryNameZh')}
             value=${form.name_zh} onInput=${(e) => setForm({ ...form, name_zh: e.target.value })} />
      <div class="row"><button class="primary small" type="submit">${t('console.save')}</button>
        <button class="small" type="button" onClick=${() => onDone(false)}>${t('console.cancel')}</button></div>
    </form>`;
}

export function CategoryPanel({ categories, chosen, onChoose, reload }) {
  const [adding, setAdding] = useState(false);
  const admin = me.value?.role === 'admin';
  const tree = categoryOrder(categories);
  const remove = (c) => attempt(() => api.removeCategory(c.id), { reload, done: t('console.kb.categoryRemoved') })
    .then((ok) => { if (ok && chosen === c.id) onChoose(null); });
  return html`
    <aside class="kb-categories" aria-labelledby="kb-categories-title">
      <h3 id="kb-categories-title">${t('console.kb.categories')}</h3>
      <ul class="tree">
        <li><button class=${chosen === null ? 'current' : ''} onClick=${() => onChoose(null)}>${t('console.kb.allCategories')}</button></li>
        ${tree.map((c) => html`
          <li data-category=${c.id} style=${`padding-left:${c.depth * 14}px`}>
            <button class=${chosen === c.id ? 'current' : ''} onClick=${() => onChoose(c.id)}>
              ${categoryName(c)} <span class="soft small">${c.article_count ?? ''}</span></button>
            ${admin && chosen === c.id && html`<button class="ghost small danger" aria-label=${t('console.kb.removeCategory', { name: categoryName(c) })}
              onClick=${() => remove(c)}>×</button>`}
          </li>`)}
      </ul>
      ${admin && (adding ? html`<${NewCategory} parentId=${chosen} onDone=${(saved) => { setAdding(false); if (saved) reload(); }} />`
        : html`<button class="small" onClick=${() => setAdding(true)}>${chosen ? t('console.kb.addSubcategory') : t('console.kb.addCategory')}</button>`)}
    </aside>`;
}

// The help center: a search box over the categories on the left, the chosen category's
// articles (or the search's results) and the opened article. The location's hash keeps
// the opened article (#/a/<id>) so a link to it can be shared.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { LanguagePicker } from 'kefu/LanguagePicker.mjs';
import * as api from '../api/help.mjs';
import { ArticleView } from './ArticleView.mjs';
import { categoryName } from './names.mjs';
import { Results } from './Results.mjs';

function openedFromHash() {
  const match = location.hash.match(/^#\/a\/(.+)$/);
  return match ? decodeURIComponent(match[1]) : null;
}

export function App() {
  const [categories, setCategories] = useState(null);
  const [categoryId, setCategoryId] = useState(null);
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const [list, setList] = useState(null);
  const [opened, setOpened] = useState(openedFromHash());
  const [failed, setFailed] = useState(false);

  // Only the categories that hold a published public article: an empty one is no help.
  useEffect(() => {
    api.categories().then((all) => setCategories(all.filter((c) => c.article_count > 0))).catch(() => setFailed(true));
  }, []);
  useEffect(() => {
    const again = () => setOpened(openedFromHash());
    window.addEventListener('hashchange', again);
    return () => window.removeEventListener('hashchange', again);
  }, []);
  useEffect(() => {
    setList(null);
    api.articles({ categoryId, q: asked }).then(setList).catch(() => { setList([]); setFailed(true); });
  }, [categoryId, asked]);

  const search = (event) => { event.preventDefault(); setAsked(query.trim()); location.hash = ''; };
  const pick = (id) => { setCategoryId(id); setAsked(''); setQuery(''); location.hash = ''; };
  const current = (categories || []).find((c) => c.id === categoryId);
  return html`
    <div class="help">
      <header class="help-head">
        <h1><a href="#" onClick=${() => pick(null)}>${t('help.title')}</a></h1>
        <form class="help-search" role="search" onSubmit=${search}>
          <label class="visually-hidden" for="help-q">${t('help.search')}</label>
          <input id="help-q" type="search" value=${query} maxlength="200" placeholder=${t('help.searchPlaceholder')}
                 onInput=${(e) => setQuery(e.target.value)} />
          <button class="primary" type="submit">${t('help.search')}</button>
        </form>
        <${LanguagePicker} app="help" />
      </header>
      ${failed && html`<p class="banner lost" role="alert">${t('help.failed')}</p>`}
      <div class="help-body">
        <nav class="help-categories" aria-label=${t('help.categories')}>
          <ul>
            <li><button class=${categoryId === null ? 'current' : ''} onClick=${() => pick(null)}>${t('help.all')}</button></li>
            ${(categories || []).map((c) => html`
              <li><button class=${categoryId === c.id ? 'current' : ''} data-category=${c.id}
                          onClick=${() => pick(c.id)}>${categoryName(c)}</button></li>`)}
          </ul>
        </nav>
        <main class="help-main">
          ${opened ? html`<${ArticleView} id=${opened} categories=${categories || []} />` : html`
            <h2>${asked ? t('help.resultsFor', { q: asked }) : current ? categoryName(current) : t('help.all')}</h2>
            <${Results} list=${list} categories=${categories || []} />`}
        </main>
      </div>
    </div>`;
}

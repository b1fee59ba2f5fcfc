// The center's dictionary (词典): product names and terms the Chinese segmenter keeps
// whole, and the synonyms a search for the term also finds. Admins change it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import * as api from '../api/knowledge.mjs';
import { isAdmin } from '../state/session.mjs';
import { TagInput } from './TagInput.mjs';
import { attempt, useLoad } from './useLoad.mjs';

function EntryForm({ reload }) {
  const [term, setTerm] = useState('');
  const [synonyms, setSynonyms] = useState([]);
  async function save(event) {
    event.preventDefault();
    const ok = await attempt(() => api.addDictionaryEntry({ term: term.trim(), synonyms }),
      { reload, done: t('console.kb.entryAdded') });
    if (ok) { setTerm(''); setSynonyms([]); }
  }
  return html`
    <form class="inline-form" onSubmit=${save} aria-label=${t('console.kb.newEntry')}>
      <label>${t('console.kb.term')}<input name="term" required maxlength="64" value=${term} onInput=${(e) => setTerm(e.target.value)} /></label>
      <${TagInput} label=${t('console.kb.synonyms')} name="entry-synonyms" value=${synonyms} onChange=${setSynonyms} />
      <button class="primary" type="submit">${t('console.kb.addEntry')}</button>
    </form>`;
}

export function DictionaryPage() {
  const [entries, reload] = useLoad(api.dictionary);
  if (!entries) return html`<p class="empty">${t('console.loading')}</p>`;
  const admin = isAdmin();
  return html`
    <section aria-labelledby="dictionary-title">
      <div class="page-head"><h2 id="dictionary-title">${t('console.nav.dictionary')}</h2></div>
      <p class="soft">${t('console.kb.dictionaryIntro')}</p>
      ${admin && html`<${EntryForm} reload=${reload} />`}
      ${entries.length === 0 ? html`<p class="empty">${t('console.kb.noEntries')}</p>` : html`
        <table class="grid">
          <thead><tr><th>${t('console.kb.term')}</th><th>${t('console.kb.synonyms')}</th><th></th></tr></thead>
          <tbody>${entries.map((e) => html`
            <tr data-entry=${e.id}><td>${e.term}</td><td>${(e.synonyms || []).join(', ') || '—'}</td>
              <td class="actions">${admin && html`<button class="small danger" onClick=${() => attempt(() => api.removeDictionaryEntry(e.id),
                { reload, done: t('console.kb.entryRemoved') })}>${t('console.routing.remove')}</button>`}</td></tr>`)}
          </tbody>
        </table>`}
    </section>`;
}

// An article's history: the workflow trail (who submitted, approved, rejected and why)
// and every version, each of which can be opened to read what it said.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { formatTime, t } from 'kefu/i18n.mjs';
import { ServerHtml } from 'kefu/ServerHtml.mjs';
import * as api from '../api/knowledge.mjs';
import { agentName } from '../state/names.mjs';
import { attempt, useLoad } from './useLoad.mjs';

function OldVersion({ content, onClose }) {
  return html`
    <div class="old-version panel" role="region" aria-label=${t('console.kb.versionN', { n: content.version })}>
      <div class="page-head"><h4>${t('console.kb.versionN', { n: content.version })}: ${content.title}</h4>
        <span class="spacer"></span><button class="small" onClick=${onClose}>${t('console.kb.close')}</button></div>
      ${(content.keywords || []).length > 0 && html`<p class="soft small">${t('console.kb.keywords')}: ${content.keywords.join(', ')}</p>`}
      <${ServerHtml} class="article-body" markup=${content.body_html} />
    </div>`;
}

export function ArticleHistory({ article }) {
  const [versions] = useLoad(() => api.versions(article.id), [article.id]);
  const [opened, setOpened] = useState(null);
  const open = async (n) => { const content = await attempt(() => api.version(article.id, n)); if (content) setOpened(content); };
  return html`
    <div class="article-history">
      <section aria-labelledby="workflow-title">
        <h3 id="workflow-title">${t('console.kb.workflow')}</h3>
        <ol class="workflow-trail">${(article.workflow || []).map((w) => html`
          <li data-workflow=${w.action}><span class="tag">${t(`console.kb.trail.${w.action}`)}</span>
            <span>${agentName(w.by)}</span> <span class="soft small">${formatTime(w.at)}</span>
            ${w.comment && html` <q class="comment">${w.comment}</q>`}</li>`)}
        </ol>
      </section>
      <section aria-labelledby="versions-title">
        <h3 id="versions-title">${t('console.kb.versions')}</h3>
        ${versions ? html`<ul class="versions">${versions.map((v) => html`
          <li data-version=${v.version}><button class="ghost small" onClick=${() => open(v.version)}>
            ${t('console.kb.versionN', { n: v.version })}</button> ${v.title}
            <span class="soft small">${agentName(v.edited_by)} · ${formatTime(v.edited_at)}</span></li>`)}</ul>`
          : html`<p class="empty">${t('console.loading')}</p>`}
        ${opened && html`<${OldVersion} content=${opened} onClose=${() => setOpened(null)} />`}
      </section>
    </div>`;
}

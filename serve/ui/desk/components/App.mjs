// The desk: the login form, or three columns (my conversations / the queue / who is
// browsing; the conversation; the visitor) under the top bar.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from 'kefu/i18n.mjs';
import { SignIn } from 'kefu/SignIn.mjs';
import { Toast } from 'kefu/Toast.mjs';
import { chats, openId, totalUnread as colleaguesUnread } from '../state/colleagues.mjs';
import { active, ordered } from '../state/conversations.mjs';
import { count } from '../state/queue.mjs';
import * as leftMessages from '../state/left_messages.mjs';
import { notice, signIn, signedOutReason, token } from '../state/session.mjs';
import { loadProfile } from '../state/visitors.mjs';
import { ColleagueChat } from './ColleagueChat.mjs';
import { ColleaguesPanel } from './ColleaguesPanel.mjs';
import { ConversationList } from './ConversationList.mjs';
import { ConversationView } from './ConversationView.mjs';
import { KnowledgePanel } from './KnowledgePanel.mjs';
import { LeftMessagesPanel } from './LeftMessagesPanel.mjs';
import { LeftMessageView } from './LeftMessageView.mjs';
import { OnlinePanel } from './OnlinePanel.mjs';
import { QueuePanel } from './QueuePanel.mjs';
import { TopBar } from './TopBar.mjs';
import { VisitorPanel } from './VisitorPanel.mjs';

const PROFILE_REFRESH_MS = 10000;

function Tabs({ tab, setTab }) {
  const openCount = ordered.value.filter((c) => c.state === 'open').length;
  const tabs = [['chats', t('desk.tab.chats', { n: openCount })], ['queue', t('desk.tab.queue', { n: count.value })],
    ['online', t('desk.tab.online')],
    ['colleagues', colleaguesUnread.value ? t('desk.tab.colleaguesUnread', { n: colleaguesUnread.value })
      : t('desk.tab.colleagues')], ['left', t('desk.tab.left'), leftMessages.count.value],
    ['knowledge', t('desk.tab.knowledge')]];
  return html`
    <div class="tabs" role="tablist" aria-label=${t('desk.tab.label')}>
      ${tabs.map(([name, label, badge]) => html`
        <button role="tab" id=${`tab-${name}`} aria-selected=${tab === name ? 'true' : 'false'}
                aria-label=${badge > 0 ? t('desk.tab.counted', { label, n: badge }) : undefined}
                aria-controls="side-panel" onClick=${() => setTab(name)}>${label}${badge > 0
          && html`<span class="badge" aria-hidden="true">${badge}</span>`}</button>`)}
    </div>`;
}

function Workspace() {
  const [tab, setTab] = useState('chats');
  // The left messages are read again whenever their tab is opened (a reply or close by a
  // supervisor is not pushed).
  useEffect(() => { if (tab === 'left') leftMessages.load(); }, [tab]);
  const c = active.value;
  // A chat with a colleague takes the middle (and the visitor's column) while open.
  const colleague = openId.value ? chats.value[openId.value] : null;
  // An opened left message takes them while its tab is shown.
  const left = tab === 'left' && leftMessages.openedId.value ? leftMessages.opened.value : undefined;
  // The visitor's trail grows while they browse: read again every few seconds while shown.
  useEffect(() => {
    if (!c?.visitorId) return undefined;
    loadProfile(c.visitorId, { fresh: true });
    const again = setInterval(() => loadProfile(c.visitorId, { fresh: true }), PROFILE_REFRESH_MS);
    return () => clearInterval(again);
  }, [c?.id, c?.visitorId]);
  return html`
    <div class="desk">
      <${TopBar} />
      <div class="columns">
        <nav class="side" aria-label=${t('desk.side.label')}>
          <${Tabs} tab=${tab} setTab=${setTab} />
          <div id="side-panel" role="tabpanel" aria-labelledby=${`tab-${tab}`} class="side-panel">
            ${tab === 'chats' && html`<${ConversationList} />`}
            ${tab === 'queue' && html`<${QueuePanel} />`}
            ${tab === 'online' && html`<${OnlinePanel} />`}
            ${tab === 'colleagues' && html`<${ColleaguesPanel} />`}
            ${tab === 'left' && html`<${LeftMessagesPanel} />`}
            ${tab === 'knowledge' && html`<${KnowledgePanel} />`}
          </div>
        </nav>
        ${left !== undefined ? html`<main class="middle wide"><${LeftMessageView} item=${left} /></main>`
        : colleague ? html`<main class="middle wide"><${ColleagueChat} chat=${colleague} /></main>` : html`
          <main class="middle"><${ConversationView} c=${c} /></main>
          <${VisitorPanel} c=${c} />`}
      </div>
      <${Toast} notice=${notice.value} />
    </div>`;
}

export function App() {
  if (token.value) return html`<${Workspace} />`;
  return html`<${SignIn} app="desk" title=${t('desk.title')} intro=${t('desk.login.intro')}
    expired=${signedOutReason.value === 'expired'} onSignedIn=${signIn} />`;
}

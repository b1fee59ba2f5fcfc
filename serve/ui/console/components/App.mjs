// The console: the sign-in form, a refusal for agents (the server refuses them every
// call anyway), or the navigation and the page the location names.
import { html } from 'htm/preact';
import { t } from 'kefu/i18n.mjs';
import { LanguagePicker } from 'kefu/LanguagePicker.mjs';
import { SignIn } from 'kefu/SignIn.mjs';
import { Toast } from 'kefu/Toast.mjs';
import { connectionState } from '../socket.mjs';
import { PAGES, route } from '../state/route.mjs';
import { me, notice, signIn, signOut, signedOutReason, token } from '../state/session.mjs';
import { AgentsPage } from './AgentsPage.mjs';
import { BotPage } from './BotPage.mjs';
import { CannedRepliesPage } from './CannedRepliesPage.mjs';
import { CenterPage } from './CenterPage.mjs';
import { DepartmentsPage } from './DepartmentsPage.mjs';
import { DictionaryPage } from './DictionaryPage.mjs';
import { KnowledgePage } from './KnowledgePage.mjs';
import { LeftMessagesPage } from './LeftMessagesPage.mjs';
import { MonitorPage } from './MonitorPage.mjs';
import { RecordsPage } from './RecordsPage.mjs';
import { ReviewPage } from './ReviewPage.mjs';
import { ReportsPage } from './ReportsPage.mjs';
import { RoutingPage } from './RoutingPage.mjs';
import { SkillGroupsPage } from './SkillGroupsPage.mjs';
import { WidgetPage } from './WidgetPage.mjs';
import { WorkHoursPage } from './WorkHoursPage.mjs';

const PAGE_VIEWS = {
  monitor: MonitorPage, records: RecordsPage, 'left-messages': LeftMessagesPage, reports: ReportsPage, agents: AgentsPage, departments: DepartmentsPage, 'skill-groups': SkillGroupsPage,
  routing: RoutingPage, 'work-hours': WorkHoursPage, canned: CannedRepliesPage, knowledge: KnowledgePage, review: ReviewPage, dictionary: DictionaryPage, bot: BotPage, widget: WidgetPage,
  center: CenterPage,
};

function TopBar() {
  return html`
    <header class="topbar">
      <h1 class="brand">${t('console.title')}</h1>
      <span class="who">${me.value?.display_name || ''}</span>
      <span class="tag">${me.value ? t(`console.role.${me.value.role}`) : ''}</span>
      <span class="spacer"></span>
      <a class="ghost" href="/desk">${t('console.toDesk')}</a>
      <${LanguagePicker} app="console" />
      <button class="ghost" onClick=${() => signOut()}>${t('signOut')}</button>
    </header>
    ${connectionState.value === 'lost' && html`<div class="banner lost" role="status">${t('connection.lost')}</div>`}`;
}

function Nav() {
  const current = route.value.page;
  return html`
    <nav class="console-nav" aria-label=${t('console.nav.label')}>
      <ul>
        ${PAGES.map((page) => html`
          <li><a href=${`#/${page}`} aria-current=${current === page ? 'page' : undefined}>
            ${t(`console.nav.${page}`)}</a></li>`)}
      </ul>
    </nav>`;
}

function Shell() {
  if (!me.value) return html`<p class="empty">${t('console.loading')}</p>`;
  if (!['admin', 'supervisor'].includes(me.value.role)) {
    return html`
      <main class="login"><div class="login-card">
        <h1>${t('console.title')}</h1>
        <p role="alert">${t('console.agentsOnlyDesk')}</p>
        <a class="primary button" href="/desk">${t('console.toDesk')}</a>
        <button onClick=${() => signOut()}>${t('signOut')}</button>
      </div></main>`;
  }
  const View = PAGE_VIEWS[route.value.page];
  return html`
    <div class="console">
      <${TopBar} />
      <div class="console-body">
        <${Nav} />
        <main class="console-page"><${View} arg=${route.value.arg} /></main>
      </div>
      <${Toast} notice=${notice.value} />
    </div>`;
}

export function App() {
  if (token.value) return html`<${Shell} />`;
  return html`<${SignIn} app="console" title=${t('console.title')} intro=${t('console.login.intro')}
    expired=${signedOutReason.value === 'expired'} onSignedIn=${signIn} />`;
}

// Which page the console shows: the location's hash (#/agents, #/records/<id>), so the
// browser's back button and a bookmark work and a reload stays on the page.
import { signal } from '@preact/signals';

export const PAGES = ['monitor', 'records', 'left-messages', 'reports', 'agents', 'departments', 'skill-groups', 'routing', 'work-hours', 'canned', 'knowledge', 'review', 'dictionary', 'bot', 'widget', 'center'];

function parse() {
  const [page = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { page: PAGES.includes(page) ? page : PAGES[0], arg: rest.map(decodeURIComponent).join('/') || null };
}

export const route = signal(parse());
window.addEventListener('hashchange', () => { route.value = parse(); });

export function go(page, arg = null) {
  location.hash = `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
}

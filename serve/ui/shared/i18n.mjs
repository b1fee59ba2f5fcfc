// Strings of the web UIs: a small t() over flat catalogues (DESIGN.md decision 11).
//
// Each app has its own pair, <app>/i18n/en.json and <app>/i18n/zh-CN.json, merged over
// the shared pair in shared/i18n/. tests/unit/test_ui_catalogues.py fails on a key that
// is missing from either language or used in code but in no catalogue.
// The language is, in order: ?lang= on the page, the one the user chose before (kept
// in localStorage), the browser's languages, English.
import { signal } from '@preact/signals';

export const LANGUAGES = ['en', 'zh-CN'];
export const LANGUAGE_NAMES = { en: 'English', 'zh-CN': '简体中文' };
const STORAGE_KEY = 'kefu.lang';

export const lang = signal('en');
const catalogues = {};

export function supported(code) {
  if (!code) return null;
  const lower = String(code).toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

function stored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; } // storage may be blocked
}

export function preferredLanguage() {
  const asked = supported(new URLSearchParams(location.search).get('lang'));
  if (asked) return asked;
  const chosen = supported(stored());
  if (chosen) return chosen;
  for (const code of navigator.languages || [navigator.language]) {
    const found = supported(code);
    if (found) return found;
  }
  return 'en';
}

async function fetchCatalogue(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`catalogue ${url}: ${response.status}`);
  return response.json();
}

// Loads (once) and switches to `code`; `app` names the app's folder under /ui/.
export async function useLanguage(app, code, { remember = false } = {}) {
  const language = supported(code) || 'en';
  if (!catalogues[language]) {
    const [shared, own] = await Promise.all([
      fetchCatalogue(`/ui/shared/i18n/${language}.json`),
      fetchCatalogue(`/ui/${app}/i18n/${language}.json`),
    ]);
    catalogues[language] = { ...shared, ...own };
  }
  if (language !== 'en' && !catalogues.en) await useLanguage(app, 'en'); // the fallback
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, language); } catch { /* blocked storage */ }
  }
  document.documentElement.lang = language;
  lang.value = language;
}

// t(key, {name: value}) fills {name} in the text. Reading lang.value
// subscribes the calling component, so a language switch re-renders it.
export function t(key, params) {
  const text = catalogues[lang.value]?.[key] ?? catalogues.en?.[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  const options = today ? { hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang.value, options).format(date);
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('duration.seconds', { s });
  if (s < 3600) return t('duration.minutes', { m: Math.floor(s / 60), s: s % 60 });
  return t('duration.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export function formatNumber(value) {
  return new Intl.NumberFormat(lang.value).format(value);
}

// The widget's look and words as the admin set them (GET /api/v1/widget/config).
// A center without the call, or one that fails, gets the defaults: the chat works anyway.
import { request } from './http.mjs';

export const DEFAULT_CONFIG = Object.freeze({
  title: '', greeting: '', color: '#1f6feb', position: 'right',
  logo_url: '', agent_icon_url: '', offline_message: '', menu: [],
});

const COLOR = /^#[0-9a-fA-F]{3,8}$|^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/;

function clean(config) {
  const out = { ...DEFAULT_CONFIG };
  for (const key of Object.keys(DEFAULT_CONFIG)) {
    if (typeof config?.[key] === 'string') out[key] = config[key];
  }
  if (!COLOR.test(out.color)) out.color = DEFAULT_CONFIG.color;
  out.menu = (Array.isArray(config?.menu) ? config.menu : [])
    .filter((e) => typeof e?.skill_group === 'string' && typeof e?.label === 'string');
  if (out.position !== 'left') out.position = 'right';
  return out;
}

export async function fetchWidgetConfig() {
  try {
    return clean(await request('GET', '/api/v1/widget/config'));
  } catch {
    return { ...DEFAULT_CONFIG };
  }
}

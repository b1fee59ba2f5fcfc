// The knowledge categories (flat, with parent ids) in display order: each after its
// parent, with its depth; siblings by position, then name.
import { lang } from 'kefu/i18n.mjs';

export function categoryName(category) {
  if (!category) return '';
  return lang.value === 'zh-CN' && category.name_zh ? category.name_zh : category.name;
}

export function categoryOrder(categories) {
  const children = new Map();
  for (const c of categories) {
    const key = c.parent_id ?? null;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(c);
  }
  const out = [];
  const seen = new Set();
  const walk = (parent, depth) => {
    const siblings = (children.get(parent) || []).sort((a, b) => (a.position ?? 0) - (b.position ?? 0)
      || categoryName(a).localeCompare(categoryName(b)));
    for (const c of siblings) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push({ ...c, depth });
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  for (const c of categories) if (!seen.has(c.id)) { seen.add(c.id); out.push({ ...c, depth: 0 }); }
  return out;
}

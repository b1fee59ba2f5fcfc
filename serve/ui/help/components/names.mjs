// A category's name in the page's language (name_zh for zh-CN when the center set one).
import { lang } from 'kefu/i18n.mjs';

export function categoryName(category) {
  if (!category) return '';
  return lang.value === 'zh-CN' && category.name_zh ? category.name_zh : category.name;
}

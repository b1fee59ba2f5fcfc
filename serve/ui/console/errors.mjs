// Error codes from the center (PROTOCOL.md's shape) as sentences for a supervisor.
import { t } from 'kefu/i18n.mjs';

const CODES = ['unauthorized', 'forbidden', 'not_found', 'already_exists', 'own_account', 'deleted',
  'managed_by_environment', 'unknown_skill_group', 'conversation_closed', 'invalid_request',
  'invalid_frame', 'at_capacity', 'rate_limited', 'network',
  // the knowledge base's
  'version_conflict', 'bad_transition', 'archived', 'category_not_empty', 'unsafe_html', 'comment_required',
  'duplicate_term', 'unknown_category', 'category_cycle'];

export function errorText(code, message) {
  if (CODES.includes(code)) return t(`console.error.${code}`);
  return t('console.error.other', { code: code || '?', message: message || '' });
}

// Error codes from the center (PROTOCOL.md's shape) as sentences for the agent.
import { t } from 'kefu/i18n.mjs';

const TEXTS = {
  unauthorized: () => t('desk.error.unauthorized'),
  forbidden: () => t('desk.error.forbidden'),
  not_waiting: () => t('desk.error.not_waiting'),
  at_capacity: () => t('desk.error.at_capacity'),
  not_available: () => t('desk.error.not_available'),
  unknown_agent: () => t('desk.error.unknown_agent'),
  unknown_skill_group: () => t('desk.error.unknown_skill_group'),
  conversation_closed: () => t('desk.error.conversation_closed'),
  account_disabled: () => t('desk.error.account_disabled'),
  invitations_off: () => t('desk.error.invitations_off'),
  visitor_not_browsing: () => t('desk.error.visitor_not_browsing'),
  already_invited: () => t('desk.error.already_invited'),
  in_conversation: () => t('desk.error.in_conversation'),
  rate_limited: () => t('desk.error.rate_limited'),
  network: () => t('desk.error.network'),
  left_message_taken: () => t('desk.error.left_message_taken'),
  left_message_closed: () => t('desk.error.left_message_closed'),
  no_email_address: () => t('desk.error.no_email_address'),
  email_not_configured: () => t('desk.error.email_not_configured'),
  email_failed: () => t('desk.error.email_failed'),
  bad_transition: () => t('desk.error.bad_transition'),
  conversation_not_finished: () => t('desk.error.conversation_not_finished'),
  nothing_to_promote: () => t('desk.error.nothing_to_promote'),
};

export function errorText(code, message) {
  const text = TEXTS[code];
  if (text) return text();
  if (code === 'http_413') return t('desk.error.too_large');
  if (code === 'http_415') return t('desk.error.type_not_allowed');
  return t('desk.error.other', { code: code || '?', message: message || '' });
}

// How people are named on the desk when they gave no name.
import { t } from 'kefu/i18n.mjs';
import { agentName } from '../state/directory.mjs';
import { me } from '../state/session.mjs';

export function visitorLabel(c) {
  return c.visitorName || t('desk.visitor.anonymous', { id: (c.visitorId || c.id).slice(-6) });
}

export function agentLabel(agentId) {
  if (agentId && agentId === me.value?.agent_id) return t('desk.you');
  return agentName(agentId) || t('desk.agent.unknown');
}

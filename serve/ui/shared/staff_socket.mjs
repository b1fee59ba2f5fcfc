// A staff page's workspace socket (/ws/agent) on kefu/connection.mjs: the token in the
// URL, a close for a revoked or expired token signing out, and the connection's state
// mirrored into `state` (for the page's banner) while it is the page's current one.
import { Connection } from 'kefu/connection.mjs';

export function openStaffSocket(token, { state, isCurrent, onFrame, onOpen = () => {}, onExpired }) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const connection = new Connection({
    url: () => `${scheme}://${location.host}/ws/agent?token=${encodeURIComponent(token)}`,
    onFrame,
    onOpen,
    onClose: (event) => {
      if (event.code === 4401 || event.code === 4403) onExpired();
    },
  });
  state.value = connection.state.peek();
  connection.state.subscribe((value) => { if (isCurrent(connection)) state.value = value; });
  return connection;
}

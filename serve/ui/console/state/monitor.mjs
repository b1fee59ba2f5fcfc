// The live monitor's snapshot: read once (GET /api/v1/monitor), then pushed by the center
// on the console's socket after `monitor.watch` (serve/websocket-frames.md), again after
// every reconnect while the page is shown.
import { signal } from '@preact/signals';
import { request } from 'kefu/http.mjs';
import { onFrame, send } from '../socket.mjs';

export const snapshot = signal(null);
export const unavailable = signal(false);
let watching = 0;

function newer(next) {
  const current = snapshot.value;
  // A new epoch (the monitor restarted and reseeded) starts its versions anew.
  return !current || next.epoch !== current.epoch || next.version >= current.version;
}

onFrame((frame) => {
  if (frame.type === 'monitor') {
    const { type, ...figures } = frame; // eslint-disable-line no-unused-vars
    if (newer(figures)) snapshot.value = figures;
  } else if (frame.type === 'console.open' && watching) {
    send({ type: 'monitor.watch' }, { quiet: true });
  }
});

export async function watch() {
  watching += 1;
  send({ type: 'monitor.watch' }, { quiet: true });
  try {
    const first = await request('GET', '/api/v1/monitor');
    unavailable.value = false;
    if (newer(first)) snapshot.value = first;
  } catch (error) {
    if (error.status === 503) unavailable.value = true;
  }
}

export function unwatch() {
  watching = Math.max(0, watching - 1);
  if (!watching) send({ type: 'monitor.unwatch' }, { quiet: true });
}

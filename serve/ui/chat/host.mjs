// The embedded chat's side of the postMessage bridge with the loader (widget.js).
// The loader tells us its page's origin in our URL fragment; we accept messages only
// from that origin and from our parent window, and send only to that origin.
const fragment = new URLSearchParams(location.hash.slice(1));
const query = new URLSearchParams(location.search);

export const embedded = query.get('embedded') === '1' && window.parent !== window;
export const skillGroup = query.get('skill_group') || null;
const parentOrigin = embedded ? validOrigin(fragment.get('origin')) : null;

// What the loader passed: the returning visitor (`visitor_id.key`) and a token.
export const passedVisitor = { v: fragment.get('v') || '', vt: fragment.get('vt') || '' };
// Not left in the address (the frame's URL may end up in a screenshot or a report).
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

function validOrigin(value) {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function toHost(message) {
  if (parentOrigin) window.parent.postMessage({ ...message }, parentOrigin);
}

export function onHostMessage(handlers) {
  if (!parentOrigin) return;
  window.addEventListener('message', (event) => {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    const message = event.data;
    const handler = message && typeof message.kefu === 'string'
      && Object.hasOwn(handlers, message.kefu) && handlers[message.kefu];
    if (handler) handler(message);
  });
}

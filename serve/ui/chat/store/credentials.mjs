// Who the visitor is: a token for the socket, and the `visitor_id.key` that brings
// the same visitor back when the token has expired (issue 9 contract, "Returning
// visitors"). Embedded, both live in the host page's first-party cookies (the loader
// passes them in our URL fragment, we hand new ones back by postMessage) and nothing
// is written to this frame's third-party storage; standalone, in localStorage.
import { createVisitor, tradeKey } from '../api/visitors.mjs';
import { embedded, passedVisitor, toHost } from '../host.mjs';

const STORAGE_KEY = 'kefu.visitor';
const TOKEN_TTL_MS = 11 * 3600 * 1000; // a little under the center's 12 h
export const current = { token: '', visitorId: '' };

function remembered() {
  if (embedded) return { ...passedVisitor };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}');
    return { v: saved.v || '', vt: saved.until > Date.now() ? saved.vt || '' : '' };
  } catch {
    return { v: '', vt: '' };
  }
}

function remember(v, vt) {
  if (embedded) {
    passedVisitor.v = v;
    passedVisitor.vt = vt;
    toHost({ kefu: 'visitor', v, vt });
    return;
  }
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ v, vt, until: Date.now() + TOKEN_TTL_MS }));
  } catch { /* storage blocked: a new visitor next time */ }
}

function adopt(answer, fallbackKey) {
  const v = answer.key ? `${answer.visitor_id}.${answer.key}` : fallbackKey;
  current.token = answer.token;
  current.visitorId = answer.visitor_id;
  remember(v, answer.token);
}

// A token to open the socket with; `refused`: the last one was turned down (expired).
export async function obtainToken({ refused = false } = {}) {
  const known = remembered();
  if (!refused && known.vt) {
    current.token = known.vt;
    return;
  }
  const dot = known.v.indexOf('.');
  if (dot > 0) {
    try {
      adopt(await tradeKey(known.v.slice(0, dot), known.v.slice(dot + 1)), known.v);
      return;
    } catch (error) {
      // A wrong or forgotten key (or a visitor the center no longer has): a new visitor.
      if (![401, 403, 404, 422].includes(error.status)) throw error;
    }
  }
  adopt(await createVisitor(), '');
}

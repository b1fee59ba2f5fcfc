// Sounds for a new conversation, a new message and a transfer.
//
// - One tab plays them: the leader, which holds the Web Lock `kefu.desk.sounds`; when
//   it closes, the browser grants the lock to the next tab.
// - Nothing sounds twice: the leader remembers, in localStorage shared by the tabs,
//   the conversations it announced and the last seq it sounded for, so a reload, a
//   resume or a new leader replays no sound for what was already seen.
// - Tones are generated with WebAudio (no files). When the browser keeps audio blocked
//   until a click, `blocked` says so and the desk shows a button that allows it.
// window.__kefuSounds counts what was played (read by the browser tests).
import { signal } from '@preact/signals';
import { BoundedMap } from 'kefu/storage.mjs';

export const leader = signal(false);
export const blocked = signal(false);
export const muted = signal(false);

const counter = { played: 0, blocked: 0, kinds: [] };
window.__kefuSounds = counter;

const TUNES = {
  conversation: [[660, 0, 0.12], [880, 0.14, 0.16]],
  message: [[740, 0, 0.1]],
  transfer: [[520, 0, 0.1], [660, 0.12, 0.1], [880, 0.24, 0.14]],
};
const QUIET_MS = 800; // a burst of messages (a history being replayed) sounds once

let notified = new BoundedMap('kefu.desk.notified.anonymous', 500);
let context = null;
const lastPlayed = {};

export function forAgent(agentId) {
  notified = new BoundedMap(`kefu.desk.notified.${agentId}`, 500);
}

function elect() {
  if (!navigator.locks?.request) { leader.value = true; return; } // one tab at best
  navigator.locks.request('kefu.desk.sounds', () => {
    leader.value = true;
    return new Promise(() => {}); // held until this tab closes
  });
}
elect();

function audio() {
  if (!context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    context = new Context();
  }
  return context;
}

export async function allow() {
  const ctx = audio();
  if (!ctx) return;
  try { await ctx.resume(); } catch { /* still blocked */ }
  blocked.value = ctx.state !== 'running';
}
// Any click on the page is the gesture the browser waits for.
window.addEventListener('pointerdown', () => { if (blocked.value) allow(); });

async function play(kind) {
  if (muted.value || Date.now() - (lastPlayed[kind] || 0) < QUIET_MS) return;
  lastPlayed[kind] = Date.now();
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state !== 'running') {
    try { await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 300))]); } catch { /* blocked */ }
  }
  if (ctx.state !== 'running') {
    blocked.value = true;
    counter.blocked += 1;
    return;
  }
  blocked.value = false;
  const start = ctx.currentTime + 0.01;
  for (const [frequency, offset, length] of TUNES[kind]) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + length + 0.02);
  }
  counter.played += 1;
  counter.kinds.push(kind);
}

// A conversation given to me (kind: conversation | transfer), announced once ever.
// The messages it came with (up to lastSeq) are part of that one sound.
export function announceConversation(conversationId, kind, lastSeq = 0) {
  if (!leader.value) return;
  const seen = notified.get(conversationId);
  if (seen?.announced) return;
  notified.set(conversationId, { seq: Math.max(seen?.seq || 0, lastSeq), announced: true });
  play(kind);
}

// A conversation the desk finds open when it starts (the welcome): what it holds so far
// is not news; only what comes after sounds.
export function baseline(conversationId, lastSeq) {
  if (notified.get(conversationId)) return;
  notified.set(conversationId, { seq: lastSeq, announced: true });
}

// A visitor's message, sounded once ever.
export function announceMessage(conversationId, seq) {
  if (!leader.value) return;
  const seen = notified.get(conversationId) || { seq: 0 };
  if (seq <= seen.seq) return;
  notified.set(conversationId, { ...seen, seq });
  play('message');
}

// A soft two-note chime, made with WebAudio (no sound files). Browsers may refuse
// to start audio before the visitor has interacted with the page: the context is
// resumed on the first key or pointer press, and `soundBlocked` says when it is not.
import { soundBlocked } from './store/widget.mjs';

let context = null;

function audio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return null;
  if (!context) context = new Context();
  return context;
}

export async function unlockSound() {
  const ctx = audio();
  if (!ctx) return;
  try { await ctx.resume(); } catch { /* refused: reported below */ }
  soundBlocked.value = ctx.state !== 'running';
}

for (const name of ['pointerdown', 'keydown']) {
  window.addEventListener(name, () => { if (!context || context.state !== 'running') unlockSound(); },
                          { capture: true });
}

export async function chime() {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state !== 'running') {
    try { await ctx.resume(); } catch { /* refused */ }
  }
  if (ctx.state !== 'running') {
    soundBlocked.value = true;
    return;
  }
  soundBlocked.value = false;
  const start = ctx.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.12, 1320]]) {
    const tone = ctx.createOscillator();
    const gain = ctx.createGain();
    tone.type = 'sine';
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.12, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.35);
    tone.connect(gain).connect(ctx.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.4);
  }
  window.__kefuChimes = (window.__kefuChimes || 0) + 1; // counted for the browser tests
}

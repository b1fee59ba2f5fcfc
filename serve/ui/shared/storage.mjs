// localStorage as small JSON values, shared by the agent's tabs. Storage may be blocked
// (a strict privacy setting): the desk then works without remembering.
export function read(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function write(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* blocked or full */ }
}

export function remove(key) {
  try { localStorage.removeItem(key); } catch { /* blocked */ }
}

// A map kept to its `limit` newest entries (per conversation bookkeeping must not grow
// for ever over months of work).
export class BoundedMap {
  constructor(key, limit = 300) { this.key = key; this.limit = limit; }

  all() { return read(this.key, {}); }

  get(name) { return this.all()[name]; }

  set(name, value) {
    const entries = this.all();
    delete entries[name];
    entries[name] = value;
    const names = Object.keys(entries);
    for (const old of names.slice(0, Math.max(0, names.length - this.limit))) delete entries[old];
    write(this.key, entries);
  }
}

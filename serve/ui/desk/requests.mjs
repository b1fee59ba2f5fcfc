// Requests the desk ties to their answers: the frame carries a `request_id` the center
// echoes on the `error` (or `done`) frame that answers it (serve/websocket-frames.md).
const LIMIT = 200; // answers lost with a dropped socket never come: keep only the newest
const pending = new Map(); // request_id -> what was asked
let counter = 0;

// `frame` with a fresh request id; `what` is handed back with its answer.
export function named(frame, what) {
  counter += 1;
  const id = `${frame.type}-${Date.now().toString(36)}-${counter.toString(36)}`;
  pending.set(id, what);
  if (pending.size > LIMIT) pending.delete(pending.keys().next().value);
  return { ...frame, request_id: id };
}

// What the request this frame answers asked (once), or null for a frame naming none of ours.
export function answered(frame) {
  const what = frame.request_id ? pending.get(frame.request_id) : undefined;
  if (what === undefined) return null;
  pending.delete(frame.request_id);
  return what;
}

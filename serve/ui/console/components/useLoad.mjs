// A page's data: loaded on mount and again on `reload()`, a failure shown as a toast.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../errors.mjs';
import { tell } from '../state/session.mjs';

export function useLoad(load, deps = []) {
  const [data, setData] = useState(null);
  const [failed, setFailed] = useState(false);
  const reload = useCallback(() => load().then((value) => { setData(value); setFailed(false); })
    .catch((error) => { setFailed(true); tell('error', errorText(error.code, error.message)); }), deps);
  useEffect(() => { reload(); }, [reload]);
  return [data, reload, failed];
}

// Runs a change; a success reloads and says `done`, a failure says why.
export async function attempt(change, { done, reload } = {}) {
  try {
    const result = await change();
    if (done) tell('info', done);
    if (reload) await reload();
    return result ?? true;
  } catch (error) {
    tell('error', errorText(error.code, error.message));
    return null;
  }
}

// The one place the staff pages (desk, console) call REST: the token as a Bearer header,
// errors in PROTOCOL.md's shape turned into ApiError, a 401 sending back to the login.
let credentials = { token: () => null, onUnauthorized: () => {} };

export function configure({ token, onUnauthorized }) {
  credentials = { token, onUnauthorized };
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

async function failure(response) {
  let code = `http_${response.status}`;
  let message = response.statusText;
  try {
    const body = await response.json();
    code = body?.error?.code || code;
    message = body?.error?.message || message;
  } catch { /* not JSON: keep the status */ }
  return new ApiError(response.status, code, message);
}

export async function request(method, path, body, { authorized = true } = {}) {
  const headers = { Accept: 'application/json' };
  const token = credentials.token();
  if (authorized && token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401 && authorized) credentials.onUnauthorized();
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

// A resource the center may not offer yet (an older center): null instead of an error.
export async function optional(method, path, body) {
  try {
    return await request(method, path, body);
  } catch (error) {
    if (error.status === 404 || error.status === 405) return null;
    throw error;
  }
}

export function bearer() {
  return credentials.token();
}

// A CSV/XLSX download: fetched with the token (a plain link carries none), saved from a
// blob URL under the server's file name (`fallbackName` if it gives none). The response
// is returned for its headers.
export async function download(path, fallbackName) {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${credentials.token()}` }, credentials: 'same-origin',
  });
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { name, response };
}

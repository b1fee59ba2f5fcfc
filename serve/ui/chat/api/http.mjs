// JSON over fetch against the center's REST API (same origin as the chat page).
// Errors keep PROTOCOL.md's shape: {status, code, message}.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export async function request(method, path, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                   credentials: 'omit' });
  } catch (error) {
    throw new ApiError(0, 'network', String(error));
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data?.error?.code || 'http_error', data?.error?.message);
  }
  return data;
}

// The JSON API of zwnet serve, from the browser: the session cookie travels by itself, the
// CSRF token of the session goes with every write. Errors keep the API's field and message so
// that forms can show them next to the field.

let csrf = null;

export function setCsrf(token) {
  csrf = token || null;
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `请求失败（${status}）`);
    this.status = status;
    this.code = e.code || null;
    this.field = e.field || null;
    this.clause = e.clause || null;
    this.body = body || null;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { error: { message: '无法连接服务器，请检查网络' } });
  }
  const text = await r.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

// Upload a file as the request body (a signed agreement's scan: PUT; a sheet to import: POST).
export async function upload(path, file, method = 'PUT') {
  const r = await fetch('/api/v1' + path, {
    method,
    headers: { 'Content-Type': file.type || 'application/octet-stream', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
    credentials: 'same-origin',
    body: file,
  });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

export const get = (path) => api('GET', path);

// Every page of a list (the API gives at most 500 items a page), as { items }.
export async function getAll(path, maxPages = 40) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(path + sep + 'limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return { items, next_cursor: cursor };
}
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

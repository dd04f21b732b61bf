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

// A POST carries an Idempotency-Key: when its answer is lost (the network, the server going
// down), it is sent once more with the same key and the server answers what it did the first
// time instead of doing it twice. crypto.getRandomValues works on plain http too (a county
// server on its own LAN), where crypto.randomUUID does not.
function idemKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function send(url, init) {
  const post = init.method === 'POST';
  if (post) init.headers['Idempotency-Key'] = idemKey();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch {
      if (!post || attempt >= 1) throw new ApiError(0, { error: { message: '无法连接服务器，请检查网络' } });
      await new Promise((ok) => setTimeout(ok, 1000));
    }
  }
}

async function answer(r) {
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

// A session that ends while someone works (it expired, or was ended elsewhere): the console
// asks for the password in place (expired() resolves once signed in again) and the request is
// sent again, so nothing typed is lost and the step that was asked for is taken.
let expired = null;
let waiting = null; // one sign-in for every request that found the session gone
export function onSessionExpired(fn) {
  expired = fn;
}

export async function api(method, path, body) {
  for (let again = false; ; again = true) {
    const signedIn = csrf !== null;
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    const r = await send('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 401 && signedIn && !again && expired && path !== '/session') {
      waiting ??= expired().finally(() => { waiting = null; });
      await waiting;
      continue;
    }
    return answer(r);
  }
}

// Upload a file as the request body (a signed agreement's scan: PUT; a sheet to import: POST).
export async function upload(path, file, method = 'PUT') {
  const r = await send('/api/v1' + path, {
    method,
    headers: { 'Content-Type': file.type || 'application/octet-stream', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
    credentials: 'same-origin',
    body: file,
  });
  return answer(r);
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
  // stopped at maxPages with more to come: said (capped), never a silently short list
  return { items, next_cursor: cursor, capped: !!cursor };
}
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

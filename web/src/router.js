// A small history router: the console's pages are paths (/units/3), so a page can be
// bookmarked and reloaded (zwnet serve answers index.html for any console path).
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((f) => f(location.pathname + location.search));
}

window.addEventListener('popstate', () =>
  listeners.forEach((f) => f(location.pathname + location.search)));

export function usePath() {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

// Match "/units/:id" against a path; the params, or null.
export function match(pattern, path) {
  const pp = pattern.split('/');
  const xs = path.split('?')[0].split('/');
  if (pp.length !== xs.length) return null;
  const params = {};
  for (let i = 0; i < pp.length; i++) {
    if (pp[i].startsWith(':')) params[pp[i].slice(1)] = decodeURIComponent(xs[i]);
    else if (pp[i] !== xs[i]) return null;
  }
  return params;
}

export function query(path, name) {
  const q = path.split('?')[1] || '';
  return new URLSearchParams(q).get(name);
}

/**
 * Where to go after signing in: only a path on this site. The candidate is percent-decoded until it stops
 * changing (so `%5C`, `%252F` and friends are seen as what a server or browser may turn them into) and
 * refused when any form of it has a backslash, a control character, a scheme or starts with `//`; what is
 * kept is the URL parser's normalised path, query and fragment. Anything else goes to `/`.
 * Plain TypeScript: the login form runs it in the browser too.
 */
const ORIGIN = 'http://callback.invalid';

function decodedForms(raw: string): string[] {
  const forms = [raw];
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(forms[forms.length - 1]);
    } catch {
      return [...forms, '\\'];
    }
    if (next === forms[forms.length - 1]) break;
    forms.push(next);
  }
  return forms;
}

function isPlainPath(form: string): boolean {
  // eslint-disable-next-line no-control-regex
  return form.startsWith('/') && !form.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(form);
}

export function safeCallbackPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) return '/';
  if (!decodedForms(raw).every(isPlainPath)) return '/';
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== ORIGIN) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  return decodedForms(path).every(isPlainPath) ? path : '/';
}

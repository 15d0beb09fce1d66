/** The console lives under /admin; the gateway answers index.html for every deep link below it. */
export const BASE = '/admin';

/** The path below /admin ("/settings/members"), without a trailing slash; "/" for the console's root. */
export function routeOf(pathname: string): string {
  const below = pathname === BASE || pathname.startsWith(`${BASE}/`) ? pathname.slice(BASE.length) : pathname;
  const trimmed = below.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function hrefOf(to: string): string {
  return to === '/' ? `${BASE}/` : `${BASE}${to}`;
}

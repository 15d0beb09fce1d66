export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The API's details are plain sentences that may hold an ISO instant: shown like every other time. */
export function withLocalTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, (iso) => formatTime(iso));
}

/** A `datetime-local` input's value as an ISO instant (the admin's local time), or undefined. */
export function isoOfLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** Actors as recorded (`admin:adm_x1y2`, `token:scim_ab12`, `idp`, …) in words, with the resolved name when known. */
export function actorText(actor: string, actorName: string | null | undefined): string {
  const [kind, id] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : [actor, ''];
  const what = kind === 'admin' ? 'admin key' : kind === 'token' ? 'SCIM token' : kind;
  if (actorName) return id ? `${actorName} (${what} ${id})` : actorName;
  if (kind === 'admin') return `Admin (admin key ${id})`;
  if (kind === 'token') return `Identity provider (SCIM token ${id})`;
  if (kind === 'operator') return 'Operator (CLI)';
  if (kind === 'system') return 'System';
  return id ? `${kind} ${id}` : kind;
}

const DIALECTS: Record<string, string> = {
  entra: 'Microsoft Entra ID',
  azure: 'Microsoft Entra ID',
  okta: 'Okta',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'Ping Identity',
  generic: 'Generic SCIM client',
  admin: 'Admin console / API',
};

/** Entra ID's two SCIM behaviours are recorded as dialects of their own (IdpDialect in libs/domain). */
const VARIANTS: Record<string, string> = {
  'entra-legacy': 'Microsoft Entra ID (legacy SCIM behaviour)',
  'entra-2020': 'Microsoft Entra ID',
  rfc: 'Standard SCIM client',
  system: 'System',
};

export function dialectText(dialect: string | null | undefined): string {
  if (!dialect) return '—';
  const key = dialect.toLowerCase();
  return VARIANTS[key] ?? DIALECTS[key] ?? dialect;
}

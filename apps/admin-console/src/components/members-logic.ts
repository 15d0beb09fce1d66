import type { MemberView } from '../api/types';

/** What the merge needs: approve-merge is called on the LOCAL account, which the SCIM user then takes over. */
export interface MergePair {
  email: string | null;
  localId: string;
  localName: string;
}

export function mergePairOf(member: MemberView): MergePair | null {
  if (!member.possibleDuplicateOf) return null;
  return member.source === 'local'
    ? { email: member.email, localId: member.id, localName: member.displayName ?? member.userName }
    : { email: member.email, localId: member.possibleDuplicateOf, localName: member.email ?? 'the local account' };
}

/** Flattens a SCIM resource into attribute paths (custom and enterprise extensions included). */
export function flattenResource(value: unknown, prefix = ''): [string, string][] {
  if (value === null || value === undefined) return prefix ? [[prefix, '—']] : [];
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) return [[prefix, value.map(String).join(', ') || '—']];
    return value.flatMap((item, index) => flattenResource(item, `${prefix}[${index}]`));
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== 'schemas' && key !== 'meta')
      .flatMap(([key, inner]) => flattenResource(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, String(value)]];
}


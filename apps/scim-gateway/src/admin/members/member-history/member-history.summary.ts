/** How the console names a dialect's IdP in a sentence. */
const IDP_NAMES: Record<string, string> = {
  'entra-legacy': 'Entra ID',
  'entra-2020': 'Entra ID',
  okta: 'Okta',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'Ping',
};

export interface HistoryEventFacts {
  type: string;
  data: Record<string, unknown>;
  actor: string;
  actorName: string | null;
  dialect: string | null;
}

/** Who caused an event, as the end of a sentence: "by the IdP (Okta)", "by admin Jane (admin:adm_ab)". */
export function causedBy(facts: Pick<HistoryEventFacts, 'actor' | 'actorName' | 'dialect'>): string {
  const named = facts.actorName ? ` ${facts.actorName}` : '';
  if (facts.actor.startsWith('token:')) {
    const idp = facts.dialect ? IDP_NAMES[facts.dialect] : undefined;
    return idp ? `by the IdP (${idp})` : `by the IdP${facts.actorName ? ` (${facts.actorName})` : ''}`;
  }
  if (facts.actor.startsWith('admin:')) return `by admin${named || ` ${facts.actor.slice('admin:'.length)}`}`;
  if (facts.actor === 'operator') return 'by an operator';
  if (facts.actor === 'system') return 'by the system';
  return `by ${facts.actor}`;
}

/** One human sentence for a member's event, as its history shows it. */
export function summaryOf(facts: HistoryEventFacts): string {
  const by = causedBy(facts);
  switch (facts.type) {
    case 'ACCOUNT_SCIM_USER_CREATED':
      return `Provisioned ${by}`;
    case 'ACCOUNT_SCIM_USER_UPDATED': {
      const changed = Array.isArray(facts.data['changedAttributes']) ? (facts.data['changedAttributes'] as unknown[]).map(String) : [];
      return changed.length > 0 ? `${changed.join(', ')} changed ${by}` : `Updated ${by}`;
    }
    case 'ACCOUNT_SCIM_USER_DEACTIVATED':
      return `Deactivated ${by}`;
    case 'ACCOUNT_SCIM_USER_REACTIVATED':
      return `Reactivated ${by}`;
    case 'ACCOUNT_SCIM_USER_DELETED':
      return `Deleted ${by}`;
    case 'ACCOUNT_LOCAL_MEMBER_CREATED':
      return `Local account created ${by}`;
    case 'ACCOUNT_LOCAL_MEMBER_MERGE_APPROVED':
      return `Merge with the IdP's user approved ${by}`;
    case 'ACCOUNT_SCIM_USER_MERGED':
      return facts.data['mergedBy'] === 'admin'
        ? `Linked to the IdP's user after an admin's approval, ${by}`
        : `Linked to the IdP's user with the same email ${by}`;
    default:
      return `${facts.type} ${by}`;
  }
}

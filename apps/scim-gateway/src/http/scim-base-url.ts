import type { HttpConfig } from '@axis/config';

/** The SCIM endpoint URL an admin pastes into the IdP, and the base of `meta.location`. */
export function scimBaseUrl(config: HttpConfig): string {
  return `${config.publicUrl()}/scim/v2`;
}

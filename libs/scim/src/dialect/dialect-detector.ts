import { getProperty, isJsonObject } from '../schemas/resource-access';
import { ONELOGIN_CORE_SCHEMA } from '../schemas/schema-uris';

export type ScimDialect = 'entra-legacy' | 'entra-2020' | 'okta' | 'onelogin' | 'jumpcloud' | 'ping' | 'rfc';

export interface DialectProbe {
  readonly userAgent?: string;
  /** Request URL or just its query string; Entra's `?aadOptscim062020` flag is looked for here. */
  readonly url?: string;
  /** Parsed JSON body, if any. */
  readonly body?: unknown;
  /** The `filter` query parameter, if any. */
  readonly filter?: string;
}

export interface DialectDetection {
  readonly dialect: ScimDialect;
  /** Why: the signals that decided it, for logs and the audit trail. */
  readonly signals: readonly string[];
}

const ENTRA_FLAG = /aadoptscim062020/i;
const ENTRA_DOWNGRADE_FLAG = /azureadscimpatch2017/i;

/**
 * User-Agent fragments. Okta's ("Okta SCIM Client 1.0.0") is documented by Okta; Entra's
 * ("Microsoft Azure AD SCIM provisioning …") and Ping's ("Apache-HttpClient") come from GitHub's
 * EMU SCIM tests; OneLogin's and JumpCloud's are assumed to name the vendor (unverified: the one
 * OneLogin trace found, goauthentik/authentik#11249, shows an empty User-Agent).
 */
const USER_AGENTS: readonly { readonly pattern: RegExp; readonly vendor: 'entra' | 'okta' | 'onelogin' | 'jumpcloud' | 'ping' }[] = [
  { pattern: /okta/i, vendor: 'okta' },
  { pattern: /azure ?ad|microsoft|entra|aad/i, vendor: 'entra' },
  { pattern: /onelogin/i, vendor: 'onelogin' },
  { pattern: /jumpcloud/i, vendor: 'jumpcloud' },
  { pattern: /ping ?(?:federate|one|identity)|apache-httpclient/i, vendor: 'ping' },
];

interface PatchShape {
  capitalisedOps: boolean;
  lowercaseOps: boolean;
  stringBooleans: boolean;
  pathlessDottedKeys: boolean;
  removeWithValue: boolean;
}

function patchShape(body: unknown): PatchShape | undefined {
  if (!isJsonObject(body)) return undefined;
  const operations = getProperty(body, 'Operations');
  if (!Array.isArray(operations)) return undefined;
  const shape: PatchShape = { capitalisedOps: false, lowercaseOps: false, stringBooleans: false, pathlessDottedKeys: false, removeWithValue: false };
  for (const operation of operations) {
    if (!isJsonObject(operation)) continue;
    const op = getProperty(operation, 'op');
    if (typeof op === 'string') {
      if (/^[A-Z]/.test(op)) shape.capitalisedOps = true;
      else shape.lowercaseOps = true;
    }
    const value = getProperty(operation, 'value');
    const path = getProperty(operation, 'path');
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) shape.stringBooleans = true;
    if (typeof op === 'string' && op.toLowerCase() === 'remove' && value !== undefined && value !== null) shape.removeWithValue = true;
    if (path === undefined && isJsonObject(value) && Object.keys(value).some((key) => key.includes('.') || key.toLowerCase().startsWith('urn:'))) {
      shape.pathlessDottedKeys = true;
    }
  }
  return shape;
}

/** OneLogin's connector template names the core schema its own way (see ONELOGIN_CORE_SCHEMA). */
function declaresOneLoginSchema(body: unknown): boolean {
  const schemas = isJsonObject(body) ? getProperty(body, 'schemas') : undefined;
  return Array.isArray(schemas) && schemas.some((uri) => typeof uri === 'string' && uri.toLowerCase() === ONELOGIN_CORE_SCHEMA);
}

/**
 * Classifies which IdP request dialect a request speaks, from its User-Agent, Entra's URL flag
 * and the body/filter shape. Pure; used to label events and pick nothing else (the normalisers
 * accept every dialect anyway).
 */
export function detectDialect(probe: DialectProbe): DialectDetection {
  const signals: string[] = [];
  const ua = probe.userAgent ?? '';
  const vendor = USER_AGENTS.find((entry) => entry.pattern.test(ua))?.vendor;
  if (vendor !== undefined) signals.push(`user-agent:${vendor}`);
  const shape = patchShape(probe.body);
  const flag = probe.url !== undefined && ENTRA_FLAG.test(probe.url) && !ENTRA_DOWNGRADE_FLAG.test(probe.url);
  if (flag) signals.push('url:aadOptscim062020');

  const entraLegacyShape = shape !== undefined && (shape.capitalisedOps || shape.stringBooleans || shape.removeWithValue);
  if (vendor === 'entra' || flag) {
    if (shape !== undefined) {
      if (entraLegacyShape) {
        signals.push('body:legacy-patch');
        return { dialect: 'entra-legacy', signals };
      }
      if (shape.lowercaseOps) {
        signals.push('body:compliant-patch');
        return { dialect: 'entra-2020', signals };
      }
    }
    return { dialect: flag ? 'entra-2020' : 'entra-legacy', signals };
  }
  if (vendor !== undefined) return { dialect: vendor, signals };

  if (declaresOneLoginSchema(probe.body)) {
    signals.push('body:onelogin-schema-urn');
    return { dialect: 'onelogin', signals };
  }
  if (probe.filter !== undefined && /^\s*emails\s+eq\s/i.test(probe.filter)) {
    signals.push('filter:emails-eq');
    return { dialect: 'ping', signals };
  }
  if (shape !== undefined && shape.capitalisedOps) {
    signals.push('body:capitalised-ops');
    return { dialect: 'entra-legacy', signals };
  }
  if (shape !== undefined && shape.pathlessDottedKeys) {
    signals.push('body:pathless-dotted-keys');
    return { dialect: 'entra-2020', signals };
  }
  return { dialect: 'rfc', signals };
}

/** `detectDialect(probe).dialect`. */
export function classifyDialect(probe: DialectProbe): ScimDialect {
  return detectDialect(probe).dialect;
}

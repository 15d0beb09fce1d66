/**
 * Event patterns of a webhook subscription, matched against CloudEvent types
 * (`platform.scim.user.deactivated`). Segments are dot-separated; `*` as the last segment matches
 * one or more segments (`platform.scim.*`), elsewhere exactly one (`platform.scim.*.created`);
 * a lone `*` matches everything.
 */
const PATTERN = /^(\*|[a-z0-9-]+)(\.(\*|[a-z0-9-]+))*$/;

export function isValidWebhookPattern(pattern: string): boolean {
  return pattern.length <= 200 && PATTERN.test(pattern);
}

export function matchesWebhookPattern(pattern: string, type: string): boolean {
  const want = pattern.split('.');
  const have = type.split('.');
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment === '*' && i === want.length - 1) return have.length > i;
    if (i >= have.length) return false;
    if (segment !== '*' && segment !== have[i]) return false;
  }
  return want.length === have.length;
}

export function matchesAnyWebhookPattern(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => matchesWebhookPattern(pattern, type));
}

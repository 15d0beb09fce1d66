import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A webhook URL the platform will not call; the message is safe to show the admin. */
export class WebhookTargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefusedError';
  }
}

export interface ResolvedWebhookTarget {
  url: URL;
  /** Every address the host resolved to, all checked; connect only to these. */
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

export interface WebhookTargetOptions {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback, private and link-local targets, and plain http. */
  allowPrivate: boolean;
  /** Injectable for tests. */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

/** Loopback, private, shared, link-local, multicast and reserved ranges (RFC 6890 and friends). */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Cloud instance-metadata endpoints: refused even when private targets are allowed. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

/** IPv4 behind IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible or NAT64 (`64:ff9b::/96`) IPv6. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** Why an address may not be called, or null when it may. */
export function refusedAddressReason(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const normalised = (v4 ?? address).toLowerCase();
  if (METADATA.has(normalised)) return 'is a cloud metadata address';
  if (allowPrivate) return null;
  const blocked = v4 ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address, 'ipv6');
  return blocked ? 'is a loopback, private, link-local or reserved address' : null;
}

/**
 * Checks a webhook URL and resolves its host, refusing it when ANY address is not public. Called
 * when a subscription is created or changed, and again before every delivery, whose connection
 * then goes to one of the returned (checked) addresses, so a DNS answer that changes between
 * check and connect (rebinding) cannot reach an internal address.
 */
export async function resolveWebhookTarget(rawUrl: string, options: WebhookTargetOptions): Promise<ResolvedWebhookTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new WebhookTargetRefusedError('url is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowPrivate)) {
    throw new WebhookTargetRefusedError('url must use https');
  }
  if (url.username || url.password) throw new WebhookTargetRefusedError('url must not contain credentials');
  if (rawUrl.length > 2048) throw new WebhookTargetRefusedError('url is longer than 2048 characters');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (options.resolve ?? ((name) => lookup(name, { all: true, verbatim: true })))(host);
    } catch {
      throw new WebhookTargetRefusedError(`host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new WebhookTargetRefusedError(`host ${host} does not resolve`);
  }
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address, options.allowPrivate);
    if (reason) throw new WebhookTargetRefusedError(`host ${host} resolves to ${address}, which ${reason}`);
  }
  return { url, addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })) };
}

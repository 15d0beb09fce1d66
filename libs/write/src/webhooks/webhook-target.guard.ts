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
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Cloud instance-metadata endpoints (AWS, ECS, Alibaba; AWS and GCP over IPv6): refused even when private targets are allowed. */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200']);
const METADATA_V6 = new BlockList();
for (const address of ['fd00:ec2::254', 'fd00:ec2::23', 'fd20:ce::254']) METADATA_V6.addAddress(address, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a dotted IPv4 tail read), or null. */
function ipv6Groups(address: string): number[] | null {
  const text = address.toLowerCase().replace(/%.*$/, '');
  if (isIP(text) !== 6) return null;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  const [a, b, c, d] = dotted ? (dotted.slice(1).map(Number) as [number, number, number, number]) : [0, 0, 0, 0];
  const head = dotted ? `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}` : text;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const [left, right] = head.split('::') as [string, string | undefined];
  const leftGroups = parse(left);
  const rightGroups = right === undefined ? [] : parse(right);
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (right === undefined ? missing !== 0 : missing < 0) return null;
  return [...leftGroups, ...new Array<number>(right === undefined ? 0 : missing).fill(0), ...rightGroups];
}

function ipv4Of(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * The IPv4 address an IPv6 address carries and a network may deliver to: IPv4-mapped
 * (`::ffff:0:0/96`), IPv4-compatible (`::/96`, deprecated but still routed by some stacks), SIIT
 * (`::ffff:0:0:0/96`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`, bits 16–47). Checking only the
 * IPv6 form let `[::7f00:1]` and `[2002:7f00:1::]` reach loopback.
 */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return ipv4Of(g[6]!, g[7]!);
  if (zeros(0, 6)) return ipv4Of(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!);
  return null;
}

/**
 * Tunnels whose IPv4 end cannot be read back reliably: Teredo (`2001::/32`, the client address
 * obfuscated and the relay chosen by the network) and local-use NAT64 (`64:ff9b:1::/48`, any
 * prefix length). Refused outright.
 */
function isOpaqueTunnel(address: string): boolean {
  const g = ipv6Groups(address);
  return g !== null && ((g[0] === 0x2001 && g[1] === 0) || (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1));
}

/** Why an address may not be called, or null when it may. The reason never repeats the address. */
export function refusedAddressReason(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address.replace(/%.*$/, ''));
  if (family === 0) return 'is not an IP address';
  if (family === 6 && isOpaqueTunnel(address)) return 'is a tunnel (Teredo or local NAT64) address';
  const v4 = family === 4 ? address : embeddedIpv4(address);
  if (v4 ? METADATA_V4.has(v4) : METADATA_V6.check(address.replace(/%.*$/, ''), 'ipv6')) return 'is a cloud metadata address';
  if (allowPrivate) return null;
  const blocked = v4 ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address.replace(/%.*$/, ''), 'ipv6');
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
  const literal = isIP(host) !== 0;
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address, options.allowPrivate);
    if (!reason) continue;
    // An admin may learn why an address they typed is refused, never what an internal name resolves to.
    if (literal) throw new WebhookTargetRefusedError(`address ${host} ${reason}`);
    throw new WebhookTargetRefusedError(
      reason === 'is a cloud metadata address' ? `host ${host} resolves to a cloud metadata address` : `host ${host} resolves to a private or reserved address`,
    );
  }
  return { url, addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })) };
}

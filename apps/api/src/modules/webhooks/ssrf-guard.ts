import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { WebhookUrlForbidden, WebhookUrlInvalid, WebhookUrlUnresolvable } from './webhooks.errors';

/** How long a webhook host name may take to resolve. */
const RESOLVE_TIMEOUT_MS = 3_000;

/**
 * Unicast addresses that are nevertheless a cloud host's own services: Azure's wireserver
 * (168.63.129.16), and the deprecated IPv4-compatible IPv6 block (::/96, e.g. ::a00:1 = 10.0.0.1).
 */
const ALSO_REFUSED = [ipaddr.parseCIDR('168.63.129.16/32'), ipaddr.parseCIDR('::/96')];

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves host names for webhook deliveries (all addresses, like the system resolver). A
 * provider of its own so tests can stub DNS (no outside traffic) and prove the SSRF guard.
 */
@Injectable()
export class WebhookResolver {
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    // Bounded: a name server that never answers must not hold a delivery (or a registration
    // request) past its lease. The lookup itself still occupies a libuv thread until the system
    // resolver gives up.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error(`DNS lookup of ${hostname} timed out`), { code: 'ETIMEOUT' })),
        RESOLVE_TIMEOUT_MS,
      );
    });
    try {
      const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
      return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Whether a literal address is one deliveries may reach in production: a public unicast
 * address. ipaddr.js names every special range (loopback, private 10/8 172.16/12 192.168/16,
 * unique local fc00::/7, link-local 169.254/16 and fe80::/10 with the cloud metadata address,
 * unspecified, CGNAT 100.64/10, multicast, broadcast, reserved, documentation, and IPv6 forms
 * that embed or tunnel IPv4 such as 6to4, Teredo and NAT64); only what it calls `unicast` is
 * allowed. An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.range() !== 'unicast') return false;
  return !ALSO_REFUSED.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits));
}

/** The host of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Where a delivery to (or a registration of) `url` may connect: the host's first address, after
 * checking every address it resolves to (a literal IP is checked as is). Unless private
 * addresses are allowed, one non-public answer refuses the whole name (403-style 400
 * WEBHOOK_URL_FORBIDDEN). The caller connects to the returned address itself, so a second DNS
 * answer (rebinding) can never change where the request goes.
 */
export async function resolveTarget(url: URL, resolver: WebhookResolver, allowPrivate: boolean): Promise<ResolvedAddress> {
  const host = bareHost(url);
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await resolver.resolve(host);
    } catch {
      throw new WebhookUrlUnresolvable();
    }
  }
  if (addresses.length === 0) throw new WebhookUrlUnresolvable();
  if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) throw new WebhookUrlForbidden();
  return addresses[0]!;
}

/** Parses and checks the shape of an endpoint URL: absolute http(s), no credentials, no fragment. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlInvalid();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.hash || !url.hostname) {
    throw new WebhookUrlInvalid();
  }
  return url;
}

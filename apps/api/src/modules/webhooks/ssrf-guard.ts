import { Injectable } from '@nestjs/common';
import { Resolver } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { WebhookUrlForbidden, WebhookUrlHttpsRequired, WebhookUrlInvalid, WebhookUrlUnresolvable } from './webhooks.errors';

/** How long one DNS query may wait for an answer, and how many times it is sent (c-ares). */
const DNS_QUERY_TIMEOUT_MS = 1_000;
const DNS_QUERY_TRIES = 2;

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
 * Resolves host names for webhook deliveries (every A and AAAA record). A provider of its own so
 * tests can stub DNS (no outside traffic) and prove the SSRF guard.
 *
 * It asks the name servers itself through c-ares (`dns.Resolver`, the servers of
 * /etc/resolv.conf) rather than `dns.lookup`: getaddrinfo runs on libuv's small thread pool
 * (4 threads, shared with file and crypto work) and cannot be cancelled, so a few registrations
 * or deliveries naming a host whose name server never answers would stall the whole process.
 * c-ares is asynchronous and gives up after two tries (1 s, then 2 s: c-ares doubles the wait).
 */
@Injectable()
export class WebhookResolver {
  private readonly dns = newDnsResolver();

  resolve(hostname: string): Promise<ResolvedAddress[]> {
    return resolveHost(this.dns, hostname);
  }
}

/** A c-ares resolver with the bounded timeout of webhook lookups (optionally asking given servers). */
export function newDnsResolver(servers?: string[]): Resolver {
  const dns = new Resolver({ timeout: DNS_QUERY_TIMEOUT_MS, tries: DNS_QUERY_TRIES });
  if (servers) dns.setServers(servers);
  return dns;
}

/**
 * Every address of `hostname`: its A and AAAA records (asked at once), IPv4 first. Fails only when
 * neither query answers with an address. `localhost` and `*.localhost` are loopback by definition
 * (RFC 6761) and never asked (c-ares, unlike getaddrinfo, does not read /etc/hosts).
 */
export async function resolveHost(dns: Pick<Resolver, 'resolve4' | 'resolve6'>, hostname: string): Promise<ResolvedAddress[]> {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
  }
  const [v4, v6] = await Promise.allSettled([dns.resolve4(name), dns.resolve6(name)]);
  const found: ResolvedAddress[] = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
  ];
  if (found.length === 0) {
    throw v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : new Error(`${name} has no address`);
  }
  return found;
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

/**
 * Parses and checks the shape of an endpoint URL: absolute http(s), no credentials, no fragment;
 * with `requireHttps` (production), https only (400 WEBHOOK_URL_HTTPS_REQUIRED).
 */
export function parseWebhookUrl(raw: string, requireHttps: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlInvalid();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.hash || !url.hostname) {
    throw new WebhookUrlInvalid();
  }
  if (requireHttps && url.protocol !== 'https:') throw new WebhookUrlHttpsRequired();
  return url;
}

/**
 * An endpoint URL as audit entries and notices record it: scheme, host, port and path only. A
 * query string may carry a receiver's token (`?key=…`) and userinfo a password; neither belongs
 * in an append-only log or an email.
 */
export function urlForRecord(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

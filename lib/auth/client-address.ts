import net from 'node:net';
import { getConfig } from '@/lib/config';

/**
 * Who is on the other end of a request. The app's own server (scripts/server.ts) writes the socket's peer
 * address into PEER_ADDRESS_HEADER after dropping any copy a client sent; X-Forwarded-For and
 * X-Forwarded-Host are believed only when that peer is one of TRUSTED_PROXIES (addresses or CIDR ranges,
 * comma-separated; empty by default: nobody's forwarded headers are believed). Node's BlockList does the
 * address matching (IPv4, IPv6, IPv4-mapped IPv6).
 */
export const PEER_ADDRESS_HEADER = 'x-reader-study-peer-address';

export type HeaderLookup = (name: string) => string | null | undefined;

export function parseTrustedProxies(setting: string | undefined): net.BlockList {
  const list = new net.BlockList();
  for (const entry of (setting ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, prefix] = entry.split('/');
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!net.isIP(address)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function isTrusted(address: string, trusted: net.BlockList): boolean {
  if (!net.isIP(address)) return false;
  return trusted.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the peer, or — when the peer is a trusted proxy — the right-most X-Forwarded-For
 * entry that is not itself a trusted proxy (entries left of it could be written by anyone).
 */
export function clientAddress(header: HeaderLookup, trusted: net.BlockList): string {
  const peer = plain(header(PEER_ADDRESS_HEADER)?.trim() ?? '');
  if (!peer) return 'unknown';
  if (!isTrusted(peer, trusted)) return peer;
  const hops = (header('x-forwarded-for') ?? '').split(',').map((s) => plain(s.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(hops[i], trusted)) return hops[i];
  }
  return hops[0] ?? peer;
}

/** The host the browser addressed: X-Forwarded-Host only from a trusted proxy, else Host. */
export function requestHost(header: HeaderLookup, trusted: net.BlockList): string | null {
  const peer = plain(header(PEER_ADDRESS_HEADER)?.trim() ?? '');
  const forwarded = header('x-forwarded-host')?.split(',')[0]?.trim();
  if (forwarded && peer && isTrusted(peer, trusted)) return forwarded;
  return header('host') ?? null;
}

let configured: { setting: string; list: net.BlockList } | null = null;

/** TRUSTED_PROXIES from the configuration, parsed once. */
export function trustedProxies(): net.BlockList {
  const setting = getConfig().TRUSTED_PROXIES;
  if (configured?.setting !== setting) configured = { setting, list: parseTrustedProxies(setting) };
  return configured.list;
}

import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies, PEER_ADDRESS_HEADER, requestHost } from './client-address';

const headers = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe('client address', () => {
  const none = parseTrustedProxies('');
  const proxies = parseTrustedProxies('10.0.0.0/8, 127.0.0.1, ::1');

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: '192.0.2.5', 'x-forwarded-for': '198.51.100.7' }), none)).toBe('192.0.2.5');
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: '::ffff:192.0.2.5' }), none)).toBe('192.0.2.5');
    expect(clientAddress(headers({ 'x-forwarded-for': '198.51.100.7' }), none)).toBe('unknown');
  });

  it('behind trusted proxies, is the right-most forwarded hop that is not a proxy', () => {
    const via = (xff: string, peer = '10.1.2.3') => clientAddress(headers({ [PEER_ADDRESS_HEADER]: peer, 'x-forwarded-for': xff }), proxies);
    expect(via('198.51.100.7')).toBe('198.51.100.7');
    // The left entries are whatever the client claimed; the proxy appended the real one.
    expect(via('1.2.3.4, 198.51.100.7, 10.0.0.9')).toBe('198.51.100.7');
    expect(via('', '::1')).toBe('::1');
    // A peer that is not a trusted proxy is the client, forwarded header or not.
    expect(via('198.51.100.7', '203.0.113.1')).toBe('203.0.113.1');
  });

  it('believes X-Forwarded-Host only from a trusted proxy', () => {
    const values = { host: 'app.example', 'x-forwarded-host': 'evil.example' };
    expect(requestHost(headers({ ...values, [PEER_ADDRESS_HEADER]: '203.0.113.1' }), proxies)).toBe('app.example');
    expect(requestHost(headers({ ...values, [PEER_ADDRESS_HEADER]: '10.0.0.2' }), proxies)).toBe('evil.example');
    expect(requestHost(headers(values), proxies)).toBe('app.example');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address', () => {
    expect(() => parseTrustedProxies('proxy.local')).toThrow(/TRUSTED_PROXIES/);
  });
});

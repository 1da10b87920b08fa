import { afterEach, describe, expect, it } from 'vitest';
import { resetConfigCache } from '@/lib/config';
import { JSON_BODY_MAX_BYTES } from '@/lib/http';
import { apiRoutes, callRoute } from '../support/routes';

const echo = () => apiRoutes().find((r) => r.pattern === '/api/bench/echo')!;

function withBenchRoutes(value: string | undefined) {
  if (value === undefined) delete process.env.BENCH_ROUTES;
  else process.env.BENCH_ROUTES = value;
  resetConfigCache();
}

describe("the reading benchmark's baseline route POST /api/bench/echo", () => {
  afterEach(() => withBenchRoutes(undefined));

  it('is 404 unless BENCH_ROUTES=1', async () => {
    withBenchRoutes(undefined);
    expect((await callRoute(echo(), 'POST', { body: { token: 'x' } })).status).toBe(404);
    withBenchRoutes('0');
    expect((await callRoute(echo(), 'POST', { body: { token: 'x' } })).status).toBe(404);
  });

  it('with BENCH_ROUTES=1 reads the JSON body and answers 201, a bounded body only', async () => {
    withBenchRoutes('1');
    const ok = await callRoute(echo(), 'POST', { body: { token: 'x', position: 3 } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ ok: true });
    // Kept out of the server's gzip, as the answer acknowledgement it stands in for.
    expect(ok.headers.get('cache-control')).toBe('no-store, no-transform');
    const big = await callRoute(echo(), 'POST', { rawBody: JSON.stringify({ pad: 'x'.repeat(JSON_BODY_MAX_BYTES) }) });
    expect(big.status).toBe(413);
  });
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/passwords';
import { getPrisma } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrations';
import { JSON_BODY_MAX_BYTES } from '@/lib/http';
import { apiRoutes, callRoute, sessionCookie, type ApiRoute } from '../support/routes';
import { openHeadCtStudy } from '../support/open-study';

/** A body of `bytes` bytes streamed without a declared length (chunked), as a hostile client would send it. */
function streamedBody(prefix: string, bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  return new ReadableStream({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode(prefix));
        sent += prefix.length;
      } else if (sent < bytes) {
        controller.enqueue(chunk);
        sent += chunk.byteLength;
      } else controller.close();
    },
  });
}

let routes: ApiRoute[];
let reader: { id: string; assignmentId: string; items: Array<{ token: string; position: number }> };
let readerCookie: string;

async function responses(): Promise<number> {
  return getPrisma().response.count({ where: { item: { assignmentId: reader.assignmentId } } });
}

describe('every JSON route reads a bounded body', () => {
  beforeAll(async () => {
    await applyMigrations(process.env.DATABASE_URL!);
    routes = apiRoutes();
    const study = await openHeadCtStudy('limits', 1);
    reader = study.readers[0];
    readerCookie = await sessionCookie(reader.id);
  }, 120_000);

  const answers = () => routes.find((r) => r.pattern === '/api/reading/[assignmentId]/answers')!;
  const answer = (extra: Record<string, unknown> = {}) => ({ token: reader.items[0].token, position: 0, call: 'REAL', confidence: 3, clientMs: 900, idempotencyKey: crypto.randomUUID(), ...extra });

  it('an answer carrying 50 MiB of telemetry is refused with 413 while streaming, and nothing is stored', async () => {
    const body = JSON.stringify(answer()).replace(/}$/, ',"telemetry":{"x":"');
    const response = await callRoute(answers(), 'POST', { cookie: readerCookie, values: { assignmentId: reader.assignmentId }, rawBody: streamedBody(body, 50 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/larger than 8,192 bytes; nothing was stored/);
    expect(await responses()).toBe(0);
  });

  it('a declared Content-Length over the limit is refused before reading', async () => {
    const response = await callRoute(answers(), 'POST', {
      cookie: readerCookie,
      values: { assignmentId: reader.assignmentId },
      rawBody: JSON.stringify(answer({ telemetry: { presets: Array(2000).fill('brain') } })),
      headers: { 'content-length': '20000' },
    });
    expect(response.status).toBe(413);
    expect(await responses()).toBe(0);
  });

  it('telemetry is checked against its schema (unknown fields, unbounded lists: 400, nothing stored)', async () => {
    for (const telemetry of [{ note: 'free text' }, { idleGapsMs: Array(201).fill(6000) }, { zoom: -1 }, { presets: 'brain' }]) {
      const response = await callRoute(answers(), 'POST', { cookie: readerCookie, values: { assignmentId: reader.assignmentId }, body: answer({ telemetry }) });
      expect(response.status, JSON.stringify(telemetry)).toBe(400);
    }
    expect(await responses()).toBe(0);
    const good = await callRoute(answers(), 'POST', {
      cookie: readerCookie,
      values: { assignmentId: reader.assignmentId },
      body: answer({ telemetry: { windowLevel: 3, presets: ['brain'], zoom: 1, pan: 0, invert: 0, reset: 0, fit: 0, blur: 0, fullscreen: 0, idleGapsMs: [6100] } }),
    });
    expect(good.status).toBe(201);
    expect(await responses()).toBe(1);
  });

  it('every other route that reads JSON refuses a body over its limit with 413', async () => {
    const admin = await getPrisma().user.create({ data: { email: `limits-admin-${Date.now()}@test.local`, name: 'Admin', role: 'ADMIN', passwordHash: await hashPassword('not-used-here') } });
    const cookie = await sessionCookie(admin.id);
    const studies = await getPrisma().study.findMany({ select: { id: true } });
    const users = await getPrisma().user.count();
    const readsJson = routes.filter((r) => /readJson\(request/.test(fs.readFileSync(r.file, 'utf8')) && !r.pattern.startsWith('/api/reading'));
    expect(readsJson.length).toBeGreaterThanOrEqual(9);
    for (const route of readsJson) {
      // The methods whose handler reads a body (a route file may also export e.g. a DELETE that reads none).
      const source = fs.readFileSync(route.file, 'utf8');
      const readers = route.methods.filter((m) => new RegExp(`export const ${m} = [^]*?readJson\\(request`).test(source.split(/(?=export const )/).find((part) => part.startsWith(`export const ${m} `)) ?? ''));
      for (const method of readers) {
        const big = JSON.stringify({ name: 'x'.repeat(JSON_BODY_MAX_BYTES) });
        const response = await callRoute(route, method, { cookie, values: { id: studies[0].id, key: 'CT_HEAD-64' }, rawBody: streamedBody(big.slice(0, 20), big.length) });
        expect(response.status, `${method} ${route.pattern}`).toBe(413);
      }
    }
    expect(await getPrisma().user.count()).toBe(users);
    expect(await getPrisma().study.count()).toBe(studies.length);
  });
});

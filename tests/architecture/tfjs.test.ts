import { describe, expect, it } from 'vitest';
import { reachablePackages, sourceFiles } from '../support/import-graph';

/**
 * TensorFlow.js is heavy (~100 MB of modules and a WebAssembly backend): the web process loads it only
 * for the routes that run a generator. Everything else — every page, the job declarations that routes
 * queue with — reaches it through no static import. (The browser loads it on its own, lazily, for the
 * checkpoint preview; dynamic `import()` is not followed here.)
 */
const GENERATING_ROUTES = new Set([
  // POST registers a checkpoint: the model is built and one image generated before it is stored.
  'app/api/admin/checkpoints/route.ts',
]);

const isTfjs = (name: string) => name.startsWith('@tensorflow/');

describe('TensorFlow.js in the web process', () => {
  it('no page, layout or route loads it, except the routes that generate', () => {
    const entries = sourceFiles('app').filter((f) => !GENERATING_ROUTES.has(f));
    const offenders = entries.flatMap((file) => [...reachablePackages(file)].filter(([name]) => isTfjs(name)).map(([, chain]) => chain.join(' → ')));
    expect(offenders).toEqual([]);
  }, 60_000);

  it('the admin home page, the job queue, the checkpoint list and browser jobs (leasing; chunks load it lazily) do not reach it', () => {
    for (const entry of ['app/(admin)/admin/page.tsx', 'app/(admin)/admin/checkpoints/page.tsx', 'lib/jobs/index.ts', 'lib/gan/registry.ts', 'lib/gan/browser-job.ts', 'lib/gan/browser-chunks.ts']) {
      expect([...reachablePackages(entry).keys()].filter(isTfjs), entry).toEqual([]);
    }
  }, 60_000);

  it('the generating route and the worker do reach it (so the walk above can see it)', () => {
    expect([...reachablePackages('app/api/admin/checkpoints/route.ts').keys()]).toContain('@tensorflow/tfjs');
    expect([...reachablePackages('lib/jobs/worker.ts').keys()]).toContain('@tensorflow/tfjs');
  }, 60_000);
});

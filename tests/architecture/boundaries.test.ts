import { describe, expect, it } from 'vitest';
import { allImports, reachablePackages, sourceFiles } from '../support/import-graph';

const FRAMEWORK = /^(next|next-auth|react|react-dom)(\/|$)/;
/** The edges that may speak Next: HTTP mapping and the session/role guards. */
const isEdge = (file: string) => file === 'lib/http.ts' || file.startsWith('lib/auth/');

describe('lib/ is free of Next and React', () => {
  const libFiles = sourceFiles('lib').filter((f) => !isEdge(f));

  it('no file under lib/ but lib/http.ts and lib/auth names next, next-auth or react', () => {
    const offenders = libFiles.flatMap((file) => allImports(file).filter((s) => FRAMEWORK.test(s)).map((s) => `${file} imports ${s}`));
    expect(offenders).toEqual([]);
  }, 60_000);

  it('nor loads one through another module (e.g. by throwing lib/http.ts errors)', () => {
    const offenders: string[] = [];
    for (const file of libFiles) {
      for (const [name, chain] of reachablePackages(file)) if (FRAMEWORK.test(name)) offenders.push(chain.join(' → '));
    }
    expect(offenders).toEqual([]);
  }, 60_000);
});

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';

/** What a production build depends on; a change in any of these makes `npm start` rebuild. */
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'types', 'proxy.ts', 'next.config.js', 'package-lock.json', 'tsconfig.json'];
const SKIP = new Set(['generated', 'node_modules', 'fixtures']);

function walk(entry: string, out: string[]): void {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(entry).sort()) if (!SKIP.has(name)) walk(path.join(entry, name), out);
  } else if (!/\.test\.tsx?$/.test(entry)) {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

export function sourceStamp(root = process.cwd()): string {
  const lines: string[] = [];
  for (const input of BUILD_INPUTS) walk(path.join(root, input), lines);
  return crypto.createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Runs `next build` unless .next holds a build of exactly these sources. */
export async function buildIfNeeded(log: (line: string) => void, root = process.cwd()): Promise<void> {
  const stampFile = path.join(root, '.next', 'source-stamp');
  const hasBuild = fs.existsSync(path.join(root, '.next', 'BUILD_ID'));
  if (hasBuild && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === sourceStamp(root)) return;
  log('Building the app (first start or changed sources; takes a minute or two)…');
  // Asynchronous, so that Ctrl-C during a build still reaches the start script's clean shutdown.
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error('next build failed (see above).');
  // Stamped after the build: `next build` may rewrite tsconfig.json and next-env.d.ts.
  fs.writeFileSync(stampFile, sourceStamp(root));
}

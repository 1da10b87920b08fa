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

/**
 * Runs `next build` unless .next holds a build of exactly these sources. Returns the warnings the build printed
 * (lines starting "Warning:"), none when nothing was built; the test runner fails on them.
 */
export async function buildIfNeeded(log: (line: string) => void, root = process.cwd()): Promise<string[]> {
  const stampFile = path.join(root, '.next', 'source-stamp');
  const hasBuild = fs.existsSync(path.join(root, '.next', 'BUILD_ID'));
  if (hasBuild && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === sourceStamp(root)) return [];
  const warnings: string[] = [];
  log('Building the app with `next build` (first start or changed sources; 1–4 minutes on 2 cores)…');
  const started = Date.now();
  let phase = 'starting Next.js';
  // Asynchronous, so that Ctrl-C during a build still reaches the start script's clean shutdown. Its output is
  // passed through line by line, and a line every 20 s says what it is doing, so a long compile never looks stuck.
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
  let pending = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      process.stdout.write(`${line}\n`);
      const text = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
      if (text.startsWith('Warning:')) warnings.push(text);
      if (/optimized production build/i.test(text)) phase = 'compiling the pages and route handlers (the longest part)';
      else if (/Running TypeScript/i.test(text)) phase = 'type-checking';
      else if (/Collecting page data/i.test(text)) phase = 'collecting page data';
      else if (/Generating static pages/i.test(text)) phase = 'pre-rendering static pages';
      else if (/Finalizing/i.test(text)) phase = 'finalising';
    }
  });
  const heartbeat = setInterval(() => log(`Still building (${Math.round((Date.now() - started) / 1000)} s): ${phase}…`), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve)).finally(() => clearInterval(heartbeat));
  if (pending) process.stdout.write(`${pending}\n`);
  if (code !== 0) throw new Error('next build failed (see above).');
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
  // Stamped after the build: `next build` may rewrite tsconfig.json and next-env.d.ts.
  fs.writeFileSync(stampFile, sourceStamp(root));
  return warnings;
}

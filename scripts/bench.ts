/**
 * `npm run bench`: every benchmark of the project, printed and written to BENCHMARKS.md with the machine
 * it ran on. Figures are min / median / max over repeated runs; these machines are noisy, so compare
 * figures from one run with each other rather than across runs.
 *
 *   npm run bench              all benchmarks
 *   npm run bench -- stats     only the named ones, replacing their sections of BENCHMARKS.md (stats, mrmc, privacy, radiomics, gan, reading, coordinator, detectability, demo-gan)
 */
import fs from 'node:fs';
import os from 'node:os';
import { benchCoordinator } from './bench-coordinator';
import { benchDemoGan } from './bench-demo-gan';
import { benchDetectability } from './bench-detectability';
import { benchGan } from './bench-gan';
import { benchMrmc } from './bench-mrmc';
import { benchPrivacy } from './bench-privacy';
import { benchRadiomics } from './bench-radiomics';
import { benchReading } from './bench-reading';
import { benchStats } from './bench-stats';

type Figure = { name: string; unit: string; runs: number[]; target?: string | number };
/** `note`: how to read the section, printed under its heading. */
const SUITES: Record<string, { title: string; note?: string; run: () => Promise<Figure[]> }> = {
  stats: { title: 'Statistics (lib/stats)', run: () => benchStats() },
  mrmc: { title: 'MRMC OR–Hillis (lib/stats/mrmc)', run: () => benchMrmc() },
  privacy: { title: 'Memorisation check (lib/privacy)', run: () => benchPrivacy() },
  radiomics: { title: 'Fréchet Radiomics Distance (lib/radiomics)', run: () => benchRadiomics() },
  gan: { title: 'GAN generation (lib/gan) against PyTorch CPU', run: () => benchGan() },
  reading: {
    title: 'Reading room: answers over HTTP and next image painted',
    note:
      'Load client, app, worker and PostgreSQL share this machine (2 cores, other jobs running): compare figures within one run, ' +
      "as the shares of the bare route do (run k of the answers against run k of the echo). The CPU profile counts the web server's samples while readers answer.",
    run: () => benchReading(),
  },
  coordinator: { title: 'Coordinator: dashboard statistics and exports, 1,000,000 answers in PostgreSQL', run: () => benchCoordinator() },
  detectability: { title: 'Can a machine tell? Classifier two-sample test (lib/detectability)', run: () => benchDetectability() },
  'demo-gan': {
    title: 'Demo generators: pixel-level detectability against held-out real images (checkpoints/demo-*)',
    note:
      'The real side is the last 1,000 images of each training array, never trained on. The snapshots and export settings were chosen against the training split ' +
      '(scripts/gan/pixel-detectability.ts --split training); the model cards in checkpoints/demo-* say where held-out figures were looked at while the export maps were written.',
    run: () => benchDemoGan(),
  },
};

function summarise(runs: number[]): { min: number; median: number; max: number } {
  const sorted = [...runs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** BENCHMARKS.md split into its suite sections (keyed by heading), so that a partial run replaces only its own. */
function readSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!fs.existsSync('BENCHMARKS.md')) return sections;
  for (const part of fs.readFileSync('BENCHMARKS.md', 'utf8').split(/\n(?=## )/).slice(1)) {
    sections.set(part.split('\n')[0], part.trimEnd());
  }
  return sections;
}

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(SUITES);
  const sections = wanted.length ? readSections() : new Map<string, string>();
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`Unknown benchmark "${name}"; known: ${Object.keys(SUITES).join(', ')}`);
    console.log(`\n== ${suite.title}`);
    const lines = [`## ${suite.title}`, '', `Run ${new Date().toISOString()}.`, ...(suite.note ? ['', suite.note] : []), '', '| figure | min | median | max | unit | target |', '|---|---|---|---|---|---|'];
    for (const figure of await suite.run()) {
      const s = summarise(figure.runs);
      const target = figure.target === undefined ? '—' : typeof figure.target === 'number' ? `≤ ${figure.target}` : figure.target;
      console.log(`${figure.name}: ${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)} ${figure.unit} (target ${target})`);
      lines.push(`| ${figure.name} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.max)} | ${figure.unit} | ${target} |`);
    }
    sections.set(lines[0], lines.join('\n'));
  }
  const header = ['# Benchmarks', '', `Machine: ${machine()}.`, '', 'Each figure: min / median / max over repeated runs in one process; each section says when it ran.', ''];
  const order = Object.values(SUITES).map((suite) => `## ${suite.title}`);
  // Sections written by hand (not a suite's) stay after the suites'.
  const rank = (heading: string) => (order.includes(heading) ? order.indexOf(heading) : order.length);
  const body = [...sections.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, text]) => text);
  fs.writeFileSync('BENCHMARKS.md', `${header.join('\n')}${body.join('\n\n')}\n`);
  console.log(`\nWrote BENCHMARKS.md (${wanted.length ? `updated: ${names.join(', ')}` : 'all suites'})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

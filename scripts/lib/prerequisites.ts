import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the test suite needs beyond `npm ci`, found or provisioned before any test runs:
 *   - a Chromium for the browser tests (CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own browser);
 *   - a Python with PyTorch, numpy and Pillow for the GAN export test (PYTHON_TORCH, default Debian's /usr/bin/python3).
 * As root on Debian the missing packages are installed with apt-get (said before it happens); elsewhere Playwright
 * downloads its own Chromium; where neither works the run stops at once with the exact command to run.
 * The app itself needs none of this (README, "What the tests need").
 */
export class MissingPrerequisite extends Error {}

export type Needs = { chromium: boolean; torch: boolean };
export type Provisioned = { chromiumPath: string | null; pythonTorch: string };

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const DEBIAN_PYTHON = '/usr/bin/python3';

function canRunAptGet(): boolean {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && fs.existsSync('/usr/bin/apt-get') && fs.existsSync('/etc/debian_version');
}

function hasTorch(python: string): boolean {
  const probe = spawnSync(python, ['-c', 'import torch, numpy, PIL'], { stdio: 'ignore' });
  return probe.status === 0;
}

function playwrightChromium(): string | null {
  try {
    const { chromium } = require('playwright-core') as { chromium: { executablePath(): string } };
    const executable = chromium.executablePath();
    return executable && fs.existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

function findChromium(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!fs.existsSync(configured)) throw new MissingPrerequisite(`CHROMIUM_PATH is set to ${configured}, which does not exist. Unset it or point it at a Chromium binary.`);
    return configured;
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  return playwrightChromium();
}

let aptUpdated = false;
function aptInstall(packages: string[], why: string, log: (line: string) => void): void {
  log(`Installing Debian packages ${packages.join(' ')} (${why}): apt-get install -y ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    if (update.status !== 0) throw new MissingPrerequisite(`apt-get update failed. Run it yourself, then: apt-get install -y ${packages.join(' ')}`);
    aptUpdated = true;
  }
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (install.status !== 0) throw new MissingPrerequisite(`apt-get install ${packages.join(' ')} failed (see above). Run: apt-get install -y ${packages.join(' ')}`);
}

function provisionChromium(log: (line: string) => void): string {
  const found = findChromium();
  if (found) return found;
  if (canRunAptGet()) {
    aptInstall(['chromium'], 'the browser for the end-to-end tests', log);
    if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  } else {
    log("No Chromium found: downloading Playwright's own (npx playwright install chromium)");
    const cli = path.resolve('node_modules', '@playwright', 'test', 'cli.js');
    spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: 'inherit' });
    const downloaded = playwrightChromium();
    if (downloaded) return downloaded;
  }
  throw new MissingPrerequisite(
    'The end-to-end tests need Chromium and none could be installed. Run one of:\n' +
      '  sudo apt-get install -y chromium            (Debian/Ubuntu)\n' +
      '  npx playwright install chromium             (elsewhere, with network access)\n' +
      'or set CHROMIUM_PATH to a Chromium binary.',
  );
}

function provisionTorch(log: (line: string) => void): string {
  const python = process.env.PYTHON_TORCH ?? DEBIAN_PYTHON;
  if (fs.existsSync(python) && hasTorch(python)) return python;
  if (!process.env.PYTHON_TORCH && canRunAptGet()) {
    aptInstall(['python3-torch', 'python3-numpy', 'python3-pil'], 'PyTorch for the GAN export test, lib/gan/pytorch-export.test.ts', log);
    if (hasTorch(python)) return python;
  }
  throw new MissingPrerequisite(
    `The GAN export test needs a Python with PyTorch, numpy and Pillow; ${python} ${fs.existsSync(python) ? 'cannot import torch, numpy and PIL' : 'does not exist'}. Run one of:\n` +
      '  sudo apt-get install -y python3-torch python3-numpy python3-pil     (Debian/Ubuntu; PYTHON_TORCH defaults to /usr/bin/python3)\n' +
      '  python3 -m pip install torch numpy pillow && export PYTHON_TORCH="$(command -v python3)"',
  );
}

/** Finds or installs what the chosen test steps need; throws MissingPrerequisite with the command to run. */
export function provisionPrerequisites(needs: Needs, log: (line: string) => void = console.log): Provisioned {
  const pythonTorch = needs.torch ? provisionTorch(log) : (process.env.PYTHON_TORCH ?? DEBIAN_PYTHON);
  const chromiumPath = needs.chromium ? provisionChromium(log) : null;
  return { chromiumPath, pythonTorch };
}

/**
 * `prisma generate` without the native schema engine: the CLI only needs PRISMA_SCHEMA_ENGINE_BINARY to
 * point at an existing file to skip its download (STACK.md). Runs on `npm ci` (postinstall).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const prismaCli = path.resolve('node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? path.resolve('package.json'),
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
process.exit(result.status ?? 1);

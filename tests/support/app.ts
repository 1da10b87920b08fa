import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Runs the built app (scripts/server.ts, as `npm start` does) as a real process for fault and replica tests: its own port,
 * database and secrets. Build first (scripts/lib/build.ts).
 */
export type AppProcess = { base: string; port: number; stop: () => Promise<void>; kill: () => Promise<void>; restart: () => Promise<void> };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Waits until the app answers its health route; fails early if the process it belongs to exits. */
export async function waitForHealth(base: string, timeoutMs = 60_000, process?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process && process.exitCode !== null) throw new Error(`the app exited with code ${process.exitCode}`);
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} did not come up`);
}

export async function startApp(options: { databaseUrl: string; port?: number; secret: string; env?: Record<string, string>; publicUrl?: string }): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/server.ts'), '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        ...options.env,
        DATABASE_URL: options.databaseUrl,
        NEXTAUTH_SECRET: options.secret,
        NEXTAUTH_URL: options.publicUrl ?? base,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    });
    await waitForHealth(base);
  };
  const exit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await launch();
  return {
    base,
    port,
    stop: () => exit('SIGTERM'),
    kill: () => exit('SIGKILL'),
    restart: launch,
  };
}

/** Signs in through next-auth's credentials flow like a browser and returns the session cookie. */
export async function signIn(base: string, email: string, password: string, ip = '127.0.0.2', headers: Record<string, string> = {}): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', cookie: cookies.join('; '), 'x-forwarded-for': ip, ...headers },
    body: new URLSearchParams({ email, password, csrfToken, json: 'true' }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.includes('session-token'));
  if (!session) {
    // With json=true next-auth answers 200 { url } instead of redirecting.
    const location = response.headers.get('location') ?? ((await response.json().catch(() => ({}))) as { url?: string }).url ?? '';
    throw new Error(`sign-in refused for ${email}: ${decodeURIComponent(new URL(location, base).searchParams.get('error') ?? String(response.status))}`);
  }
  return session;
}

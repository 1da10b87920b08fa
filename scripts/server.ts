/**
 * The app's HTTP server: Next.js through its programmatic API (instead of `next start`), so that route
 * handlers can learn the socket's peer address, which Next does not expose. Each request's
 * PEER_ADDRESS_HEADER is first removed (a client cannot forge it) and then set from the socket;
 * lib/auth/client-address.ts believes X-Forwarded-For / X-Forwarded-Host only when that peer is one of
 * TRUSTED_PROXIES.
 *
 *   node --import tsx scripts/server.ts [--dev] [-p PORT]     (npm start runs it)
 */
import http from 'node:http';
import next from 'next';
import { PEER_ADDRESS_HEADER } from '@/lib/auth/client-address';

const isDev = process.argv.includes('--dev');
const portFlag = process.argv.indexOf('-p');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000));

async function main() {
  const app = next({ dev: isDev, dir: process.cwd(), hostname: 'localhost', port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    delete req.headers[PEER_ADDRESS_HEADER];
    req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? '';
    void handle(req, res);
  });
  server.listen(port, () => console.log(`[server] listening on http://localhost:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    // Open keep-alive connections would hold close() back.
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// A static file server for the built page, with no dependencies: Playwright's webServer starts it
// on the folder named by STEPLAB_DIST. Extra response headers (a Content-Security-Policy, say) come
// from STEPLAB_HEADERS as a JSON object, or from `staticServer({ headers })` inside a spec.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const defaultDist = resolve(here, '../target/e2e-dist');
export const defaultPort = 4173;

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** An http.Server for `root`; `headers` are added to every file response. */
export function staticServer({ root, headers = {} }) {
  const base = resolve(root);
  return createServer((request, response) => {
    respond(base, headers, request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end(`server error: ${error.message}\n`);
    });
  });
}

async function respond(base, headers, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(response, 405, 'only GET and HEAD', { Allow: 'GET, HEAD' });
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
  } catch {
    return plain(response, 400, 'bad URL');
  }
  let file = resolve(base, `.${pathname}`);
  // `..` in a URL must never reach outside the served folder.
  if (file !== base && !file.startsWith(base + sep)) return plain(response, 403, 'outside the served folder');
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return plain(response, 404, `not found: ${pathname}`);
  response.writeHead(200, {
    'Content-Type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // A wrong Content-Type must fail the test as it would on a real host, not be sniffed around.
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...headers,
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(file).pipe(response);
}

function plain(response, status, message, headers = {}) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  response.end(`${message}\n`);
}

/** Starts listening on 127.0.0.1 (port 0 picks a free one) and resolves to the base URL. */
export function listen(server, port) {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolvePromise(`http://127.0.0.1:${server.address().port}/`);
    });
  });
}

function headersFromEnv(text) {
  if (!text) return {};
  const headers = JSON.parse(text);
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new Error('STEPLAB_HEADERS must be a JSON object of header names to values');
  }
  return headers;
}

async function main() {
  const root = resolve(process.env.STEPLAB_DIST ?? defaultDist);
  const port = Number(process.env.STEPLAB_PORT ?? defaultPort);
  const index = await stat(join(root, 'index.html')).catch(() => null);
  if (!index?.isFile()) {
    console.error(`serve.mjs: no index.html in ${root}; build first (cargo xtask test does)`);
    process.exit(1);
  }
  const server = staticServer({ root, headers: headersFromEnv(process.env.STEPLAB_HEADERS) });
  const url = await listen(server, port);
  console.log(`serve.mjs: serving ${root} at ${url}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`serve.mjs: ${error.message}`);
    process.exit(1);
  });
}

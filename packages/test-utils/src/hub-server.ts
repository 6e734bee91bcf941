import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Options for {@link startHubServer}. */
export interface HubServerOptions {
  /**
   * Repositories served: key `owner/name` for a model, `datasets/owner/name` for a dataset;
   * value: a folder whose files are served at the repo root.
   */
  readonly repos: Readonly<Record<string, string>>;
  /** Revisions accepted besides `main` (decoded, e.g. `refs/convert/parquet`). */
  readonly revisions?: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`; otherwise 401. */
  readonly token?: string;
  /** Redirect `resolve` requests to a `/cdn/…` URL first, as the real hub does. Default true. */
  readonly redirect?: boolean;
  /**
   * Simulate a broken connection: for the given repo path (`owner/name/path`, datasets prefixed
   * `datasets/`), the first `times` responses are cut after `afterBytes` bytes.
   */
  readonly cut?: { readonly path: string; readonly afterBytes: number; times: number };
  /**
   * Commit hash sent as `X-Repo-Commit` (on the redirect and on the file, as the hub does) and
   * accepted as a revision. Default `0123456789abcdef0123456789abcdef01234567`.
   */
  readonly commit?: string;
  /** Ignore `Range` headers and always answer 200 with the whole file, as some proxies do. */
  readonly ignoreRange?: boolean;
  /** Split tree listings into pages of this many entries, linked with `Link: <…>; rel="next"`. */
  readonly pageSize?: number;
  /**
   * Which files are stored in Git LFS (default: all). As on the hub, an LFS file's `resolve`
   * answer is a redirect carrying `X-Linked-Etag` (the sha256 of the content) and `X-Linked-Size`;
   * any other file is answered directly with `ETag` = its git blob id (sha1 of `blob {size}\0` +
   * bytes), never redirected.
   */
  readonly lfs?: boolean | ((path: string) => boolean);
  /** Misbehaviours of the file answers (the CDN hop of a redirect, or the direct answer). */
  readonly faults?: readonly HubFault[];
}

/**
 * How a file answer goes wrong:
 * - `short-length`: `Content-Length` promises the whole file, `afterBytes` are sent, the socket closes;
 * - `close-delimited-cut`: a raw HTTP/1.1 200 without `Content-Length` (the body ends when the
 *   connection does), cut cleanly after `afterBytes`;
 * - `flip-bytes`: the right length, with byte `afterBytes` (default the middle) inverted;
 * - `stall-headers`: the request is never answered;
 * - `stall-body`: headers and `afterBytes` bytes are sent, then nothing (the connection stays open);
 * - `status`: answers `status` (default 500) with a JSON body echoing the request's headers;
 * - `ignore-range`: answers 200 with the whole file even to a `Range` request.
 */
export type HubFaultMode =
  | 'short-length'
  | 'close-delimited-cut'
  | 'flip-bytes'
  | 'stall-headers'
  | 'stall-body'
  | 'status'
  | 'ignore-range';

/** One fault: `mode` applied to the first `times` answers (default every answer) for `path`. */
export interface HubFault {
  /** Repo path as in {@link HubServerOptions.cut}: `owner/name/path`, datasets prefixed `datasets/`. */
  readonly path: string;
  readonly mode: HubFaultMode;
  /** How many answers go wrong; afterwards the file is served normally. Default: all. */
  readonly times?: number;
  readonly afterBytes?: number;
  /** For `status`. Default 500. */
  readonly status?: number;
  /**
   * For `short-length`: close the connection when this resolves (default: 30 ms after the bytes
   * are flushed). An HTTP client drops chunks still queued when the connection error arrives, so a
   * test that needs the sent bytes stored (to see a resume) waits for them here.
   */
  readonly closeWhen?: () => Promise<void>;
}

/** One request the server received, for assertions. */
export interface HubRequest {
  readonly method: string;
  readonly url: string;
  readonly range: string | undefined;
  readonly authorization: string | undefined;
}

/** A running loopback hub. */
export interface HubServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (use as `HF_ENDPOINT`). */
  readonly url: string;
  readonly requests: HubRequest[];
  /** How many faulty answers each fault (by index in `options.faults`) has given so far. */
  readonly faultsServed: number[];
  close(): Promise<void>;
}

/** The git blob id of `data`: sha1 of `blob {size}\0` followed by the bytes. */
export function gitBlobId(data: Uint8Array): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

/** The sha256 of `data`, hex: an LFS file's oid and the hub's `X-Linked-Etag`. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
    }
  }
  return out.sort();
}

function notFound(
  res: ServerResponse,
  code: 'EntryNotFound' | 'RepoNotFound' | 'RevisionNotFound',
): void {
  res.writeHead(404, { 'X-Error-Code': code, 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: code }));
}

/**
 * Start an HTTP server on 127.0.0.1 that serves fixture folders in the Hugging Face hub's URL
 * layout: `/{repo}/resolve/{revision}/{path}` (with `Range` support, ETag and a CDN-style
 * redirect) and `/api/{models|datasets}/{owner}/{name}/tree/{revision}[/{path}]` listings.
 * Unknown files answer 404 with `X-Error-Code: EntryNotFound`, like the hub.
 */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const commit = options.commit ?? '0123456789abcdef0123456789abcdef01234567';
  const revisions = new Set(['main', commit, ...(options.revisions ?? [])]);
  const requests: HubRequest[] = [];
  const redirect = options.redirect ?? true;
  const lfs = options.lfs ?? true;
  const isLfs = (path: string): boolean => (typeof lfs === 'function' ? lfs(path) : lfs);
  const faults = options.faults ?? [];
  const faultsServed = faults.map(() => 0);
  /** The first fault still active for `path`, counted as served. */
  const takeFault = (path: string): HubFault | undefined => {
    const i = faults.findIndex(
      (f, j) => f.path === path && faultsServed[j]! < (f.times ?? Infinity),
    );
    if (i < 0) return undefined;
    faultsServed[i] = faultsServed[i]! + 1;
    return faults[i];
  };

  const serveFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    repoKey: string,
    filePath: string,
  ): Promise<void> => {
    const dir = options.repos[repoKey];
    if (dir === undefined) return notFound(res, 'RepoNotFound');
    const full = join(dir, ...filePath.split('/'));
    if (!full.startsWith(dir) || filePath.split('/').includes('..'))
      return notFound(res, 'EntryNotFound');
    let data: Buffer;
    try {
      if (!(await stat(full)).isFile()) return notFound(res, 'EntryNotFound');
      data = await readFile(full);
    } catch {
      return notFound(res, 'EntryNotFound');
    }
    const etag = `"${isLfs(filePath) ? sha256Hex(data) : gitBlobId(data)}"`;
    const fault = takeFault(`${repoKey}/${filePath}`);
    if (fault?.mode === 'stall-headers') return; // never answered; close() ends the connection
    if (fault?.mode === 'status') {
      res.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'upstream failed', request: { headers: req.headers } }));
      return;
    }
    const headers: Record<string, string> = {
      ETag: etag,
      'X-Repo-Commit': commit,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
    };
    let body = data;
    let status = 200;
    const range = req.headers.range;
    const m =
      range === undefined || options.ignoreRange === true || fault?.mode === 'ignore-range'
        ? null
        : /^bytes=(\d+)-(\d*)$/.exec(range);
    if (m) {
      const start = Number(m[1]);
      const end = m[2] === '' ? data.length - 1 : Math.min(Number(m[2]), data.length - 1);
      if (start >= data.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` });
        res.end();
        return;
      }
      body = data.subarray(start, end + 1);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${data.length}`;
    }
    if (fault?.mode === 'flip-bytes' && body.length > 0) {
      body = Buffer.from(body);
      const at = Math.min(fault.afterBytes ?? body.length >> 1, body.length - 1);
      body[at] = body[at]! ^ 0xff;
    }
    if (fault?.mode === 'close-delimited-cut' && req.method !== 'HEAD') {
      // Written by hand: Node's server would frame the body (length or chunks); a close-delimited
      // body ends when the connection does, so cutting it looks like a clean end to the client.
      const head = Object.entries({ ...headers, Connection: 'close' })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      const socket = req.socket;
      socket.write(
        `HTTP/1.1 ${status} ${status === 206 ? 'Partial Content' : 'OK'}\r\n${head}\r\n`,
      );
      socket.end(body.subarray(0, Math.min(fault.afterBytes ?? body.length >> 1, body.length)));
      return;
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (fault?.mode === 'short-length' || fault?.mode === 'stall-body') {
      const sent = body.subarray(0, Math.min(fault.afterBytes ?? body.length >> 1, body.length));
      res.write(sent, () => {
        if (fault.mode !== 'short-length') return;
        const close = (): void => void res.socket?.end();
        if (fault.closeWhen === undefined) setTimeout(close, 30);
        else fault.closeWhen().then(close, close);
      });
      return;
    }
    const cut = options.cut;
    if (cut && cut.times > 0 && cut.path === `${repoKey}/${filePath}`) {
      cut.times -= 1;
      // Close a little after the bytes are flushed, so the client has read them: an HTTP client's
      // stream drops chunks still queued when the connection error arrives.
      res.write(body.subarray(0, Math.min(cut.afterBytes, body.length)), () => {
        setTimeout(() => res.destroy(), 30);
      });
      return;
    }
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { 'X-Error-Code': 'GatedRepo', 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parts = url.pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);

    if (parts[0] === 'cdn') {
      // /cdn/{repoKey…}/{revision}/{path}, encoded as one component each after 'cdn'.
      const [, repoKey, , filePath] = parts;
      if (repoKey === undefined || filePath === undefined) return notFound(res, 'EntryNotFound');
      return serveFile(req, res, repoKey, filePath);
    }

    if (parts[0] === 'api' && (parts[1] === 'models' || parts[1] === 'datasets')) {
      const repoKey =
        parts[1] === 'datasets' ? `datasets/${parts[2]}/${parts[3]}` : `${parts[2]}/${parts[3]}`;
      const dir = options.repos[repoKey];
      if (dir === undefined) return notFound(res, 'RepoNotFound');
      if (parts[4] !== 'tree') return notFound(res, 'EntryNotFound');
      const revision = parts[5] ?? 'main';
      if (!revisions.has(revision)) return notFound(res, 'RevisionNotFound');
      const prefix = parts.slice(6).join('/');
      const files = (await listFiles(dir)).filter(
        (f) => prefix === '' || f.startsWith(`${prefix}/`),
      );
      const entries = await Promise.all(
        files.map(async (f) => ({
          type: 'file',
          path: f,
          size: (await stat(join(dir, f))).size,
          oid: createHash('sha1').update(f).digest('hex'),
        })),
      );
      const pageSize = options.pageSize ?? entries.length;
      const cursor = Number(url.searchParams.get('cursor') ?? '0');
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (cursor + pageSize < entries.length) {
        const next = new URL(url.href);
        next.searchParams.set('cursor', String(cursor + pageSize));
        headers.Link = `<http://${req.headers.host ?? '127.0.0.1'}${next.pathname}${next.search}>; rel="next"`;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify(pageSize === 0 ? entries : entries.slice(cursor, cursor + pageSize)));
      return;
    }

    const offset = parts[0] === 'datasets' ? 1 : 0;
    const owner = parts[offset];
    const name = parts[offset + 1];
    if (parts[offset + 2] !== 'resolve' || owner === undefined || name === undefined)
      return notFound(res, 'EntryNotFound');
    const repoKey = `${offset === 1 ? 'datasets/' : ''}${owner}/${name}`;
    const revision = parts[offset + 3] ?? '';
    const filePath = parts.slice(offset + 4).join('/');
    const dir = options.repos[repoKey];
    if (dir === undefined) return notFound(res, 'RepoNotFound');
    if (!revisions.has(revision)) return notFound(res, 'RevisionNotFound');
    if (redirect && req.method !== 'HEAD' && isLfs(filePath)) {
      const full = join(dir, ...filePath.split('/'));
      const data = filePath.split('/').includes('..')
        ? undefined
        : await readFile(full).catch(() => undefined);
      if (data === undefined) return notFound(res, 'EntryNotFound');
      const target = `/cdn/${[repoKey, revision, filePath].map(encodeURIComponent).join('/')}`;
      res.writeHead(302, {
        Location: target,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${sha256Hex(data)}"`,
        'X-Linked-Size': String(data.length),
      });
      res.end();
      return;
    }
    return serveFile(req, res, repoKey, filePath);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faultsServed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A server that accepts TCP connections and closes them at once. */
export interface DeadServer {
  /** Base URL, e.g. `http://127.0.0.1:41235`: every HTTP request to it fails with no answer. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Start a TCP server on 127.0.0.1 that closes every connection without answering, for tests of
 * "hub unreachable" paths. Unlike a closed port, its port stays held, so no other test server can
 * take it over mid-test.
 */
export async function startDeadServer(): Promise<DeadServer> {
  const server = createTcpServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      ),
  };
}

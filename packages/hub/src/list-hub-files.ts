import { checkPath, checkRepo, describe, resolveHubOptions } from './_options.js';
import { hubGet } from './_request.js';
import { HubHttpError, HubOfflineError } from './errors.js';
import type { HubFileInfo, HubOptions, HubRepo } from './types.js';

/**
 * List the files (and folders) of a repository, recursively, optionally under `path`:
 * `GET {endpoint}/api/{models|datasets}/{owner}/{name}/tree/{revision}[/{path}]?recursive=true`,
 * following the `Link: <…>; rel="next"` header across pages.
 *
 * Listing needs the network: in offline mode it throws {@link HubOfflineError} rather than
 * pretend the cache holds the whole repository.
 *
 * @throws {@link HubNotFoundError}, {@link HubUnauthorizedError}, {@link HubUnreachableError},
 *   {@link HubOfflineError}, {@link HubHttpError} (also for a malformed answer).
 * @example
 * ```ts
 * const files = await listHubFiles({ repo: 'sentence-transformers/natural-questions', type: 'dataset', path: 'pair' });
 * // → [{ type: 'file', path: 'pair/train-00000-of-00001.parquet', size: 43960431, oid: '…', lfs: { … } }]
 * ```
 */
export async function listHubFiles(
  ref: HubRepo & { readonly path?: string },
  options?: HubOptions,
): Promise<HubFileInfo[]> {
  const repo = checkRepo(ref);
  const path = ref.path === undefined || ref.path === '' ? undefined : checkPath(ref.path, 'path');
  const resolved = resolveHubOptions(options);
  const what = `Listing ${describe(repo, path)}`;
  if (resolved.offline)
    throw new HubOfflineError(`${what} (listing needs the network)`, resolved.cacheDir);
  let url: string | undefined =
    `${resolved.endpoint}/api/${repo.type}s/${repo.repo}/tree/${encodeURIComponent(repo.revision)}` +
    `${path === undefined ? '' : `/${path.split('/').map(encodeURIComponent).join('/')}`}?recursive=true`;
  const out: HubFileInfo[] = [];
  const seen = new Set<string>();
  while (url !== undefined) {
    if (seen.has(url))
      throw new HubHttpError(what, url, 200, 'pagination loops back to a page already read');
    seen.add(url);
    const { response } = await hubGet(url, resolved, what);
    const text = await response.text();
    let page: unknown;
    try {
      page = JSON.parse(text);
    } catch {
      throw new HubHttpError(
        what,
        url,
        response.status,
        `expected a JSON array, received ${text.slice(0, 80)}`,
      );
    }
    if (!Array.isArray(page))
      throw new HubHttpError(
        what,
        url,
        response.status,
        `expected a JSON array, received ${text.slice(0, 80)}`,
      );
    for (const entry of page) out.push(toFileInfo(entry, what, url));
    url = nextLink(response.headers.get('link'), url);
  }
  return out;
}

function toFileInfo(entry: unknown, what: string, url: string): HubFileInfo {
  const e = entry as Record<string, unknown> | null;
  if (
    e === null ||
    typeof e !== 'object' ||
    typeof e.path !== 'string' ||
    (e.type !== 'file' && e.type !== 'directory')
  ) {
    throw new HubHttpError(
      what,
      url,
      200,
      `unexpected listing entry ${JSON.stringify(entry).slice(0, 120)}`,
    );
  }
  const lfs = e.lfs as Record<string, unknown> | undefined;
  return {
    type: e.type,
    path: e.path,
    size: typeof e.size === 'number' ? e.size : 0,
    oid: typeof e.oid === 'string' ? e.oid : '',
    ...(lfs !== undefined && typeof lfs.oid === 'string' && typeof lfs.size === 'number'
      ? { lfs: { oid: lfs.oid, size: lfs.size } }
      : {}),
  };
}

function nextLink(header: string | null, base: string): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (m !== null && /rel\s*=\s*"?next"?/.test(m[2] ?? '')) return new URL(m[1] ?? '', base).href;
  }
  return undefined;
}

import { checkPath, checkRepo, repoUrlPart, resolveHubOptions } from './_options.js';
import type { HubOptions, HubRepo } from './types.js';

/**
 * The URL of one file of a hub repository, in the hub's layout:
 * `{endpoint}/[datasets/]{owner}/{name}/resolve/{revision}/{path}`. The revision is URL-encoded as one
 * component (`refs/convert/parquet` → `refs%2Fconvert%2Fparquet`); each path segment is encoded.
 *
 * The endpoint defaults to `HF_ENDPOINT`, else `https://huggingface.co`. Makes no network call.
 *
 * @throws {@link HubArgumentError} for a malformed repo id, revision or path.
 * @example
 * ```ts
 * hubFileUrl({ repo: 'sentence-transformers/natural-questions', type: 'dataset', path: 'pair/train-00000-of-00001.parquet' });
 * // → 'https://huggingface.co/datasets/sentence-transformers/natural-questions/resolve/main/pair/train-00000-of-00001.parquet'
 * ```
 */
export function hubFileUrl(ref: HubRepo & { readonly path: string }, options?: HubOptions): string {
  const repo = checkRepo(ref);
  const path = checkPath(ref.path, 'path');
  const { endpoint } = resolveHubOptions(options);
  return `${endpoint}/${repoUrlPart(repo)}/resolve/${encodeURIComponent(repo.revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

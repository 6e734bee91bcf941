import { downloadOne } from './_download.js';
import { checkPath, checkRepo, resolveHubOptions } from './_options.js';
import type { HubOptions, HubRepo } from './types.js';

/**
 * Download one file of a hub repository into the cache and return its local path. A file already
 * in the cache is returned without any network call.
 *
 * - Cache: Python `huggingface_hub` layout (`{cacheDir}/{models|datasets}--owner--name/snapshots/{commit}/{path}`),
 *   so files cached by either tool are shared.
 * - Atomic and verified: bytes go to `{file}.incomplete`, renamed into place only when complete and
 *   matching the hub's size and checksum (`X-Linked-Size`/`X-Linked-Etag` sha256 for LFS files, the
 *   git blob id in `ETag` for others); a mismatch is downloaded once more from byte 0.
 * - Time limits: response headers within `headersTimeoutMs` (`HF_HUB_ETAG_TIMEOUT`, 10 s), no
 *   silence mid-body longer than `idleTimeoutMs` (`HF_HUB_DOWNLOAD_TIMEOUT`, 60 s); timeouts, 429,
 *   5xx and broken connections are retried `retries` times with doubling waits.
 * - Shared caches: processes take turns per file through a lock in `{cacheDir}/.locks/`; a waiting
 *   call returns the file the other process completed.
 * - Resumable: a broken connection is resumed with an HTTP `Range` request (up to `options.retries`
 *   times in one call; a later call resumes the kept `.incomplete` file). When the server ignores the
 *   range (HTTP 200) the download restarts from byte 0.
 * - Redirects (the hub sends files to a CDN) are followed; the token is sent to the hub's origin only.
 * - Progress: `options.onProgress(bytesDone, totalBytes)`, at most every 100 ms; notices (retries,
 *   a lock held by another process, low disk space) through `options.onLog`, secrets redacted.
 *
 * Related: {@link downloadHubFiles} for several files of one snapshot, {@link hubFileUrl} for the URL
 * alone, {@link listHubFiles} to discover paths.
 *
 * @throws {@link HubNotFoundError} repo, revision or file does not exist (404).
 * @throws {@link HubUnauthorizedError} 401/403: set `HF_TOKEN` for gated or private repos.
 * @throws {@link HubUnreachableError} no answer: set `HF_ENDPOINT` to a mirror, use a local file, or the offline sample.
 * @throws {@link HubOfflineError} offline mode and the file is not cached.
 * @throws {@link HubDownloadInterruptedError} the connection broke more than `retries` times.
 * @throws {@link HubIntegrityError} the file failed verification twice; nothing was cached.
 * @throws {@link HubTimeoutError} no headers or no body bytes within the limits, more than `retries` times.
 * @throws {@link HubBadEndpointError} `HF_ENDPOINT` / `options.endpoint` is not a plain http(s) URL.
 * @throws {@link HubHttpError} any other status (5xx after the retries).
 * @throws {@link HubArgumentError} malformed repo id, revision or path.
 * @example
 * ```ts
 * const file = await downloadHubFile({
 *   repo: 'sentence-transformers/natural-questions',
 *   type: 'dataset',
 *   path: 'pair/train-00000-of-00001.parquet',
 * });
 * // → '/home/me/.cache/huggingface/hub/datasets--sentence-transformers--natural-questions/snapshots/<commit>/pair/train-00000-of-00001.parquet'
 * ```
 */
export async function downloadHubFile(
  ref: HubRepo & { readonly path: string },
  options?: HubOptions,
): Promise<string> {
  const repo = checkRepo(ref);
  const path = checkPath(ref.path, 'path');
  return (await downloadOne(repo, path, resolveHubOptions(options))).path;
}

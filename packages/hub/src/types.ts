/** Progress in bytes: `done` so far out of `total` (undefined when the server sends no length). */
export type HubProgressCallback = (done: number, total: number | undefined) => void;

/**
 * Where and how to reach the hub. Every field has a default read from the environment at call
 * time (never at import time), the same variables the Python `huggingface_hub` library reads.
 */
export interface HubOptions {
  /**
   * Hub base URL. Default `process.env.HF_ENDPOINT ?? 'https://huggingface.co'`. Must be an http(s)
   * URL without credentials, else {@link HubBadEndpointError}.
   */
  readonly endpoint?: string;
  /** Access token, sent as `Authorization: Bearer <token>`. Default `process.env.HF_TOKEN`. */
  readonly token?: string;
  /**
   * Cache folder (same layout as Python `huggingface_hub`, so either can read the other's files).
   * Default `HF_HUB_CACHE ?? (HF_HOME ?? ~/.cache/huggingface)/hub`.
   */
  readonly cacheDir?: string;
  /**
   * No network call at all; serve from the cache or throw. Default: `HF_HUB_OFFLINE` is `1`, `true`,
   * `yes` or `on` (any case), as in Python `huggingface_hub`.
   */
  readonly offline?: boolean;
  /** Called as bytes arrive (including bytes resumed from a previous attempt). */
  readonly onProgress?: HubProgressCallback;
  /** `fetch` implementation (tests, proxies). Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /**
   * How many times one call resumes (HTTP `Range`) after the connection breaks mid-file before it
   * gives up with {@link HubDownloadInterruptedError}. Default 3.
   */
  readonly retries?: number;
  /**
   * Give up on one attempt when the response headers have not arrived this long after the request
   * was sent (this also bounds connecting). Default `HF_HUB_ETAG_TIMEOUT` seconds, else 10 000 ms.
   */
  readonly headersTimeoutMs?: number;
  /**
   * Give up on one attempt when no body byte arrived for this long mid-file (the download then
   * resumes, within `retries`). Default `HF_HUB_DOWNLOAD_TIMEOUT` seconds, else 60 000 ms.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Wait before the first retry (timeouts, 5xx/429, refused or reset connections, broken bodies);
   * it doubles per retry up to 8 s. Default 500.
   */
  readonly retryDelayMs?: number;
  /**
   * One-line notices of what the download is waiting for: retries (and why), a lock held by
   * another process (its file and pid), a failed verification. Secrets are redacted.
   */
  readonly onLog?: (message: string) => void;
}

/** A repository on the hub. */
export interface HubRepo {
  /** `owner/name` (or a legacy `name` for old top-level models). */
  readonly repo: string;
  /** Default `'model'`. */
  readonly type?: 'model' | 'dataset';
  /** Branch, tag or commit hash. Default `'main'`. */
  readonly revision?: string;
}

/** One entry of a repository listing (the hub's `/api/{models|datasets}/…/tree` answer). */
export interface HubFileInfo {
  readonly type: 'file' | 'directory';
  /** Path inside the repository, `/`-separated. */
  readonly path: string;
  /** Size in bytes (0 for directories). */
  readonly size: number;
  /** Git object id. */
  readonly oid: string;
  /** Present for files stored in Git LFS: the content's sha256 and size. */
  readonly lfs?: { readonly oid: string; readonly size: number };
}

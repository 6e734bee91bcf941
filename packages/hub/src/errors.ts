import { RtkError } from '@rtk/errors';
import { redactSecrets } from './redact.js';

/**
 * Error classes of `@rtk/hub`. Each has a stable `code`; messages say what failed, where (repo,
 * revision, path, URL) and how to go on.
 */

/** Stable codes of the errors this package throws. */
export type HubErrorCode =
  | 'ERR_HUB_NOT_FOUND'
  | 'ERR_HUB_UNAUTHORIZED'
  | 'ERR_HUB_UNREACHABLE'
  | 'ERR_HUB_NOT_CACHED'
  | 'ERR_HUB_HTTP'
  | 'ERR_HUB_DOWNLOAD_INTERRUPTED'
  | 'ERR_HUB_BAD_ARGUMENT'
  | 'ERR_HUB_BAD_ENDPOINT'
  | 'ERR_HUB_INTEGRITY'
  | 'ERR_HUB_TIMEOUT';

/**
 * Base class: every error this package throws on purpose extends it.
 *
 * @example
 * ```ts
 * try {
 *   await downloadHubFile({ repo: 'no-such/repo', path: 'config.json' });
 * } catch (error) {
 *   if (error instanceof HubError) console.error(error.code); // ERR_HUB_NOT_FOUND
 * }
 * ```
 */
export abstract class HubError extends RtkError {
  /** Stable machine-readable code. */
  abstract override readonly code: HubErrorCode;
  /** Messages pass through {@link redactSecrets}: no token or URL password is ever quoted. */
  constructor(message: string, options?: ErrorOptions) {
    super(redactSecrets(message), options);
  }
}

/** The repository, revision or file does not exist on the hub (HTTP 404). */
export class HubNotFoundError extends HubError {
  readonly code = 'ERR_HUB_NOT_FOUND' as const;
  /** The hub's `X-Error-Code`: `EntryNotFound`, `RepoNotFound`, `RevisionNotFound` (or undefined). */
  readonly hubErrorCode: string | undefined;
  readonly url: string;
  constructor(what: string, url: string, hubErrorCode: string | undefined) {
    const kind =
      hubErrorCode === 'RepoNotFound'
        ? 'repository not found (or private: set HF_TOKEN)'
        : hubErrorCode === 'RevisionNotFound'
          ? 'revision not found'
          : 'file not found';
    super(
      `${what}: ${kind} (HTTP 404 from ${url}). Check the repo id, the revision and the path; list the repo's files with listHubFiles().`,
    );
    this.hubErrorCode = hubErrorCode;
    this.url = url;
  }
}

/** The hub refused the request (HTTP 401 or 403): missing, wrong or insufficient token. */
export class HubUnauthorizedError extends HubError {
  readonly code = 'ERR_HUB_UNAUTHORIZED' as const;
  readonly status: number;
  readonly url: string;
  constructor(what: string, url: string, status: number, hadToken: boolean) {
    super(
      `${what}: HTTP ${status} from ${url}. ` +
        (hadToken
          ? 'The token in HF_TOKEN (or options.token) was refused: check it is valid and has access to this (gated or private) repo.'
          : 'The repo is gated or private: create a token at https://huggingface.co/settings/tokens and set HF_TOKEN (or pass options.token).'),
    );
    this.status = status;
    this.url = url;
  }
}

/** No HTTP answer at all: DNS failure, refused connection, timeout, no network. */
export class HubUnreachableError extends HubError {
  readonly code = 'ERR_HUB_UNREACHABLE' as const;
  readonly endpoint: string;
  constructor(what: string, endpoint: string, options?: { cause?: unknown }) {
    const reason = describeCause(options?.cause);
    super(
      `${what}: cannot reach the Hugging Face hub at ${endpoint}${reason === '' ? '' : ` (${reason})`}. ` +
        'To go on: set HF_ENDPOINT to a reachable mirror (e.g. HF_ENDPOINT=https://hf-mirror.com), ' +
        'pass a local file instead (the bench: --data PATH), or use the shipped offline sample (the bench: --offline).',
      options,
    );
    this.endpoint = endpoint;
  }
}

/** Offline mode (`offline: true` or `HF_HUB_OFFLINE=1`) and the file is not in the cache. */
export class HubOfflineError extends HubError {
  readonly code = 'ERR_HUB_NOT_CACHED' as const;
  constructor(what: string, cacheDir: string) {
    super(
      `${what}: not in the cache at ${cacheDir} and offline mode forbids downloading. ` +
        'Run once with network (unset HF_HUB_OFFLINE), point HF_HUB_CACHE at a cache that has it, or pass a local file.',
    );
  }
}

/** Any other unexpected HTTP status. */
export class HubHttpError extends HubError {
  readonly code = 'ERR_HUB_HTTP' as const;
  readonly status: number;
  readonly url: string;
  constructor(what: string, url: string, status: number, body: string) {
    super(
      `${what}: HTTP ${status} from ${url}${body === '' ? '' : `: ${redactSecrets(body).slice(0, 200)}`}. Retry later, or set HF_ENDPOINT to a mirror.`,
    );
    this.status = status;
    this.url = url;
  }
}

/**
 * A downloaded file does not match what the hub's metadata promised (size from `X-Linked-Size` /
 * `Content-Length`, checksum from the `X-Linked-Etag` / `ETag`: sha256 for LFS files, the git blob
 * sha1 for others). The bytes were discarded; nothing entered the cache.
 */
export class HubIntegrityError extends HubError {
  readonly code = 'ERR_HUB_INTEGRITY' as const;
  /** What was compared: `size`, `sha256` or `git-sha1`. */
  readonly check: 'size' | 'sha256' | 'git-sha1';
  readonly expected: string;
  readonly received: string;
  readonly url: string;
  constructor(
    what: string,
    url: string,
    check: 'size' | 'sha256' | 'git-sha1',
    expected: string,
    received: string,
    attempts: number,
  ) {
    super(
      `${what}: the file failed verification: expected ${check} ${expected}, got ${received} ` +
        `(from ${url}, ${attempts} attempt${attempts === 1 ? '' : 's'}). The bytes were discarded and nothing was cached. ` +
        'A proxy or mirror may be altering or truncating files: retry later, or set HF_ENDPOINT to another mirror.',
    );
    this.check = check;
    this.expected = expected;
    this.received = received;
    this.url = url;
  }
}

/** The hub (or CDN) went silent: no response headers, or no body bytes, within the time limit. */
export class HubTimeoutError extends HubError {
  readonly code = 'ERR_HUB_TIMEOUT' as const;
  /** `headers`: no answer to the request; `body`: the body stopped flowing mid-file. */
  readonly phase: 'headers' | 'body';
  readonly timeoutMs: number;
  readonly url: string;
  constructor(what: string, url: string, phase: 'headers' | 'body', timeoutMs: number) {
    const knob =
      phase === 'headers'
        ? 'HF_HUB_ETAG_TIMEOUT (seconds) or options.headersTimeoutMs'
        : 'HF_HUB_DOWNLOAD_TIMEOUT (seconds) or options.idleTimeoutMs';
    super(
      `${what}: ${phase === 'headers' ? 'no response headers' : 'no body bytes'} from ${url} within ${timeoutMs} ms. ` +
        `On a slow link raise the limit with ${knob}; or set HF_ENDPOINT to a closer mirror.`,
    );
    this.phase = phase;
    this.timeoutMs = timeoutMs;
    this.url = url;
  }
}

/** `HF_ENDPOINT` (or `options.endpoint`) is not a usable http(s) URL. */
export class HubBadEndpointError extends HubError {
  readonly code = 'ERR_HUB_BAD_ENDPOINT' as const;
  /** Where the endpoint came from: `HF_ENDPOINT` or `options.endpoint`. */
  readonly source: 'HF_ENDPOINT' | 'options.endpoint';
  constructor(source: 'HF_ENDPOINT' | 'options.endpoint', value: string, problem: string) {
    super(
      `${source} ${JSON.stringify(value)} is not a usable hub endpoint: ${problem}. ` +
        `Expected an http(s) URL such as https://huggingface.co or https://hf-mirror.com${
          source === 'HF_ENDPOINT' ? '; fix or unset HF_ENDPOINT' : ''
        }; put a token in HF_TOKEN, not in the URL.`,
    );
    this.source = source;
  }
}

/** The connection broke mid-file more often than `retries` allows; the partial file is kept. */
export class HubDownloadInterruptedError extends HubError {
  readonly code = 'ERR_HUB_DOWNLOAD_INTERRUPTED' as const;
  readonly partialPath: string;
  constructor(
    what: string,
    partialPath: string,
    received: number,
    total: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `${what}: the connection broke after ${received}${total === undefined ? '' : ` of ${total}`} bytes, too many times. ` +
        `The partial file ${partialPath} is kept; run again to resume where it stopped.`,
      options,
    );
    this.partialPath = partialPath;
  }
}

/** A bad argument: malformed repo id, empty or escaping path, bad revision. */
export class HubArgumentError extends HubError {
  readonly code = 'ERR_HUB_BAD_ARGUMENT' as const;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  const inner = (cause as { cause?: unknown }).cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${inner.message}` : inner.message;
  }
  return cause.message;
}

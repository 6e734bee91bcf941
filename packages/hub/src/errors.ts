import { RtkError } from '@rtk/errors';

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
  | 'ERR_HUB_BAD_ARGUMENT';

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
      `${what}: HTTP ${status} from ${url}${body === '' ? '' : `: ${body.slice(0, 200)}`}. Retry later, or set HF_ENDPOINT to a mirror.`,
    );
    this.status = status;
    this.url = url;
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

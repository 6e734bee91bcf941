import { homedir } from 'node:os';
import { join } from 'node:path';
import { HubArgumentError, HubBadEndpointError } from './errors.js';
import type { HubOptions, HubProgressCallback, HubRepo } from './types.js';

/** Options with the environment defaults filled in. Read at call time, never at import time. */
export interface ResolvedHubOptions {
  readonly endpoint: string;
  readonly token: string | undefined;
  readonly cacheDir: string;
  readonly offline: boolean;
  readonly onProgress: HubProgressCallback | undefined;
  readonly fetch: typeof fetch;
  readonly retries: number;
  readonly headersTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly retryDelayMs: number;
  readonly onLog: ((message: string) => void) | undefined;
}

/** No response headers for this long: give up on the attempt (Python's `HF_HUB_ETAG_TIMEOUT` default). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** No body byte for this long mid-file: give up on the attempt (generous, for slow links). */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** First wait before a retry; it doubles per attempt, up to {@link MAX_RETRY_DELAY_MS}. */
export const DEFAULT_RETRY_DELAY_MS = 500;
export const MAX_RETRY_DELAY_MS = 8_000;

// The values Python huggingface_hub reads as true for HF_HUB_OFFLINE.
const TRUTHY = new Set(['1', 'on', 'yes', 'true']);

export function resolveHubOptions(options: HubOptions = {}): ResolvedHubOptions {
  const env = process.env;
  const endpoint = checkEndpoint(options.endpoint, nonEmpty(env.HF_ENDPOINT));
  const hfHome = nonEmpty(env.HF_HOME) ?? join(homedir(), '.cache', 'huggingface');
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new HubArgumentError(
      `options.retries must be an integer ≥ 0, received ${String(retries)}.`,
    );
  }
  const headersTimeoutMs = timeout(
    options.headersTimeoutMs,
    'options.headersTimeoutMs',
    env.HF_HUB_ETAG_TIMEOUT,
    'HF_HUB_ETAG_TIMEOUT',
    DEFAULT_HEADERS_TIMEOUT_MS,
  );
  const idleTimeoutMs = timeout(
    options.idleTimeoutMs,
    'options.idleTimeoutMs',
    env.HF_HUB_DOWNLOAD_TIMEOUT,
    'HF_HUB_DOWNLOAD_TIMEOUT',
    DEFAULT_IDLE_TIMEOUT_MS,
  );
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  if (!Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
    throw new HubArgumentError(
      `options.retryDelayMs must be a number of milliseconds ≥ 0, received ${String(retryDelayMs)}.`,
    );
  }
  return {
    endpoint,
    token: options.token ?? nonEmpty(env.HF_TOKEN),
    cacheDir: options.cacheDir ?? nonEmpty(env.HF_HUB_CACHE) ?? join(hfHome, 'hub'),
    offline: options.offline ?? TRUTHY.has((env.HF_HUB_OFFLINE ?? '').trim().toLowerCase()),
    onProgress: options.onProgress,
    fetch: options.fetch ?? globalThis.fetch,
    retries,
    headersTimeoutMs,
    idleTimeoutMs,
    retryDelayMs,
    onLog: options.onLog,
  };
}

/**
 * The endpoint, checked: an http(s) URL without credentials (a token belongs in `HF_TOKEN`), with
 * no trailing slash. Errors name where it came from and never quote its password.
 */
function checkEndpoint(option: string | undefined, fromEnv: string | undefined): string {
  const source =
    option !== undefined ? 'options.endpoint' : fromEnv !== undefined ? 'HF_ENDPOINT' : undefined;
  const raw = option ?? fromEnv ?? 'https://huggingface.co';
  if (source === undefined) return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HubBadEndpointError(source, raw, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HubBadEndpointError(source, raw, `scheme ${url.protocol} is not http: or https:`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new HubBadEndpointError(source, raw, 'it contains credentials (user:password@)');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new HubBadEndpointError(source, raw, 'it has a query or fragment');
  }
  return raw.replace(/\/+$/, '');
}

/** A timeout in ms: the option, else the env variable (seconds, as Python reads it), else the default. */
function timeout(
  option: number | undefined,
  optionName: string,
  fromEnv: string | undefined,
  envName: string,
  fallback: number,
): number {
  if (option !== undefined) {
    if (!Number.isFinite(option) || option <= 0) {
      throw new HubArgumentError(
        `${optionName} must be a number of milliseconds > 0, received ${String(option)}.`,
      );
    }
    return option;
  }
  const text = nonEmpty(fromEnv?.trim());
  if (text === undefined) return fallback;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) {
    throw new HubArgumentError(
      `${envName} must be a number of seconds > 0 (e.g. ${envName}=30), received ${JSON.stringify(fromEnv)}.`,
    );
  }
  return seconds * 1000;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** A validated repo reference. */
export interface CheckedRepo {
  readonly repo: string;
  readonly type: 'model' | 'dataset';
  readonly revision: string;
}

const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkRepo(ref: HubRepo): CheckedRepo {
  const repo: unknown = ref.repo;
  const parts = typeof repo === 'string' ? repo.split('/') : [];
  if (
    typeof repo !== 'string' ||
    parts.length > 2 ||
    !parts.every((p) => REPO_PART.test(p) && !p.includes('..'))
  ) {
    throw new HubArgumentError(
      `Bad repo id ${JSON.stringify(repo)}: expected "owner/name" (e.g. "sentence-transformers/natural-questions"), without a "datasets/" prefix (use type: 'dataset').`,
    );
  }
  const type = ref.type ?? 'model';
  if (type !== 'model' && type !== 'dataset') {
    throw new HubArgumentError(
      `Bad repo type ${JSON.stringify(type)}: expected 'model' or 'dataset'.`,
    );
  }
  const revision = ref.revision ?? 'main';
  if (
    typeof revision !== 'string' ||
    revision === '' ||
    revision.split('/').some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw new HubArgumentError(
      `Bad revision ${JSON.stringify(revision)}: expected a branch, tag or commit hash such as "main".`,
    );
  }
  return { repo, type, revision };
}

/** Check a file path inside a repo: relative, `/`-separated, no `.`/`..`/empty segments. */
export function checkPath(path: unknown, what: string): string {
  if (
    typeof path !== 'string' ||
    path === '' ||
    path.includes('\\') ||
    path.includes('\0') ||
    path.split('/').some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new HubArgumentError(
      `Bad ${what} ${JSON.stringify(path)}: expected a relative path inside the repo such as "pair/train-00000-of-00001.parquet".`,
    );
  }
  return path;
}

/** `datasets/owner/name` or `owner/name`: the repo as it appears in hub URLs. */
export function repoUrlPart(ref: CheckedRepo): string {
  return `${ref.type === 'dataset' ? 'datasets/' : ''}${ref.repo}`;
}

/** Human-readable description for error messages. */
export function describe(ref: CheckedRepo, path?: string): string {
  return `${ref.type} ${ref.repo}@${ref.revision}${path === undefined ? '' : ` file ${path}`}`;
}

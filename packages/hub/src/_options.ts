import { homedir } from 'node:os';
import { join } from 'node:path';
import { HubArgumentError } from './errors.js';
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
}

// The values Python huggingface_hub reads as true for HF_HUB_OFFLINE.
const TRUTHY = new Set(['1', 'on', 'yes', 'true']);

export function resolveHubOptions(options: HubOptions = {}): ResolvedHubOptions {
  const env = process.env;
  const endpoint = (
    options.endpoint ??
    nonEmpty(env.HF_ENDPOINT) ??
    'https://huggingface.co'
  ).replace(/\/+$/, '');
  const hfHome = nonEmpty(env.HF_HOME) ?? join(homedir(), '.cache', 'huggingface');
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new HubArgumentError(
      `options.retries must be an integer ≥ 0, received ${String(retries)}.`,
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
  };
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

import { setTimeout as sleep } from 'node:timers/promises';
import {
  HubHttpError,
  HubNotFoundError,
  HubTimeoutError,
  HubUnauthorizedError,
  HubUnreachableError,
} from './errors.js';
import { MAX_RETRY_DELAY_MS, type ResolvedHubOptions } from './_options.js';
import { redactSecrets } from './redact.js';

/** A final (non-redirect) response, plus what the hub said on any hop. */
export interface HubResponse {
  readonly response: Response;
  readonly url: string;
  /** `X-Repo-Commit`, from the first hop that sent it. */
  readonly commit: string | undefined;
  /** `X-Linked-Etag` (the hub's redirect of an LFS file: its sha256), unquoted. */
  readonly linkedEtag: string | undefined;
  /** `X-Linked-Size` (the LFS file's size in bytes). */
  readonly linkedSize: number | undefined;
}

const MAX_REDIRECTS = 10;
/** Statuses worth another try: the server (or a proxy) is overloaded or restarting. */
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/** The wait before retry number `attempt` (1-based): doubling from `retryDelayMs`, capped. */
export function backoff(options: ResolvedHubOptions, attempt: number): number {
  return Math.min(options.retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

/** An error's first sentence without the `what: ` prefix, for a log line (at most 200 characters). */
export function summary(error: unknown, what: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (text.startsWith(`${what}: `)) text = text.slice(what.length + 2);
  const end = text.indexOf('. ');
  if (end >= 0) text = text.slice(0, end);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Log through `options.onLog`, redacted (the token included). */
export function log(options: ResolvedHubOptions, message: string): void {
  options.onLog?.(redactSecrets(message, [options.token]));
}

/**
 * GET `url`, following redirects by hand so the hub's `X-Repo-Commit` and `X-Linked-*` headers on
 * the redirect itself are not lost, and so the token is only sent to the hub's own origin (never to
 * the CDN a file redirects to). Each hop must answer with headers within `headersTimeoutMs`. Refused
 * or reset connections, header timeouts, 429 and 5xx are retried up to `retries` times with
 * doubling waits. Maps 401/403/404 and the rest to typed errors; returns 2xx and 416.
 */
export async function hubGet(
  url: string,
  options: ResolvedHubOptions,
  what: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<HubResponse> {
  for (let attempt = 0; ; attempt++) {
    const result = await hubGetOnce(url, options, what, headers);
    if (!('retry' in result)) return result;
    if (attempt >= options.retries) throw result.error;
    const wait = backoff(options, attempt + 1);
    log(
      options,
      `${what}: ${summary(result.error, what)}; retry ${attempt + 1} of ${options.retries} in ${wait} ms`,
    );
    await sleep(wait);
  }
}

async function hubGetOnce(
  url: string,
  options: ResolvedHubOptions,
  what: string,
  headers: Readonly<Record<string, string>>,
): Promise<HubResponse | { retry: true; error: Error }> {
  const origin = new URL(options.endpoint).origin;
  let current = url;
  let commit: string | undefined;
  let linkedEtag: string | undefined;
  let linkedSize: number | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sent: Record<string, string> = { ...headers };
    const sameOrigin = new URL(current).origin === origin;
    if (options.token !== undefined && sameOrigin) sent.Authorization = `Bearer ${options.token}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.headersTimeoutMs);
    let response: Response;
    try {
      response = await options.fetch(current, {
        headers: sent,
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      if (timedOut) {
        return {
          retry: true,
          error: new HubTimeoutError(what, current, 'headers', options.headersTimeoutMs),
        };
      }
      return {
        retry: true,
        error: new HubUnreachableError(what, options.endpoint, { cause: error }),
      };
    } finally {
      clearTimeout(timer);
    }
    commit ??= response.headers.get('x-repo-commit') ?? undefined;
    linkedEtag ??= unquoteEtag(response.headers.get('x-linked-etag'));
    const size = response.headers.get('x-linked-size');
    if (linkedSize === undefined && size !== null && /^\d+$/.test(size)) linkedSize = Number(size);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      current = new URL(location, current).href;
      continue;
    }
    if (response.ok || response.status === 416) {
      return { response, url: current, commit, linkedEtag, linkedSize };
    }
    const body = redactSecrets(await readSome(response), [options.token]);
    if (response.status === 404) {
      throw new HubNotFoundError(what, current, response.headers.get('x-error-code') ?? undefined);
    }
    if (response.status === 401 || response.status === 403) {
      throw new HubUnauthorizedError(
        what,
        current,
        response.status,
        options.token !== undefined && sameOrigin,
      );
    }
    const error = new HubHttpError(what, current, response.status, body);
    if (RETRY_STATUS.has(response.status)) return { retry: true, error };
    throw error;
  }
  throw new HubHttpError(what, current, 310, `more than ${MAX_REDIRECTS} redirects`);
}

/** The first few KB of an error body (never waits for a huge or endless one), as text. */
async function readSome(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const timer = setTimeout(() => void reader.cancel().catch(() => undefined), 2_000);
  try {
    while (size < 4096) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a broken error body: quote what arrived
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 4096);
}

/** `W/"abc"` or `"abc"` → `abc`. */
export function unquoteEtag(etag: string | null): string | undefined {
  if (etag === null || etag === '') return undefined;
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

import {
  HubHttpError,
  HubNotFoundError,
  HubUnauthorizedError,
  HubUnreachableError,
} from './errors.js';
import type { ResolvedHubOptions } from './_options.js';

/** A final (non-redirect) response, plus the `X-Repo-Commit` seen on any hop. */
export interface HubResponse {
  readonly response: Response;
  readonly url: string;
  readonly commit: string | undefined;
}

const MAX_REDIRECTS = 10;

/**
 * GET `url`, following redirects by hand so the hub's `X-Repo-Commit` header on the redirect
 * itself is not lost, and so the token is only sent to the hub's own origin (never to the CDN a
 * file redirects to). Maps 401/403/404 and network failures to typed errors; returns 2xx and 416.
 */
export async function hubGet(
  url: string,
  options: ResolvedHubOptions,
  what: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<HubResponse> {
  const origin = new URL(options.endpoint).origin;
  let current = url;
  let commit: string | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sent: Record<string, string> = { ...headers };
    const sameOrigin = new URL(current).origin === origin;
    if (options.token !== undefined && sameOrigin) sent.Authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await options.fetch(current, { headers: sent, redirect: 'manual' });
    } catch (error) {
      throw new HubUnreachableError(what, options.endpoint, { cause: error });
    }
    commit ??= response.headers.get('x-repo-commit') ?? undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (response.ok || response.status === 416) return { response, url: current, commit };
    const body = await response.text().catch(() => '');
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
    throw new HubHttpError(what, current, response.status, body);
  }
  throw new HubHttpError(what, current, 310, `more than ${MAX_REDIRECTS} redirects`);
}

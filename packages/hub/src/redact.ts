/**
 * Secrets that must never reach an error message or a log line: access tokens (`hf_…`), bearer
 * and basic credentials, `Authorization:` header lines (as a server may echo them back), and the
 * password of a URL (`https://user:pass@host`). Each is replaced by `***`; `secrets` adds exact
 * strings to hide (e.g. a token that does not start with `hf_`).
 *
 * @example
 * ```ts
 * import { redactSecrets } from '@rtk/hub';
 * redactSecrets('GET https://me:s3cret@hub.example/x, Authorization: Bearer hf_abcdefgh1234');
 * // → 'GET https://me:***@hub.example/x, Authorization: ***'
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings would blank out ordinary words; the patterns below still apply.
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join('***');
  }
  return (
    out
      // Header lines, `Authorization: …` or `"authorization":"…"` (a JSON echo of the headers).
      .replace(/(authorization["']?\s*[:=]\s*["']?)[^"'\r\n,}]*/gi, '$1***')
      .replace(/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{4,}/gi, '$1 ***')
      .replace(/\bhf_[A-Za-z0-9]{4,}/g, 'hf_***')
      // Signed-URL query parameters (CDN redirects): X-Amz-Signature, Policy, Key-Pair-Id, token…
      .replace(
        /([?&][^=&\s]*(?:signature|token|credential|key|policy|sig)[^=&\s]*=)[^&\s"']*/gi,
        '$1***',
      )
      // userinfo of a URL: keep the user name, hide the password.
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s@]*@/gi, '$1:***@')
  );
}

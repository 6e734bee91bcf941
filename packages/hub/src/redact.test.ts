import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['token hf_AbCdEf123456 leaked', 'token *** leaked'],
    ['see hf_AbCdEf123456.', 'see hf_***.'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: ***'],
    ['{"authorization":"Bearer xyz12345","host":"h"}', '{"authorization":"***","host":"h"}'],
    ["{'Authorization': 'Basic dXNlcjpwYXNz'}", "{'Authorization': '***'}"],
    ['curl -H "Bearer sometoken99"', 'curl -H "Bearer ***"'],
    ['https://user:p4ss@hub.example/x', 'https://user:***@hub.example/x'],
    [
      'https://cdn.example/f?Key-Pair-Id=K1&Signature=abc&x=1',
      'https://cdn.example/f?Key-Pair-Id=***&Signature=***&x=1',
    ],
    ['nothing secret in config.json (HTTP 500)', 'nothing secret in config.json (HTTP 500)'],
  ])('%s → %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('hides exact secrets passed in, whatever they look like', () => {
    expect(redactSecrets('echo: my-odd-token-value!', ['my-odd-token-value'])).toBe('echo: ***!');
    expect(redactSecrets('a b', [undefined, 'a'])).toBe('a b'); // too short to hide safely
  });
});

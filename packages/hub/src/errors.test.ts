import { RtkError } from '@rtk/errors';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

const instances: errors.HubError[] = [
  new errors.HubNotFoundError('org/model@main: a.json', 'http://hub/a.json', 'EntryNotFound'),
  new errors.HubUnauthorizedError('org/model@main: a.json', 'http://hub/a.json', 401, false),
  new errors.HubUnreachableError('org/model@main: a.json', 'http://hub'),
  new errors.HubOfflineError('org/model@main: a.json', '/cache/hub'),
  new errors.HubHttpError('org/model@main: a.json', 'http://hub/a.json', 500, 'boom'),
  new errors.HubDownloadInterruptedError('org/model@main: a.json', '/cache/a.incomplete', 3, 9),
  new errors.HubArgumentError('Bad repo id "x/y/z": expected "owner/name".'),
  new errors.HubIntegrityError(
    'org/model@main: w.bin',
    'http://hub/w.bin',
    'sha256',
    'ab12',
    'cd34',
    2,
  ),
  new errors.HubTimeoutError('org/model@main: w.bin', 'http://hub/w.bin', 'body', 250),
  new errors.HubBadEndpointError('HF_ENDPOINT', 'htp:/x', 'not a URL'),
];

describe('HubError subclasses', () => {
  it('cover every exported class, each with its own name and a unique ERR_HUB_ code', () => {
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value !== errors.HubError,
    );
    expect(instances.map((e) => e.constructor)).toEqual(expect.arrayContaining(classes));
    expect(new Set(instances.map((e) => e.code)).size).toBe(instances.length);
    for (const error of instances) {
      expect(error).toBeInstanceOf(errors.HubError);
      expect(error).toBeInstanceOf(RtkError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^ERR_HUB_[A-Z_]+$/);
    }
  });

  it.each([
    // [error, code, facts its message must carry]
    [instances[0]!, 'ERR_HUB_NOT_FOUND', ['a.json', 'file not found', 'http://hub/a.json']],
    [instances[1]!, 'ERR_HUB_UNAUTHORIZED', ['HTTP 401', 'HF_TOKEN']],
    [instances[2]!, 'ERR_HUB_UNREACHABLE', ['http://hub', 'HF_ENDPOINT']],
    [instances[3]!, 'ERR_HUB_NOT_CACHED', ['/cache/hub', 'HF_HUB_OFFLINE']],
    [instances[4]!, 'ERR_HUB_HTTP', ['HTTP 500', 'boom']],
    [instances[5]!, 'ERR_HUB_DOWNLOAD_INTERRUPTED', ['3 of 9 bytes', '/cache/a.incomplete']],
    [instances[6]!, 'ERR_HUB_BAD_ARGUMENT', ['"x/y/z"']],
    [instances[7]!, 'ERR_HUB_INTEGRITY', ['w.bin', 'expected sha256 ab12, got cd34', '2 attempts']],
    [
      instances[8]!,
      'ERR_HUB_TIMEOUT',
      ['no body bytes', 'within 250 ms', 'HF_HUB_DOWNLOAD_TIMEOUT'],
    ],
    [instances[9]!, 'ERR_HUB_BAD_ENDPOINT', ['HF_ENDPOINT "htp:/x"', 'not a URL']],
  ])('%s has code %s and names what and where', (error, code, facts) => {
    expect(error.code).toBe(code);
    for (const fact of facts) expect(error.message).toContain(fact);
  });

  it('never quote a token, an Authorization header or a URL password', () => {
    const leaky = [
      new errors.HubHttpError(
        'x',
        'https://me:s3cr3tpass@hub.example/a?X-Amz-Signature=deadbeef&Expires=1',
        500,
        '{"authorization":"Bearer hf_abcdefghijkl","x":1} Authorization: Basic dXNlcjpwYXNz',
      ),
      new errors.HubBadEndpointError(
        'HF_ENDPOINT',
        'https://user:hf_abcdefghijkl@hub.example',
        'it contains credentials',
      ),
    ];
    for (const error of leaky) {
      for (const secret of ['hf_abcdefghijkl', 's3cr3tpass', 'dXNlcjpwYXNz', 'deadbeef']) {
        expect(error.message).not.toContain(secret);
      }
    }
    expect(leaky[0]!.message).toContain(
      'https://me:***@hub.example/a?X-Amz-Signature=***&Expires=1',
    );
  });
});

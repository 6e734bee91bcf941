import { describe, expect, it } from 'vitest';
import { RtkError, firstLine, hasErrorCode } from './index.js';

class SampleError extends RtkError {
  readonly code = 'ERR_SAMPLE_BROKEN' as const;
}
class SubSampleError extends SampleError {}

describe('RtkError', () => {
  it('names the concrete class and keeps code, message and cause', () => {
    const cause = new Error('root');
    const error = new SubSampleError('sample.json: broken', { cause });
    expect(error).toBeInstanceOf(RtkError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SubSampleError');
    expect(String(error)).toBe('SubSampleError: sample.json: broken');
    expect(error.code).toBe('ERR_SAMPLE_BROKEN');
    expect(error.cause).toBe(cause);
    expect(Object.keys(error)).not.toContain('name');
  });

  it('hasErrorCode matches on code only', () => {
    expect(hasErrorCode(new SampleError('x'), 'ERR_SAMPLE_BROKEN')).toBe(true);
    expect(hasErrorCode(new SampleError('x'), 'ERR_OTHER')).toBe(false);
    expect(hasErrorCode({ code: 'ENOENT' }, 'ENOENT')).toBe(true);
    expect(hasErrorCode(null, 'ENOENT')).toBe(false);
    expect(hasErrorCode('ENOENT', 'ENOENT')).toBe(false);
  });

  it('firstLine takes the first non-empty line, and names a missing package', () => {
    expect(firstLine(new Error('\n  no such file  \n    at x.js:1'))).toBe('no such file');
    expect(firstLine('plain')).toBe('plain');
    const missing = Object.assign(new Error("Cannot find package 'x'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(firstLine(missing)).toBe('package not installed');
  });
});

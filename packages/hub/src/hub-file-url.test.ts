import { afterEach, describe, expect, it, vi } from 'vitest';
import { HubArgumentError } from './errors.js';
import { hubFileUrl } from './hub-file-url.js';

describe('hubFileUrl', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // Expected URLs follow the hub's resolve layout, `{endpoint}/[datasets/]{repo}/resolve/{revision}/{path}`,
  // as huggingface_hub's `hf_hub_url` builds them.
  it.each([
    [
      { repo: 'intfloat/e5-small-v2', path: 'model.safetensors' },
      'https://huggingface.co/intfloat/e5-small-v2/resolve/main/model.safetensors',
    ],
    [
      {
        repo: 'sentence-transformers/natural-questions',
        type: 'dataset' as const,
        path: 'pair/train-00000-of-00001.parquet',
      },
      'https://huggingface.co/datasets/sentence-transformers/natural-questions/resolve/main/pair/train-00000-of-00001.parquet',
    ],
    [
      {
        repo: 'sentence-transformers/natural-questions',
        type: 'dataset' as const,
        revision: 'refs/convert/parquet',
        path: 'pair/train/0000.parquet',
      },
      'https://huggingface.co/datasets/sentence-transformers/natural-questions/resolve/refs%2Fconvert%2Fparquet/pair/train/0000.parquet',
    ],
    [
      { repo: 'bert-base-uncased', path: 'dir/a b#c.txt' },
      'https://huggingface.co/bert-base-uncased/resolve/main/dir/a%20b%23c.txt',
    ],
  ])('builds %o', (ref, expected) => {
    vi.stubEnv('HF_ENDPOINT', '');
    expect(hubFileUrl(ref)).toBe(expected);
  });

  it('honours HF_ENDPOINT (trailing slash dropped) and options.endpoint over it', () => {
    vi.stubEnv('HF_ENDPOINT', 'https://hf-mirror.com/');
    expect(hubFileUrl({ repo: 'o/n', path: 'a.json' })).toBe(
      'https://hf-mirror.com/o/n/resolve/main/a.json',
    );
    expect(hubFileUrl({ repo: 'o/n', path: 'a.json' }, { endpoint: 'http://127.0.0.1:9' })).toBe(
      'http://127.0.0.1:9/o/n/resolve/main/a.json',
    );
  });

  it.each([
    // [ref, what the message must name]
    [{ repo: 'datasets/o/n', path: 'a' }, 'Bad repo id "datasets/o/n"'],
    [{ repo: 'o/../n', path: 'a' }, 'Bad repo id "o/../n"'],
    [{ repo: '', path: 'a' }, 'Bad repo id ""'],
    [{ repo: 'o/n', path: '../a' }, 'Bad path "../a"'],
    [{ repo: 'o/n', path: '/a' }, 'Bad path "/a"'],
    [{ repo: 'o/n', path: '' }, 'Bad path ""'],
    [{ repo: 'o/n', path: 'a', revision: '' }, 'Bad revision ""'],
  ])('rejects %o', (ref, fact) => {
    let error: unknown;
    try {
      hubFileUrl(ref);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubArgumentError);
    expect(error).toMatchObject({ code: 'ERR_HUB_BAD_ARGUMENT' });
    expect((error as Error).message).toContain(fact);
  });
});

import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { E5_PREFIXES } from '@rtk/retrieval';
import { ModelUnavailableError, UsageError } from './errors.js';
import {
  addModelOptions,
  checkModelOffline,
  chooseModel,
  isE5Model,
  locateModel,
} from './model-options.js';

const FIXTURE = resolve(import.meta.dirname, '../../encoders/fixtures/tiny-bert');

describe('isE5Model', () => {
  it.each([
    ['intfloat/e5-small-v2', true],
    ['intfloat/e5-base-v2', true],
    ['Xenova/e5-small-v2', true],
    ['intfloat/multilingual-e5-small', true],
    ['Xenova/multilingual-e5-base', true],
    ['someone/multilingual-e5-finetuned', true],
    ['sentence-transformers/all-MiniLM-L6-v2', false],
    ['BAAI/bge-small-en-v1.5', false],
    ['someone/e5-lookalike', false],
    ['intfloat/simlm-base', false],
  ])('hub id %s → %s', (id, want) => {
    expect(isE5Model({ kind: 'hub', id })).toBe(want);
  });

  it.each([
    ['/models/e5-small-v2', true],
    ['/models/multilingual-e5-base', true],
    ['/cache/hub/models--intfloat--e5-small-v2/snapshots/abc123', true],
    ['/cache/hub/models--BAAI--bge-small-en-v1.5/snapshots/abc123', false],
    [FIXTURE, false],
    ['/models/my-e5', false],
  ])('folder %s → %s', (path, want) => {
    expect(isE5Model({ kind: 'folder', path })).toBe(want);
  });
});

describe('locateModel', () => {
  it('an existing folder is that folder, with or without ./; anything else a hub id', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'cli-kit-model-'));
    await mkdir(join(cwd, 'intfloat', 'e5-small-v2'), { recursive: true });
    await mkdir(join(cwd, 'mymodel'));
    expect(await locateModel('mymodel', cwd)).toEqual({
      kind: 'folder',
      path: join(cwd, 'mymodel'),
    });
    expect(await locateModel('./mymodel', cwd)).toEqual({
      kind: 'folder',
      path: join(cwd, 'mymodel'),
    });
    // A folder that happens to look like a hub id is still the folder.
    expect(await locateModel('intfloat/e5-small-v2', cwd)).toEqual({
      kind: 'folder',
      path: join(cwd, 'intfloat', 'e5-small-v2'),
    });
    expect(await locateModel('Xenova/e5-small-v2', cwd)).toEqual({
      kind: 'hub',
      id: 'Xenova/e5-small-v2',
    });
  });

  it.each(['./missing', '/no/such/model', 'a/b/c', '~/model', ''])(
    'rejects %j: neither a folder nor a hub id',
    async (model) => {
      const cwd = await mkdtemp(join(tmpdir(), 'cli-kit-model-'));
      const error: unknown = await locateModel(model, cwd).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ code: 'ERR_CLI_KIT_USAGE', flag: '--model', exitStatus: 2 });
      expect((error as Error).message).toContain(JSON.stringify(model));
      // The folder it looked for, resolved against cwd, and what a hub id looks like.
      expect((error as Error).message).toBe(
        `--model: ${JSON.stringify(model)} is neither an existing folder (looked for ${resolve(cwd, model)}) ` +
          'nor a hub id such as intfloat/e5-small-v2',
      );
    },
  );
});

describe('chooseModel', () => {
  const cwd = tmpdir();
  it.each([
    // E5: E5's prefixes unless a flag overrides one side.
    ['intfloat/e5-small-v2', {}, E5_PREFIXES, true],
    ['intfloat/e5-small-v2', { queryPrefix: 'q: ' }, { query: 'q: ', passage: 'passage: ' }, true],
    // Not E5: exactly the flags' prefixes, a missing side empty, or none at all.
    ['BAAI/bge-small-en-v1.5', {}, false, false],
    [
      'BAAI/bge-small-en-v1.5',
      { queryPrefix: 'Represent: ' },
      { query: 'Represent: ', passage: '' },
      false,
    ],
    [FIXTURE, {}, false, false],
  ])('%s with %o → prefixes %o', async (model, flags, prefixes, e5) => {
    const choice = await chooseModel({ model, ...flags }, cwd);
    expect(choice.prefixes).toEqual(prefixes);
    expect(choice.e5).toBe(e5);
    expect(choice.pooling).toBeUndefined();
  });

  it('passes --pooling through and names a folder by its absolute path', async () => {
    const choice = await chooseModel({ model: FIXTURE, pooling: 'cls' }, cwd);
    expect(choice).toMatchObject({ model: FIXTURE, pooling: 'cls', e5: false });
  });
});

describe('checkModelOffline', () => {
  it('accepts a complete model folder', async () => {
    const choice = await chooseModel({ model: FIXTURE }, tmpdir());
    await expect(
      checkModelOffline(choice, { dtype: 'fp32', revision: 'main' }),
    ).resolves.toBeUndefined();
  });

  it('rejects a hub id that is not cached, naming it, instead of using another model', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'cli-kit-hf-'));
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = cache;
    try {
      const choice = await chooseModel({ model: 'intfloat/e5-small-v2' }, tmpdir());
      const error: unknown = await checkModelOffline(choice, {
        dtype: 'fp32',
        revision: 'main',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelUnavailableError);
      expect(error).toMatchObject({
        code: 'ERR_CLI_KIT_MODEL_UNAVAILABLE',
        model: 'intfloat/e5-small-v2',
      });
      expect((error as Error).message).toContain('--offline');
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
    }
  });
});

describe('addModelOptions', () => {
  it('adds --model unless modelFlag is false, and the encoder flags either way', () => {
    const longs = (c: Command): (string | undefined)[] => c.options.map((o) => o.long);
    expect(longs(addModelOptions(new Command('a')))).toContain('--model');
    const without = longs(addModelOptions(new Command('b'), { modelFlag: false }));
    expect(without).not.toContain('--model');
    expect(without).toEqual(
      expect.arrayContaining(['--revision', '--dtype', '--pooling', '--batch-size']),
    );
  });
});

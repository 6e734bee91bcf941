import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { thirdPartyImports } from '@rtk/test-utils';

describe('rtk imports', () => {
  it('load no inference or training stack before a command runs (--help answers at once)', () => {
    const loaded = [...thirdPartyImports(fileURLToPath(new URL('./cli.ts', import.meta.url)))];
    expect(loaded.filter((s) => /transformers|onnxruntime|tensorflow/.test(s))).toEqual([]);
  });
});

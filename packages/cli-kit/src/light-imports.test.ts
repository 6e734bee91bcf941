import { describe, expect, it } from 'vitest';
import { thirdPartyImports, workspaceSource } from '@rtk/test-utils';

describe('@rtk/cli-kit imports', () => {
  it('stay off the inference and training stacks, so flags and --help answer at once', () => {
    const loaded = [...thirdPartyImports(workspaceSource('@rtk/cli-kit'))];
    expect(loaded.filter((s) => /transformers|onnxruntime|tensorflow/.test(s))).toEqual([]);
    // What it does load, so that a new heavy dependency is a decision, not an accident.
    expect(loaded.sort()).toEqual([
      'cli-progress',
      'commander',
      'csv-parse/sync',
      'hyparquet',
      'hyparquet-compressors',
    ]);
  });
});

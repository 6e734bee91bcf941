import { describe, expect, it } from 'vitest';
import { thirdPartyImports, workspaceSource } from '@rtk/test-utils';
import * as options from './options.js';
import { ENCODER_DTYPES, EXPORT_DTYPES, POOLINGS, resolveModelFolder } from './index.js';

describe('@rtk/encoders/options', () => {
  it('is the main entry’s vocabulary and resolver, not copies', () => {
    expect(options.ENCODER_DTYPES).toBe(ENCODER_DTYPES);
    expect(options.POOLINGS).toBe(POOLINGS);
    expect(options.EXPORT_DTYPES).toBe(EXPORT_DTYPES);
    expect(options.resolveModelFolder).toBe(resolveModelFolder);
  });

  it('loads neither transformers.js nor ONNX Runtime (the main entry loads both)', () => {
    const light = thirdPartyImports(workspaceSource('@rtk/encoders/options'));
    expect([...light].filter((s) => /transformers|onnxruntime/.test(s))).toEqual([]);
    // The walk sees them where they are: through the main entry.
    const full = thirdPartyImports(workspaceSource('@rtk/encoders'));
    expect(full).toContain('@huggingface/transformers');
  });
});

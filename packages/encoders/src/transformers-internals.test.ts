// Canary for the transformers.js internals this package relies on (`_transformers-internals.ts`):
// it fails, naming the assumption, when an upgrade of @huggingface/transformers changes them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AutoModel } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { TINY_BERT_DIR } from './_test-fixture.js';
import { TRANSFORMERS_PINNED_VERSION, graphSignature } from './_transformers-internals.js';

const UPGRADE = `re-check packages/encoders/src/_transformers-internals.ts (checked against ${TRANSFORMERS_PINNED_VERSION})`;

describe('transformers.js internals (canaries)', () => {
  it('the installed @huggingface/transformers is the pinned release', () => {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve('@huggingface/transformers'));
    while (!dir.endsWith('transformers')) dir = dirname(dir);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version, `@huggingface/transformers is ${version}; ${UPGRADE}`).toBe(
      TRANSFORMERS_PINNED_VERSION,
    );
  });

  it('a loaded model keeps its ONNX session, with input and output names, in sessions.model', async () => {
    const model = await AutoModel.from_pretrained(TINY_BERT_DIR, {
      local_files_only: true,
      dtype: 'fp32',
      subfolder: 'onnx',
      model_file_name: 'model',
    });
    try {
      const signature = graphSignature(model);
      expect(signature.inputNames, `sessions.model.inputNames changed; ${UPGRADE}`).toEqual([
        'input_ids',
        'attention_mask',
        'token_type_ids',
      ]);
      expect(signature.outputNames, `sessions.model.outputNames changed; ${UPGRADE}`).toContain(
        'last_hidden_state',
      );
    } finally {
      await model.dispose();
    }
  });

  it('names the assumption when a model has no sessions.model', () => {
    expect(() => graphSignature({ sessions: {} } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_ENCODERS_INTERNALS',
        assumption: 'PreTrainedModel.sessions.model',
      }),
    );
  });
});

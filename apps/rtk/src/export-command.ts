import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { checkOutputs, locateModel, strictCommand, userCwd, userPath } from '@rtk/cli-kit';
import { EXPORT_DTYPES, type BertOnnxDtype } from '@rtk/encoders/options';

/** The flags of `rtk export`, as commander parses them. */
export interface ExportFlags {
  readonly model: string;
  readonly out: string;
  readonly dtype: BertOnnxDtype;
  readonly revision?: string;
  readonly overwrite: boolean;
  readonly offline: boolean;
}

async function run(flags: ExportFlags): Promise<void> {
  // Settled before any work: where the model is, and that the output's folder is writable.
  if (flags.offline) process.env.HF_HUB_OFFLINE = '1';
  const location = await locateModel(flags.model, userCwd());
  const out = userPath(flags.out);
  await checkOutputs([{ flag: '--out', dir: dirname(out) }]);
  const model = location.kind === 'folder' ? location.path : location.id;
  const { exportOnnx } = await import('@rtk/encoders');
  const result = await exportOnnx(model, out, {
    dtype: flags.dtype,
    overwrite: flags.overwrite,
    ...(flags.revision === undefined ? {} : { revision: flags.revision }),
  });
  console.log(
    `Exported ${model} (${result.dtype}) to ${result.dir}:\n  ${result.files.join('\n  ')}`,
  );
}

/**
 * `rtk export`: write a BERT model (folder or hub id with `model.safetensors`) as an ONNX model
 * folder that `rtk eval --model`, the toolkit's encoder and transformers.js load.
 */
export function exportCommand(): Command {
  return strictCommand(
    'export',
    'Export a BERT model (config.json + model.safetensors) to an ONNX model folder (onnx/model.onnx), no Python needed.',
  )
    .addOption(
      new Option(
        '--model <folder|hub-id>',
        'The model: a folder, else a hub id',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--out <dir>',
        'Output folder (written whole, or not at all)',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option('--dtype <dtype>', 'fp32, or q8 to add int8 weights (onnx/model_quantized.onnx)')
        .choices([...EXPORT_DTYPES])
        .default('fp32'),
    )
    .addOption(
      new Option('--revision <rev>', 'Branch, tag or commit of a hub model (default main)'),
    )
    .addOption(new Option('--overwrite', 'Replace a non-empty --out folder').default(false))
    .addOption(
      new Option(
        '--offline',
        'No network: --model must be a folder or in the Hugging Face cache',
      ).default(false),
    )
    .action((flags: ExportFlags) => run(flags));
}
